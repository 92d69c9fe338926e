// /files/{id} and /thumbs/{id} over real HTTP: the server started as a process
// over an index whose items point at files this test writes; byte-exact ranges,
// validators and conditional requests, HEAD, redirects, refusals of anything
// outside the recorded files, and streaming (the server's memory while a large
// file is being sent).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "api/file_responses.h"
#include "archive/index_writer.h"
#include "archive/item.h"
#include "http/http_validators.h"
#include "server_test_support.h"

namespace {

namespace fs = std::filesystem;
using mediateka::server::RangeDecision;
using mediateka::test::connect_to;
using mediateka::test::FolderPath;
using mediateka::test::HttpResponse;
using mediateka::test::parse_head;
using mediateka::test::ServerProcess;
using mediateka::test::TemporaryFolder;
using mediateka::test::write_file;
using nlohmann::json;

constexpr std::size_t kClipSize = 300 * 1024;
constexpr std::int64_t kBigSize = 64LL * 1024 * 1024;
constexpr std::int64_t kBigMarkAt = 50LL * 1024 * 1024 + 7;
const std::string kBigMark = "MEDIATEKA-MARK";

// --- files ------------------------------------------------------------------------------------

std::string pseudo_random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(generator() & 0xff);
  return bytes;
}

mediateka::Item file_item(const std::string& id, const fs::path& file, const std::string& mime) {
  mediateka::Item item;
  item.id = id;
  item.type = mediateka::ItemType::film;
  item.title = "Plik " + id;
  item.year = 2012;
  item.language = "pl";
  item.duration_s = 60;
  item.source.path = file.filename().string();
  item.source.file = file.string();
  item.source.mime = mime;
  item.source.checksum = "0123456789abcdef0123456789abcdef";
  std::error_code error;
  item.source.size = static_cast<std::int64_t>(fs::file_size(file, error));
  item.segments = {{0, 1, 2, "film o pomocy społecznej " + id}};
  return item;
}

// --- a keep-alive HTTP client: request headers, HEAD, responses read by Content-Length ---------

class Connection {
 public:
  explicit Connection(int port) : fd_(connect_to(port)) {}
  ~Connection() {
    if (fd_ >= 0) close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool send_all(const std::string& bytes) {
    return fd_ >= 0 && mediateka::test::send_all(fd_, bytes);
  }

  // Reads into buffer_ until it holds `size` bytes, the peer closes or `limit` passes.
  bool fill(std::size_t size, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::vector<char> chunk(1 << 20);
    while (buffer_.size() < size && std::chrono::steady_clock::now() < deadline) {
      pollfd descriptor{fd_, POLLIN, 0};
      if (poll(&descriptor, 1, 20) <= 0) continue;
      const ssize_t n = recv(fd_, chunk.data(), chunk.size(), 0);
      if (n <= 0) return buffer_.size() >= size;
      buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    }
    return buffer_.size() >= size;
  }

  // One response; `head_only` for HEAD (no body follows whatever Content-Length says).
  HttpResponse read_response(bool head_only,
                             std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    HttpResponse response;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline ||
          !fill(buffer_.size() + 1, std::chrono::milliseconds(200))) {
        if (std::chrono::steady_clock::now() > deadline) return response;
      }
    }
    response = parse_head(buffer_.substr(0, header_end));
    buffer_.erase(0, header_end + 4);
    std::size_t length = 0;
    if (!head_only && response.status != 304 && response.has("content-length")) {
      length = std::stoull(response.header("content-length"));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    response.complete = fill(length, std::max(left, std::chrono::milliseconds(1)));
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, std::min(length, buffer_.size()));
    return response;
  }

  // Bytes that arrive within `wait` beyond the responses read so far.
  std::string stray_bytes(std::chrono::milliseconds wait) {
    fill(buffer_.size() + 1, wait);
    return buffer_;
  }

  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string buffer_;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string request_bytes(const std::string& method, const std::string& target,
                          const Headers& headers, bool keep_alive = false) {
  std::string bytes = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  bytes += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  for (const auto& [name, value] : headers) bytes += name + ": " + value + "\r\n";
  return bytes + "\r\n";
}

HttpResponse request(int port, const std::string& method, const std::string& target,
                     const Headers& headers = {}) {
  Connection connection(port);
  if (!connection.send_all(request_bytes(method, target, headers))) {
    ADD_FAILURE() << "cannot send " << method << ' ' << target;
    return {};
  }
  HttpResponse response = connection.read_response(method == "HEAD");
  if (response.status == 0) ADD_FAILURE() << "no response to " << method << ' ' << target;
  if (method == "HEAD" || response.status == 304) {
    EXPECT_EQ(connection.stray_bytes(std::chrono::milliseconds(150)), "")
        << method << ' ' << target << " sent a body";
  }
  return response;
}

HttpResponse get(int port, const std::string& target, const Headers& headers = {}) {
  return request(port, "GET", target, headers);
}

void expect_not_found(int port, const std::string& target) {
  const HttpResponse response = get(port, target);
  EXPECT_TRUE(response.status == 404 || response.status == 400)
      << target << " → " << response.status;
  EXPECT_EQ(response.header("content-type"), "application/json; charset=utf-8") << target;
  try {
    const json body = json::parse(response.body);
    EXPECT_TRUE(body["error"]["code"].is_string()) << target;
  } catch (const json::exception&) {
    ADD_FAILURE() << target << ": not JSON: " << response.body.substr(0, 200);
  }
}

// --- the fixture ------------------------------------------------------------------------------

class ServerFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Items record resolved paths, as the importer does.
    folder_ = new TemporaryFolder("mediateka-files-test-", FolderPath::canonical);
    const fs::path root = folder_->path();
    const fs::path data = root / "archive";
    clip_ = new std::string(pseudo_random_bytes(kClipSize, 42));
    write_file(data / "clip.mp4", *clip_);
    write_file(data / "doc.pdf", "%PDF-1.4 not really\n");
    write_file(data / "unknown.dat", "bytes of no known type");
    write_file(data / "escape.mp4", "the original, later replaced by a link");
    write_file(data / "swapped" / "inner.mp4", "inside a folder later replaced by a link");
    write_file(data / "gone.mp4", "deleted after the import");
    write_file(root / "outside" / "secret.txt", "SECRET OUTSIDE THE ARCHIVE");
    write_file(root / "outside" / "inner.mp4", "SECRET OUTSIDE THE ARCHIVE");
    {  // a sparse 64 MB file with a marker far inside
      std::ofstream big(data / "big.mp4", std::ios::binary);
      big.seekp(kBigMarkAt);
      big << kBigMark;
    }
    fs::resize_file(data / "big.mp4", static_cast<std::uintmax_t>(kBigSize));

    std::vector<mediateka::Item> items = {
        file_item("clip1", data / "clip.mp4", "video/mp4"),
        file_item("doc1", data / "doc.pdf", "application/pdf"),
        file_item("untyped1", data / "unknown.dat", ""),
        file_item("escape1", data / "escape.mp4", "video/mp4"),
        file_item("swapped1", data / "swapped" / "inner.mp4", "video/mp4"),
        file_item("gone1", data / "gone.mp4", "video/mp4"),
        file_item("big1", data / "big.mp4", "video/mp4"),
    };
    mediateka::Item remote = file_item("remote1", data / "clip.mp4", "video/mp4");
    remote.source.path.clear();
    remote.source.file.clear();
    remote.source.url = "https://media.example.org/spot.mp4";
    items.push_back(remote);
    {
      mediateka::IndexWriter writer((root / "index").string());
      for (auto& item : items) writer.put(item);
      writer.commit();
    }

    // After the import: a file replaced by a link out of the archive, a folder replaced by a
    // link to another folder, a file deleted.
    fs::remove(data / "escape.mp4");
    fs::create_symlink(root / "outside" / "secret.txt", data / "escape.mp4");
    fs::remove_all(data / "swapped");
    fs::create_directory_symlink(root / "outside", data / "swapped");
    fs::remove(data / "gone.mp4");

    // Covers: <db>-thumbs/<id>.png; one for an id that is not indexed.
    cover_ = new std::string("\x89PNG\r\n\x1a\n" + pseudo_random_bytes(5000, 7));
    write_file(root / "index-thumbs" / "clip1.png", *cover_);
    write_file(root / "index-thumbs" / "ghost.png", *cover_);

    server_ = new ServerProcess(root / "index");
    port_ = server_->wait_until_listening();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete folder_;
    delete clip_;
    delete cover_;
  }
  void SetUp() override { ASSERT_GT(port_, 0); }

  static TemporaryFolder* folder_;
  static ServerProcess* server_;
  static std::string* clip_;
  static std::string* cover_;
  static int port_;
};

TemporaryFolder* ServerFiles::folder_ = nullptr;
ServerProcess* ServerFiles::server_ = nullptr;
std::string* ServerFiles::clip_ = nullptr;
std::string* ServerFiles::cover_ = nullptr;
int ServerFiles::port_ = 0;

// --- /files -----------------------------------------------------------------------------------

TEST_F(ServerFiles, WholeFileIsByteExactWithValidators) {
  const HttpResponse response = get(port_, "/files/clip1");
  ASSERT_EQ(response.status, 200) << response.body.substr(0, 200);
  EXPECT_TRUE(response.complete);
  EXPECT_EQ(response.header("content-length"), std::to_string(kClipSize));
  EXPECT_TRUE(response.body == *clip_) << "body differs from the file";
  EXPECT_EQ(response.header("content-type"), "video/mp4");
  EXPECT_EQ(response.header("accept-ranges"), "bytes");
  EXPECT_EQ(response.header("cache-control"), "public, max-age=60, must-revalidate");
  EXPECT_EQ(response.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(response.header("content-disposition"), "inline; filename*=UTF-8''clip.mp4");
  const std::string etag = response.header("etag");
  ASSERT_GE(etag.size(), 3u);
  EXPECT_EQ(etag.front(), '"');
  EXPECT_EQ(etag.back(), '"');
  const auto modified = fs::last_write_time(folder_->path() / "archive" / "clip.mp4");
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           modified - fs::file_time_type::clock::now() +
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  EXPECT_LE(
      std::abs(*mediateka::server::parse_http_date(response.header("last-modified")) - seconds), 1);
  EXPECT_TRUE(
      std::regex_match(response.header("last-modified"),
                       std::regex(R"([A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT)")))
      << response.header("last-modified");

  EXPECT_EQ(get(port_, "/files/doc1").header("content-type"), "application/pdf");
  EXPECT_EQ(get(port_, "/files/untyped1").header("content-type"), "application/octet-stream");
}

TEST_F(ServerFiles, RangesAreByteExact) {
  const std::int64_t size = kClipSize;
  struct Case {
    std::string range;
    std::int64_t first, last;
  };
  const std::vector<Case> cases = {
      {"bytes=0-0", 0, 0},
      {"bytes=0-99", 0, 99},
      {"bytes=1000-1999", 1000, 1999},
      {"bytes=200000-", 200000, size - 1},
      {"bytes=" + std::to_string(size - 1) + "-" + std::to_string(size - 1), size - 1, size - 1},
      {"bytes=" + std::to_string(size - 1) + "-", size - 1, size - 1},
      {"bytes=-1", size - 1, size - 1},
      {"bytes=-500", size - 500, size - 1},
      {"bytes=-99999999", 0, size - 1},
      {"bytes=300000-99999999999999999999", 300000, size - 1},
      {"bytes=262100-262200", 262100, 262200},  // across the server's 256 KB chunks
      {"BYTES = 10-20", 10, 20},
  };
  for (const Case& c : cases) {
    const HttpResponse response = get(port_, "/files/clip1", {{"Range", c.range}});
    ASSERT_EQ(response.status, 206) << c.range;
    EXPECT_EQ(response.header("content-range"), "bytes " + std::to_string(c.first) + "-" +
                                                    std::to_string(c.last) + "/" +
                                                    std::to_string(size))
        << c.range;
    EXPECT_EQ(response.header("content-length"), std::to_string(c.last - c.first + 1)) << c.range;
    EXPECT_TRUE(response.body == clip_->substr(static_cast<std::size_t>(c.first),
                                               static_cast<std::size_t>(c.last - c.first + 1)))
        << c.range;
    EXPECT_EQ(response.header("content-type"), "video/mp4") << c.range;
  }
}

TEST_F(ServerFiles, RangesFarIntoALargeFile) {
  const std::string range = "bytes=" + std::to_string(kBigMarkAt - 3) + "-" +
                            std::to_string(kBigMarkAt + kBigMark.size() + 2);
  const HttpResponse response = get(port_, "/files/big1", {{"Range", range}});
  ASSERT_EQ(response.status, 206);
  EXPECT_EQ(response.body, std::string(3, '\0') + kBigMark + std::string(3, '\0'));
  const HttpResponse tail = get(port_, "/files/big1", {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.header("content-range"), "bytes " + std::to_string(kBigSize - 10) + "-" +
                                              std::to_string(kBigSize - 1) + "/" +
                                              std::to_string(kBigSize));
  EXPECT_EQ(tail.body, std::string(10, '\0'));
}

TEST_F(ServerFiles, UnsatisfiableRangeIs416) {
  for (const std::string range :
       {"bytes=307200-", "bytes=307200-307300", "bytes=999999999-", "bytes=-0"}) {
    const HttpResponse response = get(port_, "/files/clip1", {{"Range", range}});
    EXPECT_EQ(response.status, 416) << range;
    EXPECT_EQ(response.header("content-range"), "bytes */307200") << range;
    EXPECT_EQ(json::parse(response.body)["error"]["code"], "range_not_satisfiable") << range;
  }
}

TEST_F(ServerFiles, MalformedAndMultipleRangesGetTheWholeFile) {
  for (const std::string range : {"bytes=5-1", "bytes=abc", "bytes=1-2-3", "items=0-1", "bytes",
                                  "bytes=", "bytes=--5", "bytes=0-1,5-6", "bytes=-1,0-0"}) {
    const HttpResponse response = get(port_, "/files/clip1", {{"Range", range}});
    EXPECT_EQ(response.status, 200) << range;
    EXPECT_FALSE(response.has("content-range")) << range;
    EXPECT_TRUE(response.body == *clip_) << range;
  }
}

TEST_F(ServerFiles, ConditionalRequests) {
  const HttpResponse first = get(port_, "/files/clip1");
  const std::string etag = first.header("etag");
  const std::string modified = first.header("last-modified");
  ASSERT_FALSE(etag.empty());

  for (const std::string& none_match :
       {etag, "\"other\", " + etag, "W/" + etag, std::string("*")}) {
    const HttpResponse response = get(port_, "/files/clip1", {{"If-None-Match", none_match}});
    EXPECT_EQ(response.status, 304) << none_match;
    EXPECT_EQ(response.body, "") << none_match;
    EXPECT_EQ(response.header("etag"), etag);
    EXPECT_FALSE(response.has("content-length")) << "a 304 describes no body";
  }
  EXPECT_EQ(get(port_, "/files/clip1", {{"If-None-Match", "\"other\""}}).status, 200);
  // If-None-Match wins over If-Modified-Since.
  EXPECT_EQ(
      get(port_, "/files/clip1", {{"If-None-Match", "\"other\""}, {"If-Modified-Since", modified}})
          .status,
      200);

  EXPECT_EQ(get(port_, "/files/clip1", {{"If-Modified-Since", modified}}).status, 304);
  EXPECT_EQ(
      get(port_, "/files/clip1", {{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}).status,
      200);
  EXPECT_EQ(get(port_, "/files/clip1", {{"If-Modified-Since", "not a date"}}).status, 200);
}

TEST_F(ServerFiles, IfRangeWithAStaleValidatorGetsTheWholeFile) {
  const HttpResponse first = get(port_, "/files/clip1");
  const std::string etag = first.header("etag");
  const std::string modified = first.header("last-modified");

  HttpResponse response =
      get(port_, "/files/clip1", {{"Range", "bytes=10-19"}, {"If-Range", etag}});
  EXPECT_EQ(response.status, 206);
  EXPECT_EQ(response.body, clip_->substr(10, 10));
  response = get(port_, "/files/clip1", {{"Range", "bytes=10-19"}, {"If-Range", modified}});
  EXPECT_EQ(response.status, 206);

  for (const std::string& stale : {std::string("\"some-older-version\""), "W/" + etag,
                                   std::string("Sun, 06 Nov 1994 08:49:37 GMT")}) {
    response = get(port_, "/files/clip1", {{"Range", "bytes=10-19"}, {"If-Range", stale}});
    EXPECT_EQ(response.status, 200) << stale;
    EXPECT_TRUE(response.body == *clip_) << stale;
  }
}

TEST_F(ServerFiles, HeadHasTheHeadersAndNoBody) {
  const HttpResponse response = request(port_, "HEAD", "/files/clip1");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-length"), std::to_string(kClipSize));
  EXPECT_EQ(response.header("content-type"), "video/mp4");
  EXPECT_EQ(response.header("accept-ranges"), "bytes");
  EXPECT_FALSE(response.header("etag").empty());
  EXPECT_FALSE(response.header("last-modified").empty());
  EXPECT_EQ(response.body, "");

  EXPECT_EQ(request(port_, "HEAD", "/files/nosuchitem").status, 404);
  // Range applies to GET only (RFC 7233 3.1).
  EXPECT_EQ(request(port_, "HEAD", "/files/clip1", {{"Range", "bytes=0-9"}}).status, 200);

  // The other GET routes answer HEAD with their GET headers.
  for (const std::string target : {"/api/items/clip1", "/healthz", "/api/search?q=pomocy"}) {
    const HttpResponse got = get(port_, target);
    const HttpResponse head = request(port_, "HEAD", target);
    EXPECT_EQ(head.status, 200) << target;
    EXPECT_EQ(head.header("content-type"), got.header("content-type")) << target;
    if (target != "/api/search?q=pomocy") {  // took_ms varies
      EXPECT_EQ(head.header("content-length"), std::to_string(got.body.size())) << target;
    }
  }
}

TEST_F(ServerFiles, RemoteItemRedirectsToItsUrl) {
  const HttpResponse response = get(port_, "/files/remote1");
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(response.header("location"), "https://media.example.org/spot.mp4");
  EXPECT_EQ(request(port_, "HEAD", "/files/remote1").status, 302);
}

TEST_F(ServerFiles, UnknownAndInvalidIdsAre404) {
  expect_not_found(port_, "/files/nosuchitem");
  expect_not_found(port_, "/files/gone1");  // indexed, but its file was deleted
  for (const std::string target :
       {"/files/..%2f..%2f..%2fetc%2fpasswd", "/files/%2e%2e", "/files/%2E%2E%2Fsecret.txt",
        "/files/../outside/secret.txt", "/files/clip1%00", "/files/CLIP1", "/files/clip1.mp4",
        "/files/%2fetc%2fpasswd", "/files/clip1%2f..%2f..%2fescape1", "/thumbs/..%2fclip1",
        "/thumbs/%2e%2e%2findex-thumbs%2fclip1"}) {
    const HttpResponse response = get(port_, target);
    EXPECT_TRUE(response.status == 404 || response.status == 400)
        << target << " → " << response.status;
    EXPECT_EQ(response.body.find("SECRET"), std::string::npos) << target;
    EXPECT_EQ(response.body.find("root:"), std::string::npos) << target;
  }
}

TEST_F(ServerFiles, LinksPlacedAfterTheImportAreNotFollowed) {
  // The file itself became a link to a file outside the archive.
  expect_not_found(port_, "/files/escape1");
  // A folder on the way became a link to another folder holding a file of the same name.
  expect_not_found(port_, "/files/swapped1");
  for (const std::string target : {"/files/escape1", "/files/swapped1"}) {
    EXPECT_EQ(get(port_, target, {{"Range", "bytes=0-5"}}).body.find("SECRET"), std::string::npos);
    EXPECT_EQ(request(port_, "HEAD", target).status, 404);
  }
}

TEST_F(ServerFiles, KeepAliveConnectionServesSeveralRanges) {
  Connection connection(port_);
  for (const auto& [first, last] :
       std::vector<std::pair<int, int>>{{0, 1023}, {150000, 307199}, {5, 5}}) {
    const std::string range = "bytes=" + std::to_string(first) + "-" + std::to_string(last);
    ASSERT_TRUE(connection.send_all(
        request_bytes("GET", "/files/clip1", {{"Range", range}}, /*keep_alive=*/true)));
    const HttpResponse response = connection.read_response(false);
    EXPECT_EQ(response.status, 206) << range;
    EXPECT_TRUE(response.body == clip_->substr(first, last - first + 1)) << range;
  }
  ASSERT_TRUE(connection.send_all(request_bytes("GET", "/healthz", {}, true)));
  EXPECT_EQ(connection.read_response(false).status, 200);
}

// --- /thumbs ----------------------------------------------------------------------------------

TEST_F(ServerFiles, Thumbs) {
  const HttpResponse response = get(port_, "/thumbs/clip1");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "image/png");
  // Short, so a cover of an item made restricted leaves shared caches within a minute.
  EXPECT_EQ(response.header("cache-control"), "public, max-age=60, must-revalidate");
  EXPECT_TRUE(response.body == *cover_);
  EXPECT_FALSE(response.header("last-modified").empty());
  const std::string etag = response.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(get(port_, "/thumbs/clip1", {{"If-None-Match", etag}}).status, 304);
  EXPECT_EQ(
      get(port_, "/thumbs/clip1", {{"If-Modified-Since", response.header("last-modified")}}).status,
      304);
  const HttpResponse head = request(port_, "HEAD", "/thumbs/clip1");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), std::to_string(cover_->size()));

  expect_not_found(port_, "/thumbs/doc1");   // indexed, no cover
  expect_not_found(port_, "/thumbs/ghost");  // a cover, but no such item
  expect_not_found(port_, "/thumbs/nosuchitem");
}

// --- streaming --------------------------------------------------------------------------------

TEST_F(ServerFiles, LargeFileIsStreamedNotBuffered) {
  ASSERT_EQ(get(port_, "/files/clip1").status, 200);  // warm up the worker threads
  const long before = server_->rss_kb();
  ASSERT_GT(before, 0);

  Connection connection(port_);
  ASSERT_TRUE(connection.send_all(request_bytes("GET", "/files/big1", {})));
  // Read a little, then stall: a server that queued the whole answer would hold 64 MB now.
  ASSERT_TRUE(connection.fill(1024 * 1024, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  const long stalled = server_->rss_kb();
  // Other clients are not held up by the stalled one.
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(get(port_, "/healthz").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));

  const HttpResponse response = connection.read_response(false, std::chrono::seconds(60));
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(response.complete);
  ASSERT_EQ(response.body.size(), static_cast<std::size_t>(kBigSize));
  EXPECT_EQ(response.body.substr(static_cast<std::size_t>(kBigMarkAt), kBigMark.size()), kBigMark);
  const long after = server_->rss_kb();
  std::cout << "server VmRSS: " << before << " kB before, " << stalled << " kB while stalled, "
            << after << " kB after a 64 MB response\n";
#if !defined(__SANITIZE_ADDRESS__)  // ASan keeps freed memory in quarantine: RSS tells nothing
  EXPECT_LT(stalled - before, 20 * 1024) << "kB grown while a client stalls on a 64 MB file";
  EXPECT_LT(after - before, 20 * 1024) << "kB grown after sending a 64 MB file";
#endif
}

// A player that stops reading for a while (its buffer is full) must not be cut off: the
// server's 5 s request timeout applies to reading requests, not to a response in progress.
TEST_F(ServerFiles, ClientThatPausesReadingStillGetsTheWholeFile) {
  Connection connection(port_);
  ASSERT_TRUE(connection.send_all(request_bytes("GET", "/files/big1", {}, /*keep_alive=*/true)));
  ASSERT_TRUE(connection.fill(512 * 1024, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::seconds(7));
  const HttpResponse response = connection.read_response(false, std::chrono::seconds(60));
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(response.complete);
  EXPECT_EQ(response.body.size(), static_cast<std::size_t>(kBigSize));
  EXPECT_EQ(response.body.find("Request Timeout"), std::string::npos);
  EXPECT_EQ(connection.stray_bytes(std::chrono::milliseconds(100)), "");
  // The connection is still usable.
  ASSERT_TRUE(connection.send_all(request_bytes("GET", "/healthz", {}, true)));
  EXPECT_EQ(connection.read_response(false).status, 200);
}

// Every descriptor a download opened (the file, the connection's socket) is closed once the
// client hangs up. The index's own files are not counted: each reactor thread opens its
// Searcher (the index's tables, one descriptor each) on the first request it serves
// (index_readers.h), and Pistache gives a connection to thread `socket descriptor % threads`,
// so whether a download is some thread's first request depends on descriptor numbers.
TEST_F(ServerFiles, AbandonedDownloadsReleaseTheirFiles) {
  const fs::path index = folder_->path() / "index";
  const fs::path big = folder_->path() / "archive" / "big.mp4";
  ASSERT_EQ(get(port_, "/healthz").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::size_t descriptors = server_->open_descriptors(index);
  ASSERT_EQ(server_->descriptors_of(big), 0u);
  for (int i = 0; i < 5; ++i) {
    Connection connection(port_);
    ASSERT_TRUE(connection.send_all(request_bytes("GET", "/files/big1", {})));
    ASSERT_TRUE(connection.fill(300 * 1024, std::chrono::seconds(10)));
    EXPECT_GE(server_->descriptors_of(big), 1u) << "the download in progress holds the file";
  }  // closed mid-transfer
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while ((server_->open_descriptors(index) > descriptors || server_->descriptors_of(big) > 0) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_LE(server_->open_descriptors(index), descriptors);
  EXPECT_EQ(server_->descriptors_of(big), 0u);
  EXPECT_EQ(get(port_, "/files/clip1", {{"Range", "bytes=0-9"}}).body, clip_->substr(0, 10));
}

// --- the parts, without sockets ---------------------------------------------------------------

TEST(FileResponseParts, DecideRange) {
  using mediateka::server::decide_range;
  auto partial = [](std::int64_t first, std::int64_t last) { return std::make_pair(first, last); };
  auto bounds = [](const RangeDecision& decision) {
    EXPECT_EQ(decision.kind, RangeDecision::partial);
    return std::make_pair(decision.first, decision.last);
  };
  EXPECT_EQ(bounds(decide_range("bytes=0-9", 100)), partial(0, 9));
  EXPECT_EQ(bounds(decide_range("bytes=90-", 100)), partial(90, 99));
  EXPECT_EQ(bounds(decide_range("bytes=-10", 100)), partial(90, 99));
  EXPECT_EQ(bounds(decide_range("bytes=-1000", 100)), partial(0, 99));
  EXPECT_EQ(bounds(decide_range("bytes=5-500", 100)), partial(5, 99));
  EXPECT_EQ(bounds(decide_range(" bytes=1-2 , ", 100)), partial(1, 2));
  EXPECT_EQ(decide_range("bytes=100-", 100).kind, RangeDecision::unsatisfiable);
  EXPECT_EQ(decide_range("bytes=-0", 100).kind, RangeDecision::unsatisfiable);
  EXPECT_EQ(decide_range("bytes=0-", 0).kind, RangeDecision::unsatisfiable);
  EXPECT_EQ(decide_range("bytes=-5", 0).kind, RangeDecision::unsatisfiable);
  for (const char* ignored : {"", "bytes=", "bytes=9-1", "bytes=a-b", "bytes=1-2,3-4", "bits=1-2",
                              "bytes=+1-2", "bytes=1", "bytes=-", "bytes=0x1-2"}) {
    EXPECT_EQ(decide_range(ignored, 100).kind, RangeDecision::whole) << ignored;
  }
}

TEST(FileResponseParts, HttpDates) {
  using mediateka::server::http_date;
  using mediateka::server::parse_http_date;
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            std::optional<std::time_t>(784111777));
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            std::optional<std::time_t>(784111777));
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), std::optional<std::time_t>(784111777));
  EXPECT_FALSE(parse_http_date("yesterday"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing"));
}

TEST(FileResponseParts, EtagLists) {
  using mediateka::server::etag_list_matches;
  EXPECT_TRUE(etag_list_matches("\"a\"", "\"a\""));
  EXPECT_TRUE(etag_list_matches("W/\"a\"", "\"a\""));
  EXPECT_TRUE(etag_list_matches("\"x\", W/\"y\" ,\"a\"", "\"a\""));
  EXPECT_TRUE(etag_list_matches(" * ", "\"a\""));
  EXPECT_TRUE(etag_list_matches("\"a,b\"", "\"a,b\""));
  EXPECT_FALSE(etag_list_matches("\"b\"", "\"a\""));
  EXPECT_FALSE(etag_list_matches("a", "\"a\""));
  EXPECT_FALSE(etag_list_matches("\"a", "\"a\""));
  EXPECT_FALSE(etag_list_matches("", "\"a\""));
}

}  // namespace
