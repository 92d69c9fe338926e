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
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "index_writer.h"

namespace fs = std::filesystem;
using mediateka::media::fetch_to_file;
using mediateka::media::FetchError;
using mediateka::media::FetchOptions;

namespace {

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Answers GET requests from a fixed table of raw responses, one connection at a time.
class TinyHttpServer {
 public:
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
    auto found = responses_.find(path);
    std::string reply = found != responses_.end() ? found->second : response(404, "not found");
    std::size_t sent = 0;
    while (sent < reply.size()) {
      ssize_t count = send(connection, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
      if (count <= 0) return;
      sent += static_cast<std::size_t>(count);
    }
  }

  std::map<std::string, std::string> responses_;
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
    std::string pdf = std::system(command.c_str()) == 0 ? read_text(pattern) : std::string();
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
  EXPECT_EQ(read_text(root_ / "doc.pdf"), small_pdf());
  EXPECT_FALSE(fs::exists(root_ / "doc.pdf.part"));
}

TEST_F(Fetch, FollowsRedirects) {
  auto result = fetch_to_file(server_.url("/redirect"), root_ / "doc.pdf");
  EXPECT_EQ(result.final_url, server_.url("/doc.pdf"));
  EXPECT_EQ(read_text(root_ / "doc.pdf"), small_pdf());
}

TEST_F(Fetch, HttpErrorsNameStatusAndUrl) {
  std::string missing = fetch_error(server_.url("/missing"), root_ / "x");
  EXPECT_EQ(missing, "HTTP 404 from " + server_.url("/missing"));
  EXPECT_EQ(fetch_error(server_.url("/error"), root_ / "x"),
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
  EXPECT_EQ(WEXITSTATUS(status), 1) << read_text(root_ / "stderr");
  auto result = nlohmann::json::parse(read_text(report));
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
