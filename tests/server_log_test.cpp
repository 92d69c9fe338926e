// The servers' log ([log] in the configuration, logging/logging.h): each request gets an id,
// sent back as X-Request-Id and carried by every line logged while answering it, with the
// line's level; with format = "json" every line is a JSON object; no token, cookie or
// Authorization value ever reaches the log.
#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "archive/index/audience_databases.h"
#include "archive/index/schema.h"
#include "logging.h"
#include "server_test_support.h"

namespace mediateka::test {
namespace {

using nlohmann::json;

// An index of one item and a token, served with `config_text`, its stderr in a file.
class LoggedServer {
 public:
  explicit LoggedServer(const std::string& config_text) : db_(folder_.path() / "index") {
    write_index(db_, {make_item("pub1", ItemType::publication, "Poradnik", 2011, {}, "",
                                {page(1, "Pomoc społeczna w gminie")})});
    token_ = create_token(db_.string(), {"partnerzy"}, "Partner", "", std::time(nullptr)).token;
    write_file(folder_.path() / "mediateka.toml", config_text);
    server_ = std::make_unique<ServerProcess>(db_, std::vector<std::string>{},
                                              folder_.path() / "mediateka.toml", log_file());
    port_ = server_->wait_until_listening();
  }

  int port() const { return port_; }
  const std::string& token() const { return token_; }
  fs::path log_file() const { return folder_.path() / "server.log"; }

  HttpResponse send(const std::string& target, const std::string& headers = "") const {
    const std::string bytes = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                              "Connection: close\r\n\r\n";
    auto responses = parse_responses(exchange(port_, bytes, std::chrono::seconds(10), 1));
    if (responses.empty()) {
      ADD_FAILURE() << "no response to " << target;
      return {};
    }
    return responses.front();
  }

  HttpResponse post(const std::string& target, const std::string& headers,
                    const std::string& body) const {
    const std::string bytes = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                              "Content-Type: application/x-www-form-urlencoded\r\n"
                              "Content-Length: " +
                              std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    auto responses = parse_responses(exchange(port_, bytes, std::chrono::seconds(10), 1));
    if (responses.empty()) {
      ADD_FAILURE() << "no response to POST " << target;
      return {};
    }
    return responses.front();
  }

  // The log's lines once `wanted` appears in it (the server writes after it answers).
  std::vector<std::string> lines_once(const std::string& wanted) const {
    std::string text;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      text = read_file(log_file());
      if (text.find(wanted) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Whole lines only: the server may be writing the next one as the file is read.
    text.erase(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
    std::vector<std::string> lines;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    return lines;
  }

 private:
  TemporaryFolder folder_{"server_log_test."};
  fs::path db_;
  std::string token_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

// The secret part of a token: what follows "mtk_<id>_".
std::string secret_of(const std::string& token) { return token.substr(token.rfind('_') + 1); }

TEST(ServerLog, TextLinesCarryTheLevelAndTheRequestId) {
  const LoggedServer server("[log]\nlevel = \"info\"\nformat = \"text\"\n");
  ASSERT_GT(server.port(), 0);
  const HttpResponse first = server.send("/healthz");
  const HttpResponse second = server.send("/healthz");
  ASSERT_EQ(first.status, 200);
  const std::string id = first.header("x-request-id");
  EXPECT_EQ(id.size(), 16u) << id;
  EXPECT_NE(id, second.header("x-request-id"));  // one per request
  const auto lines = server.lines_once(second.header("x-request-id"));
  int found = 0;
  for (const std::string& line : lines) {
    if (line.find(id) == std::string::npos) continue;
    ++found;
    EXPECT_EQ(line.rfind("mediateka-server: info: [" + id + "] GET /healthz 200 ", 0), 0u) << line;
  }
  EXPECT_EQ(found, 1) << read_file(server.log_file());
  // A 404 is logged, with its own id; the query (what a visitor searched) is not.
  const HttpResponse missing = server.send("/api/nic?q=tajne+pytanie");
  EXPECT_EQ(missing.status, 404);
  const std::string log = read_file(server.log_file());
  bool logged = false;
  for (const std::string& line : server.lines_once("[" + missing.header("x-request-id") + "]")) {
    logged = logged || line.find("[" + missing.header("x-request-id") + "] GET /api/nic 404") !=
                           std::string::npos;
  }
  EXPECT_TRUE(logged) << log;
  EXPECT_EQ(read_file(server.log_file()).find("tajne"), std::string::npos);
}

TEST(ServerLog, JsonLinesParseAndHoldNoSecret) {
  const LoggedServer server("[log]\nlevel = \"debug\"\nformat = \"json\"\n");
  ASSERT_GT(server.port(), 0);
  const std::string token = server.token();
  // The token as a Bearer token, as a cookie, and even in the path.
  const HttpResponse authorised =
      server.send("/healthz", "Authorization: Bearer " + token + "\r\n");
  EXPECT_EQ(authorised.status, 200);
  const HttpResponse cookie =
      server.send("/healthz", "Cookie: mediateka_session=" + token + "\r\n");
  EXPECT_EQ(cookie.status, 200);
  const HttpResponse in_path = server.send("/" + token);
  EXPECT_EQ(in_path.status, 404);
  const HttpResponse wrong = server.send("/healthz", "Authorization: Bearer mtk_0123_zle\r\n");
  EXPECT_EQ(wrong.status, 401);

  const auto lines = server.lines_once(wrong.header("x-request-id"));
  ASSERT_FALSE(lines.empty());
  int of_authorised = 0;
  for (const std::string& line : lines) {
    const json parsed = json::parse(line, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << "not JSON: " << line;
    ASSERT_TRUE(parsed.is_object()) << line;
    for (const char* field : {"time", "level", "program", "message"})
      EXPECT_TRUE(parsed.contains(field)) << field << " missing: " << line;
    EXPECT_EQ(parsed["program"], "mediateka-server");
    EXPECT_EQ(line.find(secret_of(token)), std::string::npos) << "a token in the log: " << line;
    EXPECT_EQ(line.find("zle"), std::string::npos) << "a wrong token in the log: " << line;
    if (parsed.value("request_id", "") == authorised.header("x-request-id")) {
      ++of_authorised;
      EXPECT_TRUE(parsed["level"] == "info" || parsed["level"] == "debug") << line;
    }
  }
  // The request's own line, the token holder's line and the client's address at debug level.
  EXPECT_EQ(of_authorised, 3) << read_file(server.log_file());
}

// Signing in sends the token as a form field; the browser then sends it as a cookie, beside
// other cookies, a CSRF value and perhaps a password in Basic authorization: none of it is
// logged, even at debug level, in either format.
TEST(ServerLog, SigningInLeavesNoTokenCookieCsrfValueOrPasswordInTheLog) {
  for (const char* format : {"text", "json"}) {
    const LoggedServer server(std::string("[log]\nlevel = \"debug\"\nformat = \"") + format +
                              "\"\n");
    ASSERT_GT(server.port(), 0);
    const std::string token = server.token();
    const HttpResponse signed_in = server.post("/logowanie", "X-CSRF-Token: csrfSEKRET77\r\n",
                                               "token=" + token + "&csrf=poleSEKRET55&next=%2F");
    EXPECT_EQ(signed_in.status, 303) << signed_in.body;
    EXPECT_NE(signed_in.header("set-cookie").find(token), std::string::npos);
    const HttpResponse with_cookies =
        server.send("/healthz", "Cookie: inne=ciastkoSEKRET42; mediateka_session=" + token +
                                    "\r\nX-CSRF-Token: csrfSEKRET77\r\n"
                                    "Authorization: Basic dXNlcjpoYXNsb1NFS1JFVDk5\r\n");
    EXPECT_NE(with_cookies.status, 0);
    const std::string last = with_cookies.header("x-request-id");
    ASSERT_FALSE(last.empty());
    const auto lines = server.lines_once(last);
    bool requests_logged = false;
    for (const std::string& line : lines) {
      requests_logged = requests_logged || line.find(last) != std::string::npos;
      for (const std::string& secret :
           {secret_of(token), std::string("SEKRET"), std::string("dXNlcjpoYXNsb1NFS1JFVDk5")})
        EXPECT_EQ(line.find(secret), std::string::npos) << format << ": " << line;
    }
    EXPECT_TRUE(requests_logged) << read_file(server.log_file());
  }
}

TEST(ServerLog, AWrongLogSettingStopsTheServerWithAReason) {
  TemporaryFolder folder("server_log_test.");
  const fs::path db = folder.path() / "index";
  write_index(db, {make_item("pub1", ItemType::publication, "Poradnik", 2011, {})});
  write_file(folder.path() / "bad.toml", "[log]\nformat = \"xml\"\n");
  const fs::path log = folder.path() / "server.log";
  ServerProcess server(db, {}, folder.path() / "bad.toml", log);
  EXPECT_EQ(server.wait_for_exit(), 2);
  EXPECT_NE(read_file(log).find("log.format must be \"text\" or \"json\""), std::string::npos)
      << read_file(log);
}

// The searcher's SchemaVersionError (archive/index_error.h), as the server explains it at start.
TEST(ServerLog, AnIndexOfAnotherSchemaStopsTheServerWithAReason) {
  TemporaryFolder folder("server_log_test.");
  const fs::path db = folder.path() / "index";
  write_index(db, {make_item("pub1", ItemType::publication, "Poradnik", 2011, {})});
  {
    Xapian::WritableDatabase old(public_database(db.string()), Xapian::DB_OPEN);
    old.set_metadata(schema::kSchemaVersionKey, "1");
    old.commit();
  }
  write_file(folder.path() / "mediateka.toml", "");
  const fs::path log = folder.path() / "server.log";
  ServerProcess server(db, {}, folder.path() / "mediateka.toml", log);
  EXPECT_EQ(server.wait_for_exit(), 2);
  EXPECT_NE(
      read_file(log).find("mediateka-server: critical: cannot open the index at " + db.string() +
                          ": the index has schema version 1, this program reads " +
                          std::to_string(schema::kSchemaVersion) +
                          ": import the collection into a new index\n"),
      std::string::npos)
      << read_file(log);
}

TEST(Logging, TokensAreRedactedWhereverTheyAppear) {
  EXPECT_EQ(logging::redacted("GET /mtk_0123456789ab_SeCrEt-_x9 404"), "GET /mtk_[redacted] 404");
  EXPECT_EQ(logging::redacted("mtk_a mtk_b"), "mtk_[redacted] mtk_[redacted]");
  EXPECT_EQ(logging::redacted("no token; mtk_"), "no token; mtk_");
  EXPECT_EQ(logging::redacted(""), "");
}

TEST(Logging, RequestIdsAreFreshAndScoped) {
  const std::string a = logging::new_request_id(), b = logging::new_request_id();
  EXPECT_EQ(a.size(), 16u);
  EXPECT_NE(a, b);
  EXPECT_EQ(logging::current_request_id(), "");
  {
    const logging::RequestScope outer(a);
    EXPECT_EQ(logging::current_request_id(), a);
    {
      const logging::RequestScope inner(b);
      EXPECT_EQ(logging::current_request_id(), b);
    }
    EXPECT_EQ(logging::current_request_id(), a);
  }
  EXPECT_EQ(logging::current_request_id(), "");
  EXPECT_THROW(logging::configure("loud", "text"), std::invalid_argument);
  EXPECT_THROW(logging::configure("info", "xml"), std::invalid_argument);
}

}  // namespace
}  // namespace mediateka::test
