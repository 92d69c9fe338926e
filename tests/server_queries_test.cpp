// What visitors searched, end to end: mediateka-server counts the searches of anonymous visitors
// (the API and the search page) in <db>-desk/queries/YYYY-MM-DD.json, and nothing of token
// holders; the file holds the normalised queries and their counts and nothing about who asked;
// GET /api/admin/queries is for librarians only (and answers on a server without the desk too).
#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "api/api_error.h"
#include "archive/access/access_tokens.h"
#include "archive/config.h"
#include "archive/search/shard_source.h"
#include "authorization.h"
#include "desk/queries_api.h"
#include "desk/query_log.h"
#include "http/request_metrics.h"
#include "index_readers.h"
#include "server_test_support.h"

namespace mediateka::test {
namespace {

using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

HttpResponse send(int port, const std::string& method, const std::string& target,
                  const Headers& headers = {}) {
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) raw += name + ": " + value + "\r\n";
  raw += "Connection: close\r\n\r\n";
  const std::string received = exchange(port, raw, std::chrono::seconds(10), 1);
  if (method == "HEAD" && received.find("\r\n\r\n") != std::string::npos)
    return parse_head(received.substr(0, received.find("\r\n\r\n")));
  const auto responses = parse_responses(received);
  if (responses.empty()) {
    ADD_FAILURE() << "no response to " << method << ' ' << target;
    return {};
  }
  return responses.front();
}

std::vector<Item> items() {
  return {make_item("pub1", ItemType::publication, "Pomoc społeczna w gminie", 2012,
                    {"Aktywna integracja"}, "", {page(1, "Pomoc społeczna dla rodzin.")}),
          make_item("radio1", ItemType::radio, "Asystent rodziny", 2014, {"Aktywna integracja"}, "",
                    {cue(0, 10, "Asystent rodziny pomaga.")})};
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

std::string today_utc() {
  return server::day_text(server::utc_day(static_cast<std::int64_t>(std::time(nullptr))));
}

TEST(ServerQueries, AnonymousSearchesAreCountedTokenHoldersAreNot) {
  TemporaryFolder folder;
  const fs::path db = folder.path() / "index";
  write_index(db, items());
  const std::string reader =
      create_token(db.string(), {"partnerzy"}, "Partner", "", std::time(nullptr)).token;
  const std::string librarian =
      create_librarian_token(db.string(), "Biblioteka", "", std::time(nullptr)).token;
  const std::string cookie = std::string("mediateka_session=") + reader;
  const std::string day = today_utc();
  {
    ServerProcess server(db);
    const int port = server.wait_until_listening();
    ASSERT_NE(port, 0);
    // Counted: anonymous searches with a query, through the API and the page, however typed.
    EXPECT_EQ(send(port, "GET", "/api/search?q=Pomoc+SPO%C5%81ECZNA").status, 200);
    EXPECT_EQ(send(port, "GET", "/?q=++pomoc%09spo%C5%82eczna+",
                   {{"Accept", "text/html"},
                    {"User-Agent", "Przegladarka-Testowa/1.0"},
                    {"Cookie", "inne=ciasteczko-testowe"}})
                  .status,
              200);
    EXPECT_EQ(send(port, "GET", "/api/search?q=%C5%BAr%C3%B3d%C5%82a+finansowania").status, 200);
    EXPECT_EQ(send(port, "GET", "/?q=%C5%B9R%C3%93D%C5%81A+finansowania&type=publication").status,
              200);
    // With a filter that leaves nothing: it found nothing.
    EXPECT_EQ(send(port, "GET", "/api/search?q=asystent+rodziny&type=tv").status, 200);
    EXPECT_EQ(send(port, "GET", "/api/search?q=asystent+rodziny").status, 200);

    // Not counted: the next pages of a search, completions, browsing, HEAD, bad requests.
    EXPECT_EQ(send(port, "GET", "/api/search?q=pomoc+spo%C5%82eczna&page=2").status, 200);
    EXPECT_EQ(send(port, "GET", "/?q=pomoc+spo%C5%82eczna&page=2").status, 200);
    EXPECT_EQ(send(port, "GET", "/api/suggest?q=pomoc").status, 200);
    EXPECT_EQ(send(port, "GET", "/api/search").status, 200);
    EXPECT_EQ(send(port, "GET", "/").status, 200);
    EXPECT_EQ(send(port, "GET", "/api/search?q=+++").status, 200);
    EXPECT_EQ(send(port, "HEAD", "/api/search?q=glowa").status, 200);
    EXPECT_EQ(send(port, "GET", "/api/search?q=zly&per_page=0").status, 400);
    EXPECT_EQ(send(port, "GET", "/feed?q=kanal").status, 200);
    // Not counted: token holders, by header or by the session cookie.
    EXPECT_EQ(
        send(port, "GET", "/api/search?q=tajne+partnera", {{"Authorization", "Bearer " + reader}})
            .status,
        200);
    EXPECT_EQ(send(port, "GET", "/?q=tajne+partnera", {{"Cookie", cookie}}).status, 200);
    EXPECT_EQ(send(port, "GET", "/api/search?q=sprawdzenie+biblioteki",
                   {{"Authorization", "Bearer " + librarian}})
                  .status,
              200);
    EXPECT_EQ(send(port, "GET", "/?q=sprawdzenie+biblioteki",
                   {{"Cookie", std::string("mediateka_session=") + librarian}})
                  .status,
              200);
    EXPECT_EQ(send(port, "GET", "/api/search?q=tajne+partnera", {{"Authorization", "Bearer mtk_x"}})
                  .status,
              401);

    // The admin route: no token 401, a reader's 403, a wrong one 401.
    const HttpResponse anonymous = send(port, "GET", "/api/admin/queries");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(anonymous.json_body()["error"]["code"], "unauthorized");
    EXPECT_EQ(anonymous.header("www-authenticate"), "Bearer realm=\"mediateka\"");
    const HttpResponse as_reader =
        send(port, "GET", "/api/admin/queries?zero=1", {{"Authorization", "Bearer " + reader}});
    EXPECT_EQ(as_reader.status, 403);
    EXPECT_EQ(as_reader.json_body()["error"]["code"], "forbidden");
    EXPECT_EQ(as_reader.header("cache-control"), "private, no-store");
    EXPECT_EQ(send(port, "GET", "/api/admin/queries", {{"Cookie", cookie}}).status, 403);
    EXPECT_EQ(send(port, "GET", "/api/admin/queries", {{"Authorization", "Bearer mtk_x"}}).status,
              401);
    // A librarian sees the counts, by header or by the session cookie.
    const HttpResponse listed =
        send(port, "GET", "/api/admin/queries?days=1", {{"Authorization", "Bearer " + librarian}});
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(listed.header("cache-control"), "private, no-store");
    EXPECT_EQ(listed.json_body(),
              (json{{{"q", "asystent rodziny"}, {"count", 2}, {"zero", 1}},
                    {{"q", "pomoc społeczna"}, {"count", 2}, {"zero", 0}},
                    {{"q", "źródła finansowania"}, {"count", 2}, {"zero", 2}}}));
    const HttpResponse unfound = send(port, "GET", "/api/admin/queries?zero=1&limit=1",
                                      {{"Cookie", std::string("mediateka_session=") + librarian}});
    ASSERT_EQ(unfound.status, 200) << unfound.body;
    EXPECT_EQ(unfound.json_body(),
              (json{{{"q", "źródła finansowania"}, {"count", 2}, {"zero", 2}}}));
    EXPECT_EQ(
        send(port, "GET", "/api/admin/queries?days=91", {{"Authorization", "Bearer " + librarian}})
            .status,
        400);

    EXPECT_EQ(server.stop(SIGTERM), 0);  // written on the way out
  }

  const fs::path file = folder.path() / "index-desk" / "queries" / (day + ".json");
  ASSERT_TRUE(fs::exists(file)) << file;
  const std::string text = read_file(file);
  const json written = json::parse(text);
  // Exactly these keys: nothing about who asked or when within the day.
  EXPECT_EQ(keys_of(written), (std::set<std::string>{"day", "queries", "others"}));
  EXPECT_EQ(written["day"], day);
  EXPECT_EQ(written["others"], (json{{"count", 0}, {"zero", 0}}));
  for (const json& entry : written["queries"])
    EXPECT_EQ(keys_of(entry), (std::set<std::string>{"q", "count", "zero"}));
  EXPECT_EQ(written["queries"], (json{{{"q", "asystent rodziny"}, {"count", 2}, {"zero", 1}},
                                      {{"q", "pomoc społeczna"}, {"count", 2}, {"zero", 0}},
                                      {{"q", "źródła finansowania"}, {"count", 2}, {"zero", 2}}}));
  for (const std::string& secret :
       {std::string("127.0.0.1"), std::string("mtk_"), reader, std::string("Przegladarka"),
        std::string("ciasteczko"), std::string("partnera"), std::string("glowa"),
        std::string("kanal"), std::string("biblioteki"), librarian})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;

  // A restart goes on from the file.
  {
    ServerProcess server(db);
    const int port = server.wait_until_listening();
    ASSERT_NE(port, 0);
    EXPECT_EQ(send(port, "GET", "/api/search?q=asystent+rodziny").status, 200);
    EXPECT_EQ(server.stop(SIGTERM), 0);
  }
  server::QueryLog log((folder.path() / "index-desk" / "queries").string());
  const auto top = log.top(1, false);
  ASSERT_FALSE(top.empty());
  EXPECT_EQ(top.front().q, "asystent rodziny");
  EXPECT_EQ(top.front().count, 3u);
  EXPECT_EQ(top.front().zero, 1u);
}

// The handler itself, as the route table calls it, for a librarian and anyone else.
class AdminQueriesHandler : public testing::Test {
 protected:
  AdminQueriesHandler()
      : index_(local_shards({write_db()}), ShardOptions{}, Vocabulary{}, 0),
        authorizer_(db_.string()),
        log_((folder_.path() / "queries").string()),
        context_{index_, metrics_, "", authorizer_, {}, {}, "", 0, {}, nullptr, &log_} {}

  std::string write_db() {
    db_ = folder_.path() / "index";
    write_index(db_, items());
    return db_.string();
  }

  server::Response ask(const std::string& query, bool librarian,
                       std::vector<std::string> groups = {}) {
    server::ApiRequest request;
    request.path = "/api/admin/queries";
    request.query = server::QueryParameters::parse(query);
    if (librarian || !groups.empty()) request.token_id = "0123456789ab";
    request.audience.groups = std::move(groups);
    request.audience.all = librarian;
    request.librarian = librarian;
    return server::get_admin_queries(request, context_);
  }

  TemporaryFolder folder_;
  fs::path db_;
  server::IndexReaders index_;
  server::RequestMetrics metrics_;
  server::Authorizer authorizer_;
  server::QueryLog log_;
  server::ServerContext context_;
};

TEST_F(AdminQueriesHandler, ALibrarianSeesTheCountsOthersAreRefused) {
  for (int i = 0; i < 3; ++i) log_.record("mops", false);
  log_.record("Świadczenie wychowawcze", true);
  log_.record("świadczenie  wychowawcze", true);
  log_.record("pcpr", false);
  log_.record("pcpr", true);

  const server::Response all = ask("", true);
  EXPECT_EQ(all.status, 200);
  EXPECT_EQ(json::parse(all.body),
            (json{{{"q", "mops"}, {"count", 3}, {"zero", 0}},
                  {{"q", "pcpr"}, {"count", 2}, {"zero", 1}},
                  {{"q", "świadczenie wychowawcze"}, {"count", 2}, {"zero", 2}}}));
  EXPECT_EQ(json::parse(ask("zero=1&days=7", true).body),
            (json{{{"q", "świadczenie wychowawcze"}, {"count", 2}, {"zero", 2}},
                  {{"q", "pcpr"}, {"count", 2}, {"zero", 1}}}));
  EXPECT_EQ(json::parse(ask("limit=1&days=90&zero=0", true).body),
            (json{{{"q", "mops"}, {"count", 3}, {"zero", 0}}}));

  for (const char* wrong : {"days=0", "days=91", "days=x", "limit=0", "limit=1001", "zero=2",
                            "days=-1", "days=1&days=2"}) {
    try {
      ask(wrong, true);
      ADD_FAILURE() << wrong << " was accepted";
    } catch (const server::ApiError& error) {
      EXPECT_EQ(error.status, 400) << wrong;
      EXPECT_EQ(error.code, "bad_parameter") << wrong;
    }
  }

  EXPECT_EQ(ask("", false).status, 401);
  EXPECT_EQ(ask("", false, {"partnerzy"}).status, 403);
  // Not even a bad parameter is looked at first.
  EXPECT_EQ(ask("days=0", false, {"partnerzy"}).status, 403);
}

}  // namespace
}  // namespace mediateka::test
