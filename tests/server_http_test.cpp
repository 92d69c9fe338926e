// mediateka-server over real HTTP: a hand-made index with known facet counts,
// the server started as a process on an ephemeral port, requests over sockets.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "archive/item.h"
#include "server_test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace mediateka::test;

// --- the index --------------------------------------------------------------------------------

// Six items; the facet counts over all of them:
//   type: radio 2, publication 1, bulletin 1, tv 1, film 1
//   campaign: Aktywna integracja 2, Wolontariat 2, Ekonomia społeczna 1, Wspieranie rodziny 1
//   year: 2010 1, 2011 1, 2012 2, 2013 1, 2014 1
//   project: Razem dla Mazowsza 3, Ekonomia w regionie 1
std::vector<mediateka::Item> sample_items() {
  using mediateka::ItemType;
  return {
      make_item("pub1", ItemType::publication, "Poradnik pomocy społecznej", 2011,
                {"Aktywna integracja"}, "Razem dla Mazowsza",
                {page(1, "Wprowadzenie do pomocy społecznej w gminie"),
                 page(2, "Ośrodek pomocy społecznej wspiera rodziny w kryzysie")}),
      make_item("bul1", ItemType::bulletin, "Biuletyn wolontariatu", 2012, {"Wolontariat"},
                "Razem dla Mazowsza", {page(1, "Wolontariusze odwiedzają seniorów")}),
      make_item("radio1", ItemType::radio, "Audycja o ekonomii", 2013, {"Ekonomia społeczna"},
                "Ekonomia w regionie",
                {cue(0, 5, "Dzień dobry państwu"),
                 cue(93.5, 97.0, "spółdzielnie socjalne dają pracę bezrobotnym")}),
      make_item("radio2", ItemType::radio, "Rozmowa o wolontariacie", 2014, {"Wolontariat"}, "",
                {cue(10, 14, "wolontariat w domu kultury")}),
      make_item("tv1", ItemType::tv, "Spot telewizyjny o rodzinie", 2012,
                {"Wspieranie rodziny", "Aktywna integracja"}, "Razem dla Mazowsza",
                {cue(10, 15, "rodzina w centrum uwagi")}),
      make_item("film1", ItemType::film, "Zażółć gęślą jaźń", 2010, {}, "",
                {cue(1, 4, "film dokumentalny o mieście")}),
  };
}

json get_json(int port, const std::string& target, int expected_status = 200) {
  const HttpResponse response = get(port, target);
  EXPECT_EQ(response.status, expected_status) << target << ": " << response.body;
  EXPECT_EQ(response.header("content-type"), "application/json; charset=utf-8") << target;
  try {
    return response.json_body();
  } catch (const json::exception& error) {
    ADD_FAILURE() << target << ": not JSON: " << response.body;
    return json();
  }
}

std::map<std::string, std::size_t> facet(const json& result, const std::string& field) {
  std::map<std::string, std::size_t> counts;
  for (const auto& entry : result["facets"][field]) {
    counts[entry["value"].get<std::string>()] = entry["count"].get<std::size_t>();
  }
  return counts;
}

std::set<std::string> hit_ids(const json& result) {
  std::set<std::string> ids;
  for (const auto& hit : result["hits"]) ids.insert(hit["id"].get<std::string>());
  return ids;
}

void expect_error(int port, const std::string& target, int status, const std::string& code) {
  const json body = get_json(port, target, status);
  EXPECT_EQ(body["error"]["code"], code) << target << ": " << body.dump();
  EXPECT_TRUE(body["error"]["message"].is_string()) << target;
  EXPECT_FALSE(body["error"]["message"].get<std::string>().empty()) << target;
}

// --- the shared server over the sample index -----------------------------------------------

class ServerHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { served_ = std::make_unique<ServedIndex>(sample_items()); }
  static void TearDownTestSuite() { served_.reset(); }
  void SetUp() override { ASSERT_TRUE(served_ && port() > 0) << "the server did not start"; }

  static int port() { return served_->port(); }

  inline static std::unique_ptr<ServedIndex> served_;
};

TEST_F(ServerHttp, Healthz) {
  const json body = get_json(port(), "/healthz");
  EXPECT_EQ(body, json({{"status", "ok"}, {"items", 6}}));
}

TEST_F(ServerHttp, BrowseListsEverythingWithFacetCounts) {
  const json result = get_json(port(), "/api/search");
  EXPECT_EQ(result["total"], 6);
  EXPECT_EQ(result["page"], 1);
  EXPECT_EQ(result["per_page"], 20);
  EXPECT_EQ(result["query"], "");
  EXPECT_EQ(result["hits"].size(), 6u);
  EXPECT_TRUE(result["took_ms"].is_number());
  EXPECT_TRUE(result.contains("suggestion"));
  EXPECT_EQ(facet(result, "type"),
            (std::map<std::string, std::size_t>{
                {"radio", 2}, {"publication", 1}, {"bulletin", 1}, {"tv", 1}, {"film", 1}}));
  EXPECT_EQ(facet(result, "campaign"),
            (std::map<std::string, std::size_t>{{"Aktywna integracja", 2},
                                                {"Wolontariat", 2},
                                                {"Ekonomia społeczna", 1},
                                                {"Wspieranie rodziny", 1}}));
  EXPECT_EQ(facet(result, "year"),
            (std::map<std::string, std::size_t>{
                {"2010", 1}, {"2011", 1}, {"2012", 2}, {"2013", 1}, {"2014", 1}}));
  EXPECT_EQ(facet(result, "project"), (std::map<std::string, std::size_t>{
                                          {"Razem dla Mazowsza", 3}, {"Ekonomia w regionie", 1}}));
  // Years are listed by year, the others by count.
  EXPECT_EQ(result["facets"]["year"][0]["value"], "2010");
  EXPECT_EQ(result["facets"]["type"][0]["value"], "radio");

  for (const auto& hit : result["hits"]) {
    for (const char* field : {"id", "slug", "type", "title", "year", "campaigns", "project",
                              "score", "snippet", "url", "locations"}) {
      EXPECT_TRUE(hit.contains(field)) << field << " missing in " << hit.dump();
    }
    EXPECT_EQ(hit["url"], "/i/" + hit["slug"].get<std::string>());
  }
}

TEST_F(ServerHttp, FacetsEndpointCountsTheWholeArchive) {
  const json body = get_json(port(), "/api/facets");
  EXPECT_EQ(body["total"], get_json(port(), "/healthz")["items"]);
  EXPECT_EQ(facet(body, "type")["radio"], 2u);
  EXPECT_EQ(facet(body, "campaign")["Wolontariat"], 2u);
  EXPECT_EQ(facet(body, "project")["Razem dla Mazowsza"], 3u);
}

TEST_F(ServerHttp, TypeFilterDoesNotNarrowItsOwnFacet) {
  const json result = get_json(port(), "/api/search?type=radio");
  EXPECT_EQ(result["total"], 2);
  EXPECT_EQ(hit_ids(result), (std::set<std::string>{"radio1", "radio2"}));
  EXPECT_EQ(facet(result, "type")["publication"], 1u);
  EXPECT_EQ(facet(result, "type")["radio"], 2u);
  EXPECT_EQ(facet(result, "campaign"),
            (std::map<std::string, std::size_t>{{"Ekonomia społeczna", 1}, {"Wolontariat", 1}}));
  EXPECT_EQ(facet(result, "year"), (std::map<std::string, std::size_t>{{"2013", 1}, {"2014", 1}}));
}

TEST_F(ServerHttp, RepeatedParameterIsOrAndFieldsAreAnded) {
  EXPECT_EQ(hit_ids(get_json(port(), "/api/search?type=radio&type=tv")),
            (std::set<std::string>{"radio1", "radio2", "tv1"}));
  EXPECT_EQ(hit_ids(get_json(port(), "/api/search?type=radio&type=tv&campaign=Wolontariat")),
            (std::set<std::string>{"radio2"}));
  EXPECT_EQ(
      hit_ids(get_json(port(), "/api/search?campaign=Aktywna+integracja&campaign=Wolontariat")),
      (std::set<std::string>{"pub1", "tv1", "bul1", "radio2"}));
  EXPECT_EQ(hit_ids(get_json(port(), "/api/search?project=Razem%20dla%20Mazowsza&year=2012")),
            (std::set<std::string>{"bul1", "tv1"}));
}

TEST_F(ServerHttp, YearRangeAndYears) {
  EXPECT_EQ(hit_ids(get_json(port(), "/api/search?year_from=2012&year_to=2013")),
            (std::set<std::string>{"bul1", "tv1", "radio1"}));
  EXPECT_EQ(hit_ids(get_json(port(), "/api/search?year_from=2013")),
            (std::set<std::string>{"radio1", "radio2"}));
  EXPECT_EQ(hit_ids(get_json(port(), "/api/search?year=2010&year=2014")),
            (std::set<std::string>{"film1", "radio2"}));
}

TEST_F(ServerHttp, SortNewestAndOldest) {
  const json newest = get_json(port(), "/api/search?sort=newest");
  ASSERT_EQ(newest["hits"].size(), 6u);
  EXPECT_EQ(newest["hits"][0]["id"], "radio2");
  EXPECT_EQ(newest["hits"][5]["id"], "film1");
  const json oldest = get_json(port(), "/api/search?sort=oldest");
  ASSERT_EQ(oldest["hits"].size(), 6u);
  EXPECT_EQ(oldest["hits"][0]["id"], "film1");
  EXPECT_EQ(oldest["hits"][5]["id"], "radio2");
}

TEST_F(ServerHttp, Paging) {
  const json second = get_json(port(), "/api/search?sort=oldest&per_page=2&page=2");
  EXPECT_EQ(second["total"], 6);
  EXPECT_EQ(second["page"], 2);
  EXPECT_EQ(second["per_page"], 2);
  ASSERT_EQ(second["hits"].size(), 2u);
  EXPECT_EQ(second["hits"][0]["year"], 2012);
  EXPECT_EQ(second["hits"][1]["year"], 2012);
  const json beyond = get_json(port(), "/api/search?per_page=2&page=4");
  EXPECT_EQ(beyond["total"], 6);
  EXPECT_TRUE(beyond["hits"].empty());
}

TEST_F(ServerHttp, QueryMarksMatchesInSnippets) {
  const json result = get_json(port(), "/api/search?q=wolontariat");
  ASSERT_GE(result["total"].get<int>(), 1);
  EXPECT_TRUE(hit_ids(result).count("radio2"));
  bool marked = false;
  for (const auto& hit : result["hits"]) {
    if (hit["snippet"].get<std::string>().find("<mark>") != std::string::npos) marked = true;
    for (const auto& location : hit["locations"]) {
      if (location["snippet"].get<std::string>().find("<mark>") != std::string::npos) marked = true;
    }
  }
  EXPECT_TRUE(marked) << result.dump(2);
}

TEST_F(ServerHttp, PercentEncodedPolishQuery) {
  // "zażółć" percent-encoded as a browser sends it.
  const json result = get_json(port(), "/api/search?q=za%C5%BC%C3%B3%C5%82%C4%87");
  EXPECT_EQ(result["query"], "zażółć");
  EXPECT_EQ(hit_ids(result), (std::set<std::string>{"film1"}));
  // "społecznej" with '+' for a space in a two-word query.
  const json phrase = get_json(port(), "/api/search?q=pomocy+spo%C5%82ecznej");
  EXPECT_EQ(phrase["query"], "pomocy społecznej");
  EXPECT_TRUE(hit_ids(phrase).count("pub1")) << phrase.dump(2);
}

TEST_F(ServerHttp, LocationsOfTimedMatchesLinkToTheSecond) {
  const json result = get_json(port(), "/api/search?q=sp%C3%B3%C5%82dzielnie");
  ASSERT_EQ(hit_ids(result), (std::set<std::string>{"radio1"})) << result.dump(2);
  const json& hit = result["hits"][0];
  ASSERT_FALSE(hit["locations"].empty()) << hit.dump(2);
  const json& location = hit["locations"][0];
  EXPECT_DOUBLE_EQ(location["t"].get<double>(), 93.5);
  EXPECT_DOUBLE_EQ(location["end"].get<double>(), 97.0);
  EXPECT_EQ(location["url"], "/i/" + hit["slug"].get<std::string>() + "?t=93");
}

TEST_F(ServerHttp, LocationsOfPageMatchesLinkToThePage) {
  const json result = get_json(port(), "/api/search?q=kryzysie");
  ASSERT_EQ(hit_ids(result), (std::set<std::string>{"pub1"})) << result.dump(2);
  const json& hit = result["hits"][0];
  ASSERT_FALSE(hit["locations"].empty()) << hit.dump(2);
  EXPECT_EQ(hit["locations"][0]["page"], 2);
  EXPECT_EQ(hit["locations"][0]["url"], "/i/" + hit["slug"].get<std::string>() + "?page=2");
}

TEST_F(ServerHttp, ItemById) {
  const json item = get_json(port(), "/api/items/tv1");
  EXPECT_EQ(item["id"], "tv1");
  EXPECT_EQ(item["type"], "tv");
  EXPECT_EQ(item["title"], "Spot telewizyjny o rodzinie");
  EXPECT_EQ(item["links"]["self"], "/api/items/tv1");
  EXPECT_FALSE(item["source"].contains("file")) << "private path leaked: " << item.dump();
}

TEST_F(ServerHttp, Suggest) {
  const json body = get_json(port(), "/api/suggest?q=wol");
  ASSERT_TRUE(body["suggestions"].is_array());
  EXPECT_EQ(get_json(port(), "/api/suggest")["suggestions"], json::array());
}

TEST_F(ServerHttp, ClientMistakesAreJsonErrors) {
  expect_error(port(), "/api/search?page=x", 400, "bad_parameter");
  expect_error(port(), "/api/search?page=0", 400, "bad_parameter");
  expect_error(port(), "/api/search?per_page=500", 400, "bad_parameter");
  expect_error(port(), "/api/search?sort=random", 400, "bad_parameter");
  expect_error(port(), "/api/search?type=podcast", 400, "bad_parameter");
  expect_error(port(), "/api/search?year=20", 400, "bad_parameter");
  expect_error(port(), "/api/search?q=%C5", 400, "bad_parameter");
  expect_error(port(), "/api/search?q=%zz", 400, "bad_parameter");
  expect_error(port(), "/api/search?q=" + std::string(1001, 'a'), 400, "query_too_long");
  expect_error(port(), "/api/items/nosuchitem", 404, "not_found");
  expect_error(port(), "/api/items/..%2F..%2Fetc", 404, "not_found");
  expect_error(port(), "/nope", 404, "not_found");
  expect_error(port(), "/api/search/extra", 404, "not_found");
  const json message = get_json(port(), "/api/search?page=x", 400);
  EXPECT_EQ(message["error"]["message"], "page must be a positive integer, got 'x'");
}

TEST_F(ServerHttp, QuerySyntaxTheCoreRejectsIsA400) {
  for (const std::string q : {"%22unbalanced", "(pomoc", "pomoc+AND", "title%3A", "*", "-"}) {
    const HttpResponse response = get(port(), "/api/search?q=" + q);
    EXPECT_TRUE(response.status == 200 || response.status == 400) << q << ": " << response.status;
    const json body = response.json_body();
    if (response.status == 400) {
      EXPECT_TRUE(body["error"]["code"].is_string()) << q;
    } else {
      EXPECT_TRUE(body["total"].is_number()) << q;
    }
  }
}

TEST_F(ServerHttp, WrongMethodIs405WithAllow) {
  const HttpResponse response = request(port(), "DELETE", "/api/search");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.header("allow"), "GET");
  EXPECT_EQ(response.json_body()["error"]["code"], "method_not_allowed");
}

TEST_F(ServerHttp, MetricsCountRequests) {
  get(port(), "/healthz");
  const HttpResponse response = get(port(), "/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type").rfind("text/plain", 0), 0u);
  EXPECT_NE(response.body.find("mediateka_http_requests_total{route=\"/healthz\",status=\"200\"}"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find("mediateka_http_request_duration_seconds_bucket{route=\"/healthz\""),
            std::string::npos);
  EXPECT_NE(response.body.find("mediateka_items 6"), std::string::npos);
}

// The value of a metric without labels in the server's /metrics, or -1.
long metric(int port, const std::string& name) {
  const std::string body = get(port, "/metrics").body;
  const std::size_t at = body.find("\n" + name + " ");
  EXPECT_NE(at, std::string::npos) << body;
  return at == std::string::npos ? -1 : std::stol(body.substr(at + name.size() + 2));
}

TEST_F(ServerHttp, RepeatedSearchesAreAnsweredFromKeptAnswers) {
  const std::string query = "/api/search?q=rodzina&type=radio&per_page=3";
  const nlohmann::json first = get_json(port(), query);
  const long hits = metric(port(), "mediateka_search_cache_hits_total");
  for (int i = 0; i < 5; ++i) {
    nlohmann::json again = get_json(port(), query);
    again.erase("took_ms");
    nlohmann::json expected = first;
    expected.erase("took_ms");
    EXPECT_EQ(again, expected);
  }
  // Five more answers kept (the five above), though /metrics' own item count may add one.
  EXPECT_GE(metric(port(), "mediateka_search_cache_hits_total"), hits + 5);
  EXPECT_GT(metric(port(), "mediateka_search_cache_bytes"), 0);
}

TEST_F(ServerHttp, TheSameSearchAskedAtOnceIsSearchedOnce) {
  const long misses = metric(port(), "mediateka_search_cache_misses_total");
  const long answered = metric(port(), "mediateka_search_cache_hits_total") +
                        metric(port(), "mediateka_search_cache_shared_total");
  // A query no other test asks: each request searches it, awaits its search, or finds it kept.
  std::vector<std::thread> visitors;
  std::vector<int> totals(8, -1);
  for (int i = 0; i < 8; ++i) {
    visitors.emplace_back([&, i] {
      totals[i] = get_json(port(), "/api/search?q=rodzina+OR+wolontariat&per_page=7")["total"];
    });
  }
  for (std::thread& visitor : visitors) visitor.join();
  EXPECT_EQ(metric(port(), "mediateka_search_cache_misses_total"), misses + 1);
  EXPECT_EQ(metric(port(), "mediateka_search_cache_hits_total") +
                metric(port(), "mediateka_search_cache_shared_total"),
            answered + 7);
  EXPECT_GT(totals[0], 0);
  EXPECT_EQ(std::count(totals.begin(), totals.end(), totals[0]), 8);
}

// Keep-alive, pipelining and hostile requests: server_http_limits_test.cpp.

// --- servers of their own: a changing index, startup errors, stopping -------------------------

TEST(ServerLifecycle, PicksUpNewCommitsWithinTwoSeconds) {
  TemporaryFolder folder;
  const fs::path db = folder.path() / "index";
  write_index(db, sample_items());
  ServerProcess server(db);
  const int port = server.wait_until_listening();
  ASSERT_GT(port, 0);
  ASSERT_EQ(get_json(port, "/healthz")["items"], 6);
  // Every worker thread opens its Searcher before the commit, and the answers are kept.
  for (int i = 0; i < 4; ++i) get(port, "/api/search?q=rodzina");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(get_json(port, "/api/search?type=radio")["total"], 2);

  write_index(db, {make_item("radio3", mediateka::ItemType::radio, "Nowa audycja o rodzinie", 2015,
                             {"Wspieranie rodziny"}, "", {cue(0, 3, "rodzina")})});
  const auto committed = std::chrono::steady_clock::now();
  int items = 6;
  while (items != 7 && std::chrono::steady_clock::now() - committed < std::chrono::seconds(3)) {
    items = get_json(port, "/healthz")["items"].get<int>();
    if (items != 7) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(items, 7);
  EXPECT_LT(std::chrono::steady_clock::now() - committed, std::chrono::milliseconds(2100));
  // Every thread sees it, not just the one that answered, and no kept answer hides it.
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(get_json(port, "/api/search?type=radio")["total"], 3);
  }
  EXPECT_EQ(get_json(port, "/api/facets")["total"], 7);
  EXPECT_EQ(get_json(port, "/api/items/radio3")["title"], "Nowa audycja o rodzinie");
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

TEST(ServerLifecycle, SigtermAndSigintExitWithStatusZero) {
  TemporaryFolder folder;
  write_index(folder.path() / "index", sample_items());
  for (int signal_number : {SIGTERM, SIGINT}) {
    ServerProcess server(folder.path() / "index");
    const int port = server.wait_until_listening();
    ASSERT_GT(port, 0);
    EXPECT_EQ(get_json(port, "/healthz")["status"], "ok");
    EXPECT_EQ(server.stop(signal_number), 0) << "signal " << signal_number;
  }
}

TEST(ServerLifecycle, MissingIndexIsAClearErrorWithStatus2) {
  TemporaryFolder folder;
  ServerProcess server(folder.path() / "no-index-here");
  EXPECT_EQ(server.first_line(std::chrono::seconds(10)), "");
  EXPECT_EQ(server.wait_for_exit(), 2);
}

TEST(ServerLifecycle, UnopenableIndexIsAClearErrorWithStatus2) {
  TemporaryFolder folder;
  fs::create_directories(folder.path() / "empty");
  std::ofstream(folder.path() / "empty" / "junk") << "not a database";
  ServerProcess server(folder.path() / "empty");
  EXPECT_EQ(server.wait_for_exit(), 2);
}

TEST(ServerLifecycle, ServesAnIndexBuiltByTheIndexer) {
  const fs::path manifest = fs::path(MEDIATEKA_SOURCE_DIR) / "samples" / "manifest.csv";
  if (!fs::exists(manifest)) GTEST_SKIP() << "no " << manifest;
  TemporaryFolder folder;
  const fs::path db = folder.path() / "index";
  const fs::path report = folder.path() / "report.json";
  const std::string command = std::string(MEDIATEKA_INDEX_BIN) + " import --quiet --config '" +
                              MEDIATEKA_SOURCE_DIR + "/config/mediateka.toml' --db '" +
                              db.string() + "' --manifest '" + manifest.string() + "' --report '" +
                              report.string() + "'";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) <= 1) << command;
  const json imported = json::parse(std::ifstream(report));
  const int items = imported["imported"].get<int>() + imported["updated"].get<int>() +
                    imported["unchanged"].get<int>();

  ServerProcess server(db);
  const int port = server.wait_until_listening();
  ASSERT_GT(port, 0);
  EXPECT_EQ(get_json(port, "/healthz")["items"], items);
  const json browse = get_json(port, "/api/search?per_page=100");
  EXPECT_EQ(browse["total"], items);
  std::size_t by_type = 0;
  for (const auto& [type, count] : facet(browse, "type")) by_type += count;
  EXPECT_EQ(by_type, static_cast<std::size_t>(items));
  for (const auto& hit : browse["hits"]) {
    const std::string id = hit["id"];
    EXPECT_EQ(get_json(port, "/api/items/" + id)["id"], id);
  }
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

}  // namespace
