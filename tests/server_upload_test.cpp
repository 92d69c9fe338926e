// Streamed uploads to the librarian's desk (search-server/desk/upload_gate.h): the framer hands
// an upload's head to the gate before any byte of its body is read; refusals (401, 403, 411, 413,
// 503) are answered while the client has sent only the head; an admitted body is streamed to
// temporary files and reaches the handler as ApiRequest::form; a failed or interrupted upload
// leaves nothing in the incoming folder; every other request keeps the framer's limits.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <optional>

#include "authorization.h"
#include "desk/upload_gate.h"
#include "http_server.h"
#include "index_readers.h"
#include "request_framing.h"
#include "request_metrics.h"
#include "server_test_support.h"
#include "shard_source.h"

namespace {

namespace fs = std::filesystem;
namespace server = mediateka::server;
using namespace mediateka::test;
using server::FramingError;
using server::RequestFramer;

const std::string kBoundary = "mtkUploadBoundary0123";

std::string multipart_body(const std::vector<std::pair<std::string, std::string>>& fields,
                           const std::string& file_field = "", const std::string& filename = "",
                           const std::string& file_bytes = "") {
  std::string body;
  for (const auto& [name, value] : fields)
    body += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  if (!file_field.empty())
    body += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + file_field +
            "\"; filename=\"" + filename + "\"\r\nContent-Type: application/pdf\r\n\r\n" +
            file_bytes + "\r\n";
  return body + "--" + kBoundary + "--\r\n";
}

// The head of an upload of `length` bytes (no Content-Length when negative).
std::string upload_head(const std::string& target, long long length,
                        const std::string& extra_headers = "") {
  std::string head = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers +
                     "Content-Type: multipart/form-data; boundary=" + kBoundary + "\r\n";
  if (length >= 0) head += "Content-Length: " + std::to_string(length) + "\r\n";
  return head + "\r\n";
}

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

// Reads one whole response from `fd` (head and Content-Length body) within `limit`; whether the
// server closed the connection after it is in `closed`.
std::optional<HttpResponse> read_response(
    int fd, bool* closed = nullptr, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buffer[65536];
  while (std::chrono::steady_clock::now() < deadline) {
    auto responses = parse_responses(received);
    if (!responses.empty()) {
      if (closed) {
        pollfd descriptor{fd, POLLIN, 0};
        *closed = poll(&descriptor, 1, 2000) > 0 && recv(fd, buffer, sizeof buffer, 0) == 0;
      }
      return responses.front();
    }
    pollfd descriptor{fd, POLLIN, 0};
    if (poll(&descriptor, 1, 50) <= 0) continue;
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  return std::nullopt;
}

std::size_t files_in(const fs::path& folder) {
  std::size_t count = 0;
  std::error_code error;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(folder, error)) ++count;
  return count;
}

// Waits until `folder` holds `count` files; false when it does not within `limit`.
bool wait_for_files(const fs::path& folder, std::size_t count,
                    std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (files_in(folder) == count) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return files_in(folder) == count;
}

// --- the framer
// -----------------------------------------------------------------------------------

bool upload_route(std::string_view method, std::string_view target, std::string_view type) {
  return server::is_upload_request(method, target, type);
}

struct RecordingSink : server::BodySink {
  std::string bytes;
  bool finished = false;
  std::optional<FramingError> refuse_after;  // refused once this many bytes came
  std::size_t limit = 0;
  std::atomic<bool>* destroyed = nullptr;
  ~RecordingSink() override {
    if (destroyed) *destroyed = true;
  }
  std::optional<FramingError> write(std::string_view more) override {
    bytes.append(more);
    if (refuse_after && bytes.size() > limit) return refuse_after;
    return std::nullopt;
  }
  std::optional<FramingError> finish() override {
    finished = true;
    return std::nullopt;
  }
};

TEST(UploadFraming, AnUploadsHeadComesFirstThenItsBodyGoesToTheSink) {
  const std::string body(100 * 1024, 'b');  // above the framer's 64 KB body limit
  const std::string bytes =
      upload_head("/api/admin/items?x=1", static_cast<long long>(body.size()), "X-Note: kept\r\n") +
      body + "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
  for (std::size_t step : {1u, 7u, 4096u, 1u << 20}) {
    RequestFramer framer({}, upload_route);
    auto sink = std::make_shared<RecordingSink>();
    std::vector<std::string> requests;
    std::optional<RequestFramer::StreamedHead> head;
    std::shared_ptr<server::BodySink> streamed_body;
    for (std::size_t at = 0; at < bytes.size(); at += step) {
      framer.append(std::string_view(bytes).substr(at, step));
      for (;;) {
        auto next = framer.next();
        ASSERT_FALSE(next.error) << next.error->message;
        if (next.streamed) {
          ASSERT_FALSE(head);
          head = next.streamed;
          EXPECT_TRUE(framer.streaming());
          EXPECT_FALSE(framer.next().request);  // nothing until admitted
          EXPECT_TRUE(sink->bytes.empty());
          framer.admit(sink);
          continue;
        }
        if (!next.request) break;
        if (next.body) streamed_body = next.body;
        requests.push_back(*next.request);
      }
    }
    ASSERT_TRUE(head) << step;
    EXPECT_EQ(head->content_length, body.size());
    EXPECT_EQ(head->head.find("POST /api/admin/items?x=1 HTTP/1.1\r\n"), 0u);
    EXPECT_EQ(sink->bytes, body);
    EXPECT_TRUE(sink->finished);
    EXPECT_EQ(streamed_body, sink);
    ASSERT_EQ(requests.size(), 2u) << step;
    EXPECT_NE(requests[0].find("X-Note: kept\r\n"), std::string::npos);
    EXPECT_NE(requests[0].find("Content-Length: 0\r\n"), std::string::npos);
    EXPECT_EQ(requests[0].find(std::to_string(body.size())), std::string::npos);
    EXPECT_EQ(requests[0].substr(requests[0].size() - 4), "\r\n\r\n");
    EXPECT_EQ(requests[1].find("GET /healthz"), 0u);
    EXPECT_TRUE(framer.idle());
  }
}

TEST(UploadFraming, OtherRequestsKeepTheBodyLimit) {
  const std::string big = std::to_string(70 * 1024);
  for (const std::string head :
       {// Not an upload route, not POST, not multipart, a path that only starts like one.
        "POST /logowanie HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\n",
        "PUT /api/admin/items HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\n",
        "POST /api/admin/items HTTP/1.1\r\nContent-Type: application/json\r\n",
        "POST /api/admin/items/x HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\n",
        "POST /api/admin/items/ HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\n",
        "POST /biblioteka/pozycje//plik HTTP/1.1\r\nContent-Type: multipart/form-data\r\n"}) {
    RequestFramer framer({}, upload_route);
    framer.append(head + "Content-Length: " + big + "\r\n\r\n");
    const auto next = framer.next();
    ASSERT_TRUE(next.error) << head;
    EXPECT_EQ(next.error->status, 413) << head;
    EXPECT_FALSE(next.streamed);
  }
  for (const char* path :
       {"/api/admin/items", "/api/admin/imports", "/api/admin/items/a1/replace",
        "/biblioteka/dodaj", "/biblioteka/import", "/biblioteka/pozycje/a1/plik"})
    EXPECT_TRUE(server::is_upload_path(path)) << path;
  // Transfer-Encoding stays refused for uploads too: they must declare their size.
  RequestFramer framer({}, upload_route);
  framer.append(
      "POST /api/admin/items HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
      "Content-Type: multipart/form-data; boundary=b\r\n\r\n");
  EXPECT_EQ(framer.next().error->status, 411);
}

TEST(UploadFraming, ASinksRefusalOrACloseEndsTheUpload) {
  RequestFramer framer({}, upload_route);
  framer.append(upload_head("/api/admin/imports", 1000));
  ASSERT_TRUE(framer.next().streamed);
  auto sink = std::make_shared<RecordingSink>();
  sink->refuse_after = FramingError{400, "bad_multipart", "broken"};
  sink->limit = 10;
  std::atomic<bool> destroyed{false};
  sink->destroyed = &destroyed;
  framer.admit(std::move(sink));
  framer.append(std::string(20, 'x'));
  const auto next = framer.next();
  ASSERT_TRUE(next.error);
  EXPECT_EQ(next.error->code, "bad_multipart");
  EXPECT_TRUE(framer.closed());
  EXPECT_TRUE(destroyed);

  RequestFramer closing({}, upload_route);
  closing.append(upload_head("/api/admin/imports", 1000));
  ASSERT_TRUE(closing.next().streamed);
  auto kept = std::make_shared<RecordingSink>();
  std::atomic<bool> gone{false};
  kept->destroyed = &gone;
  closing.admit(std::move(kept));
  closing.append(std::string(500, 'x'));
  EXPECT_FALSE(closing.next().request);
  EXPECT_FALSE(gone);
  closing.close();  // the client went away mid-body
  EXPECT_TRUE(gone);
}

// --- refusals by the real server ----------------------------------------------------------------

class UploadRefusals : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    served_ = new ServedIndex({make_item("ulotka1", mediateka::ItemType::publication,
                                         "Ulotka o pomocy", 2020, {"Rodzina"})},
                              {"partnerzy"});
  }
  static void TearDownTestSuite() {
    delete served_;
    served_ = nullptr;
  }
  // Sends an upload's head alone (declaring a 10 MB body) and reads the answer.
  static HttpResponse head_only(const std::string& target, const std::string& extra = "",
                                bool* closed = nullptr) {
    const int fd = connect_to(served_->port());
    EXPECT_GE(fd, 0);
    EXPECT_TRUE(send_all(fd, upload_head(target, 10 << 20, extra)));
    auto response = read_response(fd, closed);
    close(fd);
    if (!response) {
      ADD_FAILURE() << "no answer to the head of " << target;
      return {};
    }
    return *response;
  }
  static fs::path incoming() { return fs::path(served_->db().string() + "-desk") / "incoming"; }

  static ServedIndex* served_;
};
ServedIndex* UploadRefusals::served_ = nullptr;

TEST_F(UploadRefusals, AnonymousWrongAndReaderTokensAreRefusedBeforeTheBody) {
  ASSERT_GT(served_->port(), 0);
  bool closed = false;
  HttpResponse anonymous = head_only("/api/admin/items", "", &closed);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.json_body()["error"]["code"], "unauthorized");
  EXPECT_EQ(anonymous.header("www-authenticate"), "Bearer realm=\"mediateka\"");
  EXPECT_TRUE(closed) << "the connection stays open for a body never to be read";

  EXPECT_EQ(head_only("/api/admin/imports", bearer("mtk_000000000000_wrong")).status, 401);

  HttpResponse reader = head_only("/api/admin/items/ulotka1/replace", bearer(served_->token()));
  EXPECT_EQ(reader.status, 403);
  EXPECT_EQ(reader.json_body()["error"]["code"], "forbidden");

  // The desk's pages answer in Polish.
  HttpResponse page = head_only("/biblioteka/dodaj");
  EXPECT_EQ(page.status, 401);
  EXPECT_NE(page.header("content-type").find("text/html"), std::string::npos);
  EXPECT_EQ(head_only("/biblioteka/pozycje/ulotka1/plik", bearer(served_->token())).status, 403);

  // Nothing was stored.
  EXPECT_EQ(files_in(incoming()), 0u);
}

TEST_F(UploadRefusals, EveryOtherRouteKeepsItsLimits) {
  // A JSON body to an upload route, and a form to the login page, are framed as before.
  const std::string raw = exchange(served_->port(),
                                   "POST /api/admin/items HTTP/1.1\r\nHost: a\r\nContent-Type: "
                                   "application/json\r\nContent-Length: 70000\r\n\r\n");
  auto responses = parse_responses(raw);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 413);
  const std::string login =
      exchange(served_->port(),
               "POST /logowanie HTTP/1.1\r\nHost: a\r\nContent-Type: multipart/form-data; "
               "boundary=b\r\nContent-Length: 70000\r\n\r\n");
  responses = parse_responses(login);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 413);
}

}  // namespace
