// Places over real HTTP: the place filter and facet of /api/search and the search page, the
// item's places, and /miejsca with its counts by year, also for a restricted item.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "server_test_support.h"

namespace {

using mediateka::Place;
using mediateka::PlaceKind;
using mediateka::test::exchange;
using mediateka::test::get;
using mediateka::test::HttpResponse;
using mediateka::test::make_item;
using mediateka::test::parse_responses;
using mediateka::test::ServedIndex;
using nlohmann::json;

class ServerPlaces : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    using mediateka::ItemType;
    auto a = make_item("a", ItemType::publication, "Raport z powiatu", 2012, {});
    a.places = {{"powiat wyszkowski", PlaceKind::powiat, false},
                {"gmina Somianka", PlaceKind::gmina, true}};
    auto b = make_item("b", ItemType::film, "Film o partnerstwie", 2013, {});
    b.places = {{"powiat wyszkowski", PlaceKind::powiat, true},
                {"Płock", PlaceKind::powiat, false}};
    auto c = make_item("c", ItemType::publication, "Biuletyn", 2013, {});
    c.places = {{"powiat płocki", PlaceKind::powiat, false}};
    auto hidden = make_item("h", ItemType::publication, "Raport dla partnerów", 2013, {});
    hidden.places = {{"powiat wyszkowski", PlaceKind::powiat, false},
                     {"powiat lipski", PlaceKind::powiat, true}};
    hidden.access = {"partnerzy"};
    served_ = std::make_unique<ServedIndex>(std::vector<mediateka::Item>{a, b, c, hidden},
                                            std::vector<std::string>{"partnerzy"});
  }
  static void TearDownTestSuite() { served_.reset(); }
  void SetUp() override {
    ASSERT_TRUE(served_ && served_->port() > 0) << "the server did not start";
  }

  static HttpResponse fetch(const std::string& target, bool authorised = false) {
    const std::string raw = exchange(
        served_->port(),
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
            (authorised ? "Authorization: Bearer " + served_->token() + "\r\n" : "") + "\r\n",
        std::chrono::seconds(10), 1);
    auto responses = parse_responses(raw);
    if (responses.empty()) return {};
    EXPECT_EQ(responses.front().status, 200) << target << "\n" << responses.front().body;
    return responses.front();
  }
  static json api(const std::string& target, bool authorised = false) {
    return json::parse(fetch(target, authorised).body);
  }
  static std::map<std::string, int> place_facet(const json& result) {
    std::map<std::string, int> counts;
    for (const json& value : result["facets"]["place"]) counts[value["value"]] = value["count"];
    return counts;
  }

  inline static std::unique_ptr<ServedIndex> served_;
};

using Counts = std::map<std::string, int>;

TEST_F(ServerPlaces, FilterAndFacetAreMultiSelect) {
  const json all = api("/api/search");
  EXPECT_EQ(all["total"], 3);
  EXPECT_EQ(
      place_facet(all),
      (Counts{
          {"powiat wyszkowski", 2}, {"gmina Somianka", 1}, {"Płock", 1}, {"powiat płocki", 1}}));
  const json one = api("/api/search?place=powiat+wyszkowski");
  EXPECT_EQ(one["total"], 2);
  EXPECT_EQ(place_facet(one), place_facet(all));  // its own filter left out
  const json two = api("/api/search?place=powiat%20wyszkowski&place=powiat+p%C5%82ocki");
  EXPECT_EQ(two["total"], 3);
  // An inflected name that means one place, and the facet of /api/facets.
  EXPECT_EQ(api("/api/search?place=w+powiecie+wyszkowskim")["total"], 2);
  EXPECT_EQ(place_facet(api("/api/facets")), place_facet(all));
  EXPECT_EQ(api("/api/search?place=Atlantyda")["total"], 0);
}

TEST_F(ServerPlaces, ItemsListTheirPlacesAndRestrictedOnesCountOnlyForTheirReaders) {
  const json item = api("/api/items/a");
  ASSERT_EQ(item["places"].size(), 2u);
  EXPECT_EQ(item["places"][0],
            (json{{"name", "powiat wyszkowski"}, {"kind", "powiat"}, {"inferred", false}}));
  EXPECT_EQ(item["places"][1],
            (json{{"name", "gmina Somianka"}, {"kind", "gmina"}, {"inferred", true}}));
  EXPECT_FALSE(api("/api/items/c").contains("access"));

  EXPECT_EQ(place_facet(api("/api/search?place=powiat+lipski"))["powiat lipski"], 0);
  const json partners = api("/api/search", true);
  EXPECT_EQ(place_facet(partners)["powiat wyszkowski"], 3);
  EXPECT_EQ(place_facet(partners)["powiat lipski"], 1);
}

TEST_F(ServerPlaces, SearchPageOffersThePlaceFilter) {
  const HttpResponse page = fetch("/?place=powiat+wyszkowski");
  EXPECT_NE(page.body.find("<legend>Miejsce</legend>"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("name=\"place\" value=\"powiat wyszkowski\" checked"),
            std::string::npos);
  EXPECT_NE(page.body.find("name=\"place\" value=\"Płock\">"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/miejsca\""), std::string::npos);
  EXPECT_NE(page.body.find("Znaleziono 2 materiały"), std::string::npos);
}

TEST_F(ServerPlaces, PlacesPageCountsByYearForTheReader) {
  const HttpResponse page = fetch("/miejsca");
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  const std::string& html = page.body;
  EXPECT_NE(html.find("<h1>Miejsca</h1>"), std::string::npos);
  EXPECT_NE(html.find("aria-current=\"page\""), std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"powiaty\">Powiaty i miasta na prawach powiatu</h2>"),
            std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"gminy\">Gminy</h2>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"col\">2012</th><th scope=\"col\">2013</th>"), std::string::npos);
  // powiat wyszkowski: 1 in 2012 (a), 1 in 2013 (b), 2 in all; the restricted item not counted.
  const std::string row =
      html.substr(html.find("<th scope=\"row\"><a href=\"/?place=powiat%20wyszkowski\">"));
  const std::string wyszkowski = row.substr(0, row.find("</tr>"));
  EXPECT_NE(wyszkowski.find("href=\"/?place=powiat%20wyszkowski&amp;year=2012\">1<"),
            std::string::npos)
      << wyszkowski;
  EXPECT_NE(wyszkowski.find("href=\"/?place=powiat%20wyszkowski&amp;year=2013\">1<"),
            std::string::npos);
  EXPECT_NE(wyszkowski.find(">2<span class=\"visually-hidden\"> materiały: powiat wyszkowski"),
            std::string::npos);
  EXPECT_EQ(html.find("powiat lipski"), std::string::npos);

  const HttpResponse partners = fetch("/miejsca", true);
  EXPECT_NE(partners.body.find("powiat lipski"), std::string::npos);
  EXPECT_NE(partners.body.find(">3<span class=\"visually-hidden\"> materiały: powiat wyszkowski"),
            std::string::npos);
  EXPECT_EQ(partners.header("cache-control"), "private, no-store");
}

TEST(ServerPlacesUnknown, NamesOutsideTheGazetteerAreShownToLibrariansAlone) {
  auto item = make_item("x", mediateka::ItemType::publication, "Ulotka", 2014, {});
  item.places = {{"powiat wyszkowski", PlaceKind::powiat, false},
                 {"Atlantyda", PlaceKind::powiat, false, true}};  // misspelt in a manifest
  ServedIndex served({item});
  ASSERT_GT(served.port(), 0);
  const std::string librarian =
      mediateka::create_librarian_token(served.db().string(), "Biblioteka", "", std::time(nullptr))
          .token;
  const auto body = [&](const std::string& target, const std::string& headers) {
    auto responses = parse_responses(
        exchange(served.port(),
                 "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                     headers + "\r\n",
                 std::chrono::seconds(10), 1));
    return responses.empty() ? std::string() : responses.front().body;
  };
  const auto page = [&](const std::string& headers) { return body("/miejsca", headers); };
  const std::string anonymous = page("");
  EXPECT_NE(anonymous.find("powiat wyszkowski"), std::string::npos);
  EXPECT_EQ(anonymous.find("Atlantyda"), std::string::npos);
  // Nor anywhere else a visitor looks: the facet, the filter, the item's JSON, the search page.
  const json search = json::parse(body("/api/search", ""));
  EXPECT_EQ(search["facets"]["place"],
            json::parse(R"([{"value": "powiat wyszkowski", "count": 1}])"));
  EXPECT_EQ(json::parse(body("/api/search?place=Atlantyda", ""))["total"], 0);
  EXPECT_EQ(json::parse(body("/api/search?place=powiat+wyszkowski", ""))["total"], 1);
  EXPECT_EQ(json::parse(body("/api/facets", ""))["facets"]["place"], search["facets"]["place"]);
  EXPECT_EQ(json::parse(body("/api/items/x", ""))["places"],
            json::parse(R"([{"name": "powiat wyszkowski", "kind": "powiat", "inferred": false}])"));
  EXPECT_EQ(body("/?q=ulotka", "").find("Atlantyda"), std::string::npos);
  EXPECT_EQ(body("/i/x", "").find("Atlantyda"), std::string::npos);
  EXPECT_EQ(body("/oai?verb=ListRecords&metadataPrefix=oai_dc", "").find("Atlantyda"),
            std::string::npos);
  EXPECT_EQ(body("/feed", "").find("Atlantyda"), std::string::npos);

  // The librarian's token holds once the server has seen its commit (0.5 s).
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  const std::string bearer = "Authorization: Bearer " + librarian + "\r\n";
  const std::string for_librarian = page(bearer);
  EXPECT_NE(for_librarian.find("Nazwy spoza rejestru"), std::string::npos);
  EXPECT_NE(for_librarian.find("Atlantyda"), std::string::npos);
  // Its link finds the item for the librarian, whose item JSON marks the name.
  EXPECT_NE(for_librarian.find("href=\"/?place=Atlantyda\""), std::string::npos);
  EXPECT_EQ(json::parse(body("/api/search?place=Atlantyda", bearer))["total"], 1);
  EXPECT_EQ(json::parse(body("/api/items/x", bearer))["places"][1],
            json::parse(R"({"name": "Atlantyda", "kind": "powiat", "inferred": false,
                            "unknown": true})"));
}

}  // namespace
