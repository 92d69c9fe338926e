// Fetching remote sources, against a tiny HTTP server on 127.0.0.1 inside the test.
#include "fetch.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "archive/index_writer.h"
#include "test_files.h"

namespace fs = std::filesystem;
using mediateka::media::fetch_to_file;
using mediateka::media::FetchConditions;
using mediateka::media::FetchError;
using mediateka::media::FetchOptions;
using mediateka::media::FetchResult;
using mediateka::test::read_file;

namespace {

// Answers GET requests from a table of raw responses or of handlers that see the request,
// one connection at a time, and counts the requests per path.
class TinyHttpServer {
 public:
  using Handler = std::function<std::string(const std::string& request)>;

  explicit TinyHttpServer(std::map<std::string, std::string> responses)
      : responses_(std::move(responses)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // an ephemeral port
    int yes = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listener_, 16) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    socklen_t length = sizeof address;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TinyHttpServer() {
    stopping_ = true;
    thread_.join();
    close(listener_);
  }

  // Set before the first request for `path`.
  void handle(const std::string& path, Handler handler) {
    std::lock_guard<std::mutex> lock(mutex_);
    handlers_[path] = std::move(handler);
  }

  int hits(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex_);
    return hits_[path];
  }

  // Sleeps for `duration` unless the server is being stopped.
  void pause(std::chrono::milliseconds duration) {
    const auto until = std::chrono::steady_clock::now() + duration;
    while (!stopping_ && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  static std::string response(int status, const std::string& body,
                              const std::string& extra_headers = "") {
    return "HTTP/1.1 " + std::to_string(status) +
           " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n" +
           extra_headers + "\r\n" + body;
  }

 private:
  void serve() {
    while (!stopping_) {
      pollfd waiting{listener_, POLLIN, 0};
      if (poll(&waiting, 1, 50) <= 0) continue;
      int connection = accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      answer(connection);
      close(connection);
    }
  }

  void answer(int connection) {
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
      ssize_t count = recv(connection, buffer, sizeof buffer, 0);
      if (count <= 0) return;
      request.append(buffer, static_cast<std::size_t>(count));
    }
    std::istringstream line(request);
    std::string method, path;
    line >> method >> path;
    path = path.substr(0, path.find('?'));  // routes ignore the query
    Handler handler;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++hits_[path];
      if (auto found = handlers_.find(path); found != handlers_.end()) handler = found->second;
    }
    auto found = responses_.find(path);
    std::string reply = handler                     ? handler(request)
                        : found != responses_.end() ? found->second
                                                    : response(404, "not found");
    std::size_t sent = 0;
    while (sent < reply.size()) {
      ssize_t count = send(connection, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
      if (count <= 0) return;
      sent += static_cast<std::size_t>(count);
    }
  }

  std::map<std::string, std::string> responses_;
  std::mutex mutex_;
  std::map<std::string, Handler> handlers_;
  std::map<std::string, int> hits_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// A real PDF made once with reportlab, so the indexer can extract it.
const std::string& small_pdf() {
  static const std::string bytes = [] {
    char pattern[] = "/tmp/mediateka-pdf-XXXXXX";
    int fd = mkstemp(pattern);
    close(fd);
    std::string command =
        std::string(
            "/usr/bin/python3 -c 'import sys; from reportlab.pdfgen import canvas; "
            "c = canvas.Canvas(sys.argv[1]); c.drawString(72, 720, \"Pomoc spoleczna\"); "
            "c.save()' ") +
        pattern;
    std::string pdf = std::system(command.c_str()) == 0 ? read_file(pattern) : std::string();
    fs::remove(pattern);
    return pdf;
  }();
  return bytes;
}

class Fetch : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(small_pdf().empty()) << "needs python3-reportlab";
    char pattern[] = "/tmp/mediateka-fetch-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { fs::remove_all(root_); }

  TinyHttpServer server_{{
      {"/doc.pdf", TinyHttpServer::response(200, small_pdf(),
                                            "Content-Type: application/pdf\r\nETag: \"v1\"\r\n")},
      {"/redirect", TinyHttpServer::response(302, "", "Location: /doc.pdf\r\n")},
      {"/loop", TinyHttpServer::response(302, "", "Location: /loop\r\n")},
      {"/big", TinyHttpServer::response(200, std::string(100000, 'x'))},
      {"/error", TinyHttpServer::response(500, "boom")},
  }};
  fs::path root_;
};

std::string fetch_error(const std::string& url, const fs::path& dest,
                        const FetchOptions& options = {}) {
  try {
    fetch_to_file(url, dest, options);
  } catch (const FetchError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_F(Fetch, DownloadsTheBody) {
  auto result = fetch_to_file(server_.url("/doc.pdf"), root_ / "doc.pdf");
  EXPECT_EQ(result.http_status, 200);
  EXPECT_EQ(result.size, static_cast<std::int64_t>(small_pdf().size()));
  EXPECT_EQ(result.content_type, "application/pdf");
  EXPECT_EQ(result.etag, "\"v1\"");
  EXPECT_EQ(read_file(root_ / "doc.pdf"), small_pdf());
  EXPECT_FALSE(fs::exists(root_ / "doc.pdf.part"));
}

TEST_F(Fetch, FollowsRedirects) {
  auto result = fetch_to_file(server_.url("/redirect"), root_ / "doc.pdf");
  EXPECT_EQ(result.final_url, server_.url("/doc.pdf"));
  EXPECT_EQ(read_file(root_ / "doc.pdf"), small_pdf());
}

TEST_F(Fetch, HttpErrorsNameStatusAndUrl) {
  std::string missing = fetch_error(server_.url("/missing"), root_ / "x");
  EXPECT_EQ(missing, "HTTP 404 from " + server_.url("/missing"));
  FetchOptions once;
  once.attempts = 1;
  EXPECT_EQ(fetch_error(server_.url("/error"), root_ / "x", once),
            "HTTP 500 from " + server_.url("/error"));
  EXPECT_FALSE(fs::exists(root_ / "x"));
  EXPECT_FALSE(fs::exists(root_ / "x.part"));
}

TEST_F(Fetch, TooManyRedirectsAndTooLargeBodiesFail) {
  std::string loop = fetch_error(server_.url("/loop"), root_ / "x");
  EXPECT_NE(loop.find("redirects"), std::string::npos) << loop;
  FetchOptions small;
  small.max_bytes = 1000;
  std::string big = fetch_error(server_.url("/big"), root_ / "x", small);
  EXPECT_NE(big.find("larger than the limit"), std::string::npos) << big;
  EXPECT_FALSE(fs::exists(root_ / "x"));
}

TEST_F(Fetch, UnreachableAndUnsupportedUrlsFail) {
  FetchOptions quick;
  quick.connect_timeout = std::chrono::seconds(2);
  quick.retry_delay = std::chrono::milliseconds(10);
  // Port 1 on the loopback interface refuses connections.
  std::string refused = fetch_error("http://127.0.0.1:1/a.pdf", root_ / "x", quick);
  EXPECT_NE(refused.find("http://127.0.0.1:1/a.pdf"), std::string::npos) << refused;
  std::string file_url = fetch_error("file:///etc/passwd", root_ / "x");
  EXPECT_NE(file_url.find("file:///etc/passwd"), std::string::npos) << file_url;
  EXPECT_FALSE(fs::exists(root_ / "x"));
}

TEST_F(Fetch, IndexerImportsAUrlAndReportsAFailingOne) {
  fs::path db = root_ / "db", report = root_ / "report.json";
  std::string command = std::string(MEDIATEKA_INDEX_BIN) + " import --quiet --config " +
                        MEDIATEKA_SOURCE_DIR "/config/mediateka.toml --db " + db.string() +
                        " --report " + report.string() + " " + server_.url("/doc.pdf") + " " +
                        server_.url("/missing") + " 2>" + (root_ / "stderr").string();
  int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << read_file(root_ / "stderr");
  auto result = nlohmann::json::parse(read_file(report));
  EXPECT_EQ(result["imported"], 1);
  EXPECT_EQ(result["failed"], 1);
  EXPECT_EQ(result["items"][1]["error"], "HTTP 404 from " + server_.url("/missing"));

  mediateka::IndexWriter index(db.string());
  auto item = index.find_by_source(server_.url("/doc.pdf"));
  ASSERT_TRUE(item);
  EXPECT_EQ(item->source.url, server_.url("/doc.pdf"));
  EXPECT_TRUE(item->source.path.empty());
  EXPECT_TRUE(fs::exists(item->source.file));
  EXPECT_EQ(fs::path(item->source.file).parent_path(), fs::path(db.string() + ".cache"));
}

namespace {

FetchOptions quick_retries() {
  FetchOptions options;
  options.retry_delay = std::chrono::milliseconds(10);
  return options;
}

}  // namespace

TEST_F(Fetch, A500ThenA200IsRetriedAndSucceeds) {
  server_.handle("/flaky.pdf", [this](const std::string&) {
    return server_.hits("/flaky.pdf") == 1
               ? TinyHttpServer::response(500, "try again")
               : TinyHttpServer::response(200, small_pdf(), "Content-Type: application/pdf\r\n");
  });
  FetchResult result = fetch_to_file(server_.url("/flaky.pdf"), root_ / "doc.pdf", quick_retries());
  EXPECT_EQ(result.http_status, 200);
  EXPECT_EQ(result.attempts, 2);
  EXPECT_EQ(server_.hits("/flaky.pdf"), 2);
  EXPECT_EQ(read_file(root_ / "doc.pdf"), small_pdf());
}

TEST_F(Fetch, PersistentServerErrorsAndTooManyRequestsFailAfterEveryAttempt) {
  server_.handle("/busy",
                 [](const std::string&) { return TinyHttpServer::response(429, "slow down"); });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(fetch_error(server_.url("/error"), root_ / "x", quick_retries()),
            "HTTP 500 from " + server_.url("/error") + " (3 attempts)");
  EXPECT_EQ(server_.hits("/error"), 3);
  EXPECT_EQ(fetch_error(server_.url("/busy"), root_ / "x", quick_retries()),
            "HTTP 429 from " + server_.url("/busy") + " (3 attempts)");
  EXPECT_EQ(server_.hits("/busy"), 3);
  // Backoff: 10 ms, then 20 ms, per URL.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(60));
  EXPECT_FALSE(fs::exists(root_ / "x"));
}

TEST_F(Fetch, ClientErrorsAreNotRetried) {
  EXPECT_EQ(fetch_error(server_.url("/missing"), root_ / "x", quick_retries()),
            "HTTP 404 from " + server_.url("/missing"));
  EXPECT_EQ(server_.hits("/missing"), 1);
}

TEST_F(Fetch, ASlowServerTimesOutAndIsRetried) {
  server_.handle("/slow.pdf", [this](const std::string&) {
    server_.pause(std::chrono::milliseconds(1000));
    return TinyHttpServer::response(200, small_pdf());
  });
  FetchOptions options = quick_retries();
  options.total_timeout = std::chrono::milliseconds(200);
  options.attempts = 2;
  const auto start = std::chrono::steady_clock::now();
  std::string error = fetch_error(server_.url("/slow.pdf"), root_ / "x", options);
  EXPECT_EQ(error, "timed out after 0.2 s fetching " + server_.url("/slow.pdf") + " (2 attempts)");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  EXPECT_FALSE(fs::exists(root_ / "x"));
}

TEST_F(Fetch, TooLargeIsNotRetried) {
  FetchOptions small = quick_retries();
  small.max_bytes = 1000;
  std::string big = fetch_error(server_.url("/big"), root_ / "x", small);
  EXPECT_NE(big.find("larger than the limit of 1000 bytes"), std::string::npos) << big;
  EXPECT_EQ(server_.hits("/big"), 1);
}

TEST_F(Fetch, ConditionalRequestsAnswered304LeaveTheCopyAlone) {
  server_.handle("/tagged.pdf", [](const std::string& request) {
    if (request.find("If-None-Match: \"v1\"") != std::string::npos)
      return TinyHttpServer::response(304, "", "ETag: \"v1\"\r\n");
    return TinyHttpServer::response(200, small_pdf(), "ETag: \"v1\"\r\n");
  });
  server_.handle("/dated.pdf", [](const std::string& request) {
    if (request.find("If-Modified-Since: Sun, 01 Feb 2026 10:00:00 GMT") != std::string::npos)
      return TinyHttpServer::response(304, "");
    return TinyHttpServer::response(200, small_pdf(),
                                    "Last-Modified: Sun, 01 Feb 2026 10:00:00 GMT\r\n");
  });
  std::ofstream(root_ / "copy.pdf") << "the copy";

  FetchConditions by_tag;
  by_tag.etag = "\"v1\"";
  FetchResult tagged = fetch_to_file(server_.url("/tagged.pdf"), root_ / "copy.pdf", {}, by_tag);
  EXPECT_TRUE(tagged.not_modified);
  EXPECT_EQ(tagged.http_status, 304);
  EXPECT_EQ(read_file(root_ / "copy.pdf"), "the copy");

  FetchResult first = fetch_to_file(server_.url("/dated.pdf"), root_ / "dated.pdf");
  ASSERT_TRUE(first.last_modified);
  EXPECT_FALSE(first.not_modified);
  FetchConditions by_date;
  by_date.last_modified = first.last_modified;
  FetchResult dated = fetch_to_file(server_.url("/dated.pdf"), root_ / "copy.pdf", {}, by_date);
  EXPECT_TRUE(dated.not_modified);
  EXPECT_EQ(read_file(root_ / "copy.pdf"), "the copy");
}

TEST_F(Fetch, ContentTypeFromSniffingThenFromTheHeader) {
  server_.handle("/download", [](const std::string&) {
    return TinyHttpServer::response(200, small_pdf(), "Content-Type: application/octet-stream\r\n");
  });
  server_.handle("/text", [](const std::string&) {
    return TinyHttpServer::response(200, "hello", "Content-Type: Text/Plain; charset=utf-8\r\n");
  });
  EXPECT_EQ(fetch_to_file(server_.url("/download"), root_ / "a").mime, "application/pdf");
  FetchResult text = fetch_to_file(server_.url("/text"), root_ / "b");
  EXPECT_EQ(text.mime, "text/plain");
  EXPECT_EQ(text.content_type, "Text/Plain; charset=utf-8");
  EXPECT_EQ(mediateka::media::extension_for_mime("application/pdf"), ".pdf");
  EXPECT_EQ(mediateka::media::extension_for_mime("text/plain"), "");
}

// The importer's download cache: the file gets the extension of its kind, a second import is
// a conditional request answered 304 (unchanged, nothing extracted), a new version is updated.
TEST_F(Fetch, ReimportOfAnUnchangedUrlIsAConditionalRequestAnswered304) {
  std::atomic<int> version{1};
  std::atomic<int> conditional{0};
  server_.handle("/get", [&](const std::string& request) {
    const std::string etag = "\"v" + std::to_string(version.load()) + "\"";
    if (request.find("If-None-Match: " + etag) != std::string::npos) {
      ++conditional;
      return TinyHttpServer::response(304, "", "ETag: " + etag + "\r\n");
    }
    std::string body = small_pdf();
    if (version > 1) body += "\n% version " + std::to_string(version.load()) + "\n";
    return TinyHttpServer::response(
        200, body, "Content-Type: application/octet-stream\r\nETag: " + etag + "\r\n");
  });
  const std::string url = server_.url("/get") + "?id=7";
  fs::path db = root_ / "db", report = root_ / "report.json";
  auto import = [&] {
    std::string command = std::string(MEDIATEKA_INDEX_BIN) + " import --quiet --config " +
                          MEDIATEKA_SOURCE_DIR "/config/mediateka.toml --db " + db.string() +
                          " --report " + report.string() + " '" + url + "' 2>" +
                          (root_ / "stderr").string();
    int status = std::system(command.c_str());
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(root_ / "stderr");
    return nlohmann::json::parse(read_file(report));
  };

  EXPECT_EQ(import()["imported"], 1);
  std::string id;
  {
    mediateka::IndexWriter index(db.string());
    auto item = index.find_by_source(url);
    ASSERT_TRUE(item);
    id = item->id;
    EXPECT_EQ(fs::path(item->source.file).extension(), ".pdf");
    EXPECT_EQ(item->source.mime, "application/pdf");
  }
  nlohmann::json second = import();
  EXPECT_EQ(second["unchanged"], 1) << second;
  EXPECT_EQ(conditional, 1);

  version = 2;
  nlohmann::json third = import();
  EXPECT_EQ(third["updated"], 1) << third;
  EXPECT_EQ(third["items"][0]["id"], id);
  EXPECT_EQ(server_.hits("/get"), 3);
}

TEST_F(Fetch, AnUnreachableUrlFailsWithAReasonAndTheImportGoesOn) {
  fs::path db = root_ / "db", report = root_ / "report.json";
  std::string command = std::string(MEDIATEKA_INDEX_BIN) + " import --quiet --config " +
                        MEDIATEKA_SOURCE_DIR "/config/mediateka.toml --db " + db.string() +
                        " --report " + report.string() + " http://127.0.0.1:1/a.pdf " +
                        server_.url("/doc.pdf") + " 2>" + (root_ / "stderr").string();
  int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  auto result = nlohmann::json::parse(read_file(report));
  EXPECT_EQ(result["imported"], 1);
  const std::string error = result["items"][0]["error"];
  EXPECT_EQ(error.find("cannot fetch http://127.0.0.1:1/a.pdf: "), 0u) << error;
  EXPECT_NE(error.find("(3 attempts)"), std::string::npos) << error;
  EXPECT_NE(read_file(root_ / "stderr").find("FAILED http://127.0.0.1:1/a.pdf: cannot fetch"),
            std::string::npos);
}
