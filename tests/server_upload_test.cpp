// Streamed uploads to the librarian's desk (search-server/desk/upload_gate.h): the framer hands
// an upload's head to the gate before any byte of its body is read; refusals (401, 403, 411, 413,
// 503) are answered while the client has sent only the head; an admitted body is streamed to
// temporary files and reaches the handler as ApiRequest::form; a failed or interrupted upload
// leaves nothing in the incoming folder; every other request keeps the framer's limits.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <optional>

#include "archive/search/shard_source.h"
#include "authorization.h"
#include "desk/desk.h"
#include "desk/upload_gate.h"
#include "http/http_server.h"
#include "http/request_framing.h"
#include "http/request_metrics.h"
#include "index_readers.h"
#include "server_test_support.h"

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

TEST(UploadLeftovers, WhatAKilledServerLeftInTheIncomingFolderGoesAtStart) {
  TemporaryFolder folder;
  const fs::path db = folder.path() / "index";
  write_index(db, {make_item("ulotka1", mediateka::ItemType::publication, "Ulotka", 2020, {})});
  const fs::path incoming = folder.path() / "index-desk" / "incoming";
  fs::create_directories(incoming);
  write_file(incoming / "upload-1-0-1.part", "half an upload");
  ServerProcess server(db);
  ASSERT_GT(server.wait_until_listening(), 0);
  EXPECT_EQ(files_in(incoming), 0u);
}

// --- admitted uploads (a server in this process, answering with the test's own handler) ---------

// A librarian's token for the index at `db`.
std::string librarian_token(const fs::path& db) {
  return mediateka::create_librarian_token(db.string(), "Biblioteka", "", std::time(nullptr)).token;
}

// What the test's handler saw of a request's form.
struct SeenFile {
  std::string field, filename, content_type, content;
  std::uint64_t size = 0;
  fs::path path;
};
struct Seen {
  std::string target;
  std::map<std::string, std::string> fields;
  std::vector<std::pair<std::string, std::string>> field_list;
  std::vector<SeenFile> files;
};

class DeskUploads : public ::testing::Test {
 protected:
  void SetUp() override {
    signal(SIGPIPE, SIG_IGN);
    write_index(
        db_, {make_item("ulotka1", mediateka::ItemType::publication, "Ulotka", 2020, {"Rodzina"})});
    librarian_ = librarian_token(db_);
    reader_ =
        mediateka::create_token(db_.string(), {"partnerzy"}, "Partner", "", std::time(nullptr))
            .token;
    start(true, 1);
  }
  void TearDown() override { stop(); }

  // A server with a desk whose uploads may reach `max_upload_mb`, or with none.
  void start(bool desk_enabled, int max_upload_mb) {
    index_.emplace(mediateka::local_shards({db_.string()}), mediateka::ShardOptions{},
                   mediateka::Vocabulary(), 0);
    authorizer_.emplace(db_.string());
    if (desk_enabled) {
      mediateka::Config config;
      config.db = db_.string();
      config.desk.max_upload_mb = max_upload_mb;
      desk_.emplace(config);
    }
    server::ServerContext context{*index_,      metrics_,   (folder_.path() / "thumbs").string(),
                                  *authorizer_, {},         {},
                                  {},           256u << 20, {}};
    context.desk = desk_ ? &*desk_ : nullptr;
    // The test's handler: records the form (reading each file while it is there), keeps the
    // file sent as "keep" by moving it away, and leaves every other request to the routes.
    auto dispatch = [this](std::string_view method, std::string_view target,
                           server::ServerContext& served, const server::RequestHeaders& headers,
                           std::string body, std::string client,
                           std::shared_ptr<server::UploadedForm> form) {
      if (!form)
        return server::handle_request(method, target, served, headers, std::move(body),
                                      std::move(client));
      Seen seen;
      seen.target = std::string(target);
      seen.fields = form->fields;
      seen.field_list = form->field_list;
      for (auto& file : form->files) {
        seen.files.push_back({file.field, file.filename, file.content_type, read_file(file.path),
                              file.size, file.path});
        if (file.field == "keep") form->take(file, folder_.path() / "kept.pdf");
      }
      std::lock_guard<std::mutex> lock(mutex_);
      seen_.push_back(std::move(seen));
      return server::Response{200, server::kJsonContentType, "{\"taken\":true}"};
    };
    server_.emplace(server::ListenOptions{"127.0.0.1", 0, 2}, context, server::TrustedProxies{},
                    dispatch);
    port_ = server_->start();
  }
  void stop() {
    if (server_) server_->drain_and_stop(std::chrono::milliseconds(200));
    server_.reset();
    desk_.reset();
    authorizer_.reset();
    index_.reset();
  }
  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }
  // Sends `head` alone and reads the answer.
  HttpResponse head_only(const std::string& head, bool* closed = nullptr) {
    const int fd = connect_to(port_);
    EXPECT_TRUE(send_all(fd, head));
    auto response = read_response(fd, closed);
    close(fd);
    if (!response) ADD_FAILURE() << "no answer to " << head.substr(0, 60);
    return response.value_or(HttpResponse{});
  }

  TemporaryFolder folder_;
  const fs::path db_ = folder_.path() / "index";
  const fs::path incoming_ = folder_.path() / "index-desk" / "incoming";
  std::string librarian_, reader_;
  std::optional<server::IndexReaders> index_;
  server::RequestMetrics metrics_;
  std::optional<server::Authorizer> authorizer_;
  std::optional<server::Desk> desk_;
  std::optional<server::HttpServer> server_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<Seen> seen_;
};

TEST_F(DeskUploads, AnAdmittedUploadReachesTheHandlerWithItsFieldsAndFiles) {
  std::string pdf = "%PDF-1.4\n";
  for (int n = 0; pdf.size() < 300 * 1024; ++n) pdf += "line " + std::to_string(n) + "\r\n";
  std::string body = multipart_body({{"title", "Ulotka o pomocy społecznej"},
                                     {"campaigns", "Rodzina"},
                                     {"campaigns", "Aktywna integracja"}},
                                    "file", "../../etc/passwd", pdf);
  // A second file, which the handler keeps.
  body.insert(body.rfind("--" + kBoundary + "--"),
              "--" + kBoundary +
                  "\r\nContent-Disposition: form-data; name=\"keep\"; filename=\"k.pdf\"\r\n\r\n"
                  "KEPT\r\n");
  const int fd = connect_to(port_);
  ASSERT_TRUE(send_all(fd, upload_head("/api/admin/items", static_cast<long long>(body.size()),
                                       bearer(librarian_) + "Connection: keep-alive\r\n")));
  for (std::size_t at = 0; at < body.size(); at += 9973) {  // in pieces, as a network gives it
    ASSERT_TRUE(send_all(fd, body.substr(at, 9973)));
  }
  auto response = read_response(fd);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->body, "{\"taken\":true}");
  // The connection goes on: the next request is framed as usual.
  ASSERT_TRUE(send_all(fd, "GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
  auto next = read_response(fd);
  close(fd);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);

  const auto all = seen();
  ASSERT_EQ(all.size(), 1u);
  const Seen& form = all[0];
  EXPECT_EQ(form.target, "/api/admin/items");
  EXPECT_EQ(form.fields.at("title"), "Ulotka o pomocy społecznej");
  ASSERT_EQ(form.field_list.size(), 3u);
  EXPECT_EQ(form.field_list[2].second, "Aktywna integracja");
  ASSERT_EQ(form.files.size(), 2u);
  EXPECT_EQ(form.files[0].filename, "../../etc/passwd");  // display text only
  EXPECT_EQ(form.files[0].path.parent_path(), incoming_);
  EXPECT_EQ(form.files[0].content_type, "application/pdf");
  EXPECT_EQ(form.files[0].size, pdf.size());
  EXPECT_EQ(form.files[0].content, pdf);
  EXPECT_EQ(form.files[1].content, "KEPT");
  // What the handler took stays; the rest went with the form.
  EXPECT_EQ(read_file(folder_.path() / "kept.pdf"), "KEPT");
  EXPECT_TRUE(wait_for_files(incoming_, 0));
  EXPECT_FALSE(fs::exists(folder_.path() / "etc"));
}

TEST_F(DeskUploads, AClientThatAsksLeaveToSendGetsItAfterTheGate) {
  const std::string body = multipart_body({{"dry_run", "1"}}, "manifest", "m.csv", "id,title\n");
  const int fd = connect_to(port_);
  ASSERT_TRUE(send_all(fd, upload_head("/api/admin/imports", static_cast<long long>(body.size()),
                                       bearer(librarian_) + "Expect: 100-continue\r\n")));
  char buffer[256];
  pollfd descriptor{fd, POLLIN, 0};
  ASSERT_GT(poll(&descriptor, 1, 5000), 0);
  const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(n)), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(send_all(fd, body));
  auto response = read_response(fd);
  close(fd);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  ASSERT_EQ(seen().size(), 1u);
  EXPECT_EQ(seen()[0].files.at(0).content, "id,title\n");
  // A reader asking leave gets its refusal instead.
  HttpResponse reader = head_only(
      upload_head("/api/admin/imports", 100, bearer(reader_) + "Expect: 100-continue\r\n"));
  EXPECT_EQ(reader.status, 403);
}

TEST_F(DeskUploads, SizeIsCheckedBeforeTheBody) {
  bool closed = false;
  HttpResponse large =
      head_only(upload_head("/api/admin/items", (1 << 20) + 1, bearer(librarian_)), &closed);
  EXPECT_EQ(large.status, 413);
  EXPECT_EQ(large.json_body()["error"]["code"], "request_too_large");
  EXPECT_TRUE(closed);
  HttpResponse unsized = head_only(upload_head("/api/admin/items", -1, bearer(librarian_)));
  EXPECT_EQ(unsized.status, 411);
  HttpResponse no_boundary =
      head_only("POST /api/admin/items HTTP/1.1\r\nHost: a\r\n" + bearer(librarian_) +
                "Content-Type: multipart/form-data\r\nContent-Length: 10\r\n\r\n");
  EXPECT_EQ(no_boundary.status, 400);
  EXPECT_NE(no_boundary.body.find("no boundary"), std::string::npos);
  // Exactly the limit is admitted: no answer while the body is awaited, and an upload that stalls
  // is closed after Pistache's read timeout (5 s without a byte), taking its files with it.
  const std::string part = "--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; "
                           "filename=\"a.pdf\"\r\n\r\nsome bytes";
  const int fd = connect_to(port_);
  ASSERT_TRUE(send_all(fd, upload_head("/api/admin/items", 1 << 20, bearer(librarian_)) + part));
  EXPECT_FALSE(read_response(fd, nullptr, std::chrono::seconds(1)));
  EXPECT_TRUE(wait_for_files(incoming_, 1));
  auto stalled = read_response(fd, nullptr, std::chrono::seconds(15));
  close(fd);
  ASSERT_TRUE(stalled);
  EXPECT_EQ(stalled->status, 408);
  EXPECT_TRUE(seen().empty());
  EXPECT_TRUE(wait_for_files(incoming_, 0));
}

TEST_F(DeskUploads, AnInterruptedUploadLeavesNothingBehind) {
  const std::string body =
      multipart_body({{"title", "Przerwane"}}, "file", "duzy.pdf", std::string(600 * 1024, 'p'));
  const int fd = connect_to(port_);
  ASSERT_TRUE(send_all(
      fd, upload_head("/api/admin/items", static_cast<long long>(body.size()), bearer(librarian_)) +
              body.substr(0, 400 * 1024)));
  // The file part is being written as it arrives...
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool writing = false;
  while (!writing && std::chrono::steady_clock::now() < deadline) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(incoming_, error))
      writing = writing || entry.file_size() > 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(writing);
  close(fd);  // ...and the client goes away.
  EXPECT_TRUE(wait_for_files(incoming_, 0)) << files_in(incoming_) << " files left";
  EXPECT_TRUE(seen().empty());
}

TEST_F(DeskUploads, AMalformedUploadIsAnsweredAndLeavesNothing) {
  std::string body =
      multipart_body({{"title", "x"}}, "file", "a.pdf", std::string(300 * 1024, 'q'));
  body.replace(body.rfind("--" + kBoundary + "--"), 2, "xx");  // no closing boundary
  const int fd = connect_to(port_);
  ASSERT_TRUE(send_all(
      fd, upload_head("/api/admin/items", static_cast<long long>(body.size()), bearer(librarian_)) +
              body));
  bool closed = false;
  auto response = read_response(fd, &closed);
  close(fd);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->json_body()["error"]["code"], "bad_multipart");
  EXPECT_TRUE(closed);
  EXPECT_TRUE(wait_for_files(incoming_, 0));
  // A field above 64 KB.
  const std::string long_field = multipart_body({{"description", std::string(70000, 'd')}});
  HttpResponse too_long =
      head_only(upload_head("/api/admin/items", static_cast<long long>(long_field.size()),
                            bearer(librarian_)) +
                long_field);
  EXPECT_EQ(too_long.status, 413);
  EXPECT_EQ(too_long.json_body()["error"]["code"], "field_too_long");
  EXPECT_TRUE(seen().empty());
}

TEST_F(DeskUploads, ADisabledDeskTakesNoUpload) {
  stop();
  start(false, 1);
  HttpResponse disabled = head_only(upload_head("/api/admin/items", 100, bearer(librarian_)));
  EXPECT_EQ(disabled.status, 503);
  EXPECT_EQ(disabled.json_body()["error"]["code"], "desk_disabled");
  // Who asks is checked first: the disabled desk is no reason to tell anyone else more.
  EXPECT_EQ(head_only(upload_head("/api/admin/items", 100)).status, 401);
}

}  // namespace
