// Restricted items indistinguishable from absent (docs/access.md): an archive holding public
// items and items of two groups answers an anonymous visitor, on every channel, byte for byte as
// an archive built from its public items alone would; and a reader of one group as an archive of
// the public items and that group's. The items share words with the public ones, so that term
// statistics, document lengths, spelling and completions would show any leak in rankings,
// scores, corrections and the order of completions.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "server_test_support.h"

namespace mediateka::test {
namespace {

Item item_of(const std::string& id, ItemType type, const std::string& title, int year,
             const std::string& text, std::vector<std::string> access = {},
             std::string campaign = "Wolontariat", std::string project = "") {
  Item item = make_item(id, type, title, year, {campaign}, project, {page(1, text)});
  item.access = std::move(access);
  return item;
}

// Public items, in the order both archives store them.
std::vector<Item> public_items() {
  return {
      item_of("p1", ItemType::publication, "Kooperacja w gminie", 2012,
              "Grzebieniarz i kominiarz o kooperacji. Spółdzielnie socjalne."),
      item_of("p2", ItemType::publication, "Kominiarz w powiecie", 2012,
              "Kominiarz, kominiarz i grzebieniarz. Kooperacja."),
      item_of("p3", ItemType::radio, "Audycja o pomocy", 2015,
              "Pomoc społeczna w gminie i powiecie.", {}, "Ekonomia społeczna"),
      item_of("p4", ItemType::bulletin, "Biuletyn 1/2014", 2014,
              "Spółdzielnie socjalne i ekonomia społeczna.", {}, "Ekonomia społeczna",
              "Razem dla Mazowsza"),
  };
}

// Items of group A, of group B, and of both.
std::vector<Item> group_a_items() {
  return {item_of("a1", ItemType::publication, "Kooperacja w gminie", 2012,
                  "Kooperacji kooperacji kooperacji grzebieniarz grzebieniarz grzebieniarz "
                  "spoldzelnie spoldzelnie.",
                  {"grupa-a"}, "Wolontariat", "Liderzy Kooperacji"),
          item_of("a2", ItemType::tv, "Kominiarz tajny", 2019, "Kominiarz kominiarz kominiarz.",
                  {"grupa-a"}, "Aktywna integracja")};
}
std::vector<Item> group_b_items() {
  return {item_of("b1", ItemType::film, "Kooperacja w powiecie", 2013,
                  "Grzebieniarz kooperacji w powiecie, pomoc społeczna.", {"grupa-b"})};
}
std::vector<Item> both_groups_items() {
  return {item_of("ab1", ItemType::publication, "Raport wspólny", 2016,
                  "Kominiarz i grzebieniarz, raport wspólny.", {"grupa-a", "grupa-b"})};
}

std::vector<Item> joined(std::initializer_list<std::vector<Item>> parts) {
  std::vector<Item> all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

// What may differ between two archives that hold the same items: the times they were written
// and asked, the resumption tokens' signatures (each archive has its own secret), request
// timings in /metrics.
std::string without_times(std::string body) {
  static const std::regex kTimes(R"(\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d+)?Z?)?)");
  static const std::regex kTokens(R"(<resumptionToken([^>]*)>[^<]+</resumptionToken>)");
  static const std::regex kTimings(R"((?:^|\n)mediateka_[a-z_]*(seconds|bytes)[^\n]*)");
  static const std::regex kTook(R"("took_ms":[0-9.e+-]+)");
  body = std::regex_replace(body, kTook, "\"took_ms\":0");
  body = std::regex_replace(body, kTimes, "TIME");
  body = std::regex_replace(body, kTokens, "<resumptionToken$1>TOKEN</resumptionToken>");
  return std::regex_replace(body, kTimings, "");
}

// The elements of a list ordered by when each item changed (sitemaps, OAI-PMH lists), sorted: the
// two archives were written at different moments, so items that changed within the same second
// in one may not have in the other.
std::string with_changes_sorted(const std::string& body) {
  static const std::regex kElement(
      R"(<url>.*?</url>|<record>.*?</record>|<header( [^>]*)?>.*?</header>)");
  std::vector<std::string> elements;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), kElement);
       it != std::sregex_iterator(); ++it)
    elements.push_back(it->str());
  std::sort(elements.begin(), elements.end());
  std::string sorted;
  std::size_t next = 0, end = 0;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), kElement);
       it != std::sregex_iterator(); ++it) {
    sorted += it->prefix().str() + elements[next++];
    end = static_cast<std::size_t>(it->position() + it->length());
  }
  return sorted + body.substr(end);
}

HttpResponse get_with(int port, const std::string& target, const std::string& token) {
  std::string raw = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) raw += "Authorization: Bearer " + token + "\r\n";
  const std::vector<HttpResponse> responses = parse_responses(test::exchange(port, raw + "\r\n"));
  return responses.empty() ? HttpResponse{} : responses.front();
}

// Every channel of the archive, for the items that the compared archives both hold.
std::vector<std::string> channels(const std::vector<Item>& visible) {
  std::vector<std::string> targets = {
      "/api/search?q=grzebieniarz%20OR%20kominiarz",
      "/api/search?q=kooperacja",
      "/api/search?q=kominiarz&per_page=1&page=2",
      "/api/search?q=spoldzelnie",
      "/api/search?q=kooperacji%20grzebieniarz",
      "/api/search?q=%22pomoc%20spo%C5%82eczna%22",
      "/api/search",
      "/api/search?sort=newest",
      "/api/search?sort=oldest&year=2012",
      "/api/search?campaign=Wolontariat&type=publication",
      "/api/search?q=gmin*",
      "/api/suggest?q=ko",
      "/api/suggest?q=grz",
      "/api/suggest?q=kooperacja%20w",
      "/api/facets",
      "/?q=kooperacja",
      "/?q=spoldzelnie",
      "/sitemap.xml",
      "/feed",
      "/feed?q=kominiarz",
      "/miejsca",
      "/healthz",
      "/oai?verb=Identify",
      "/oai?verb=ListSets",
      "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
      "/oai?verb=ListRecords&metadataPrefix=oai_dc",
      "/i/kooperacja-w-gminie",
      "/i/kooperacja-w-gminie-2",
  };
  for (const Item& item : visible) {
    targets.push_back("/api/items/" + item.id);
    targets.push_back("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:mediateka.local:" +
                      item.id);
  }
  return targets;
}

struct Archive {
  Archive(const std::vector<Item>& items, const std::vector<std::string>& token_groups)
      : db(folder.path() / "index") {
    write_index(db, items);
    if (!token_groups.empty())
      token = create_token(db.string(), token_groups, "Test", "", std::time(nullptr)).token;
    server = std::make_unique<ServerProcess>(db);
    port = server->wait_until_listening();
  }
  TemporaryFolder folder{"server_isolation_test."};
  fs::path db;
  std::string token;
  std::unique_ptr<ServerProcess> server;
  int port = 0;
};

void expect_same_answers(const Archive& mixed, const std::string& mixed_token, const Archive& alone,
                         const std::vector<Item>& visible) {
  ASSERT_GT(mixed.port, 0);
  ASSERT_GT(alone.port, 0);
  for (const std::string& target : channels(visible)) {
    const HttpResponse expected = get_with(alone.port, target, alone.token);
    const HttpResponse answered = get_with(mixed.port, target, mixed_token);
    EXPECT_EQ(answered.status, expected.status) << target;
    EXPECT_EQ(with_changes_sorted(without_times(answered.body)),
              with_changes_sorted(without_times(expected.body)))
        << target;
  }
  // Asked in the same order, the servers count alike.
  EXPECT_EQ(without_times(get_with(mixed.port, "/metrics", "").body),
            without_times(get_with(alone.port, "/metrics", "").body));
}

TEST(ServerIsolation, AnAnonymousVisitorSeesAnArchiveOfThePublicItemsAlone) {
  const Archive mixed(
      joined({public_items(), group_a_items(), group_b_items(), both_groups_items()}), {});
  const Archive alone(public_items(), {});
  expect_same_answers(mixed, "", alone, public_items());
}

TEST(ServerIsolation, AReaderOfOneGroupSeesThePublicItemsAndItsGroupsAlone) {
  const Archive mixed(
      joined({public_items(), group_a_items(), group_b_items(), both_groups_items()}), {"grupa-b"});
  const Archive alone(joined({public_items(), group_b_items(), both_groups_items()}), {"grupa-b"});
  expect_same_answers(mixed, mixed.token, alone,
                      joined({public_items(), group_b_items(), both_groups_items()}));
}

TEST(ServerIsolation, AReaderSeesOnlyItsOwnGroupsOfAnItem) {
  const Archive mixed(joined({public_items(), both_groups_items()}), {"grupa-b"});
  ASSERT_GT(mixed.port, 0);
  const HttpResponse item = get_with(mixed.port, "/api/items/ab1", mixed.token);
  ASSERT_EQ(item.status, 200) << item.body;
  EXPECT_EQ(item.json_body()["access"], nlohmann::json::array({"grupa-b"}));
  EXPECT_EQ(item.body.find("grupa-a"), std::string::npos);
}

TEST(ServerIsolation, AForgedResumptionTokenIsRefused) {
  std::vector<Item> many;
  for (int i = 0; i < 120; ++i)
    many.push_back(item_of("x" + std::to_string(i), ItemType::publication,
                           "Pozycja " + std::to_string(i), 2012, "Tekst pozycji."));
  const Archive archive(many, {});
  ASSERT_GT(archive.port, 0);
  const HttpResponse first =
      get_with(archive.port, "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc", "");
  std::smatch found;
  ASSERT_TRUE(std::regex_search(first.body, found,
                                std::regex("<resumptionToken[^>]*>([0-9a-f]+)</resumptionToken>")))
      << first.body;
  const std::string token = found[1];
  const HttpResponse next =
      get_with(archive.port, "/oai?verb=ListIdentifiers&resumptionToken=" + token, "");
  EXPECT_EQ(next.body.find("badResumptionToken"), std::string::npos) << next.body;
  // The token's position changed by one digit (hex of its JSON): refused.
  for (std::size_t at = token.size() - 12; at < token.size(); at += 4) {
    std::string forged = token;
    forged[at] = forged[at] == '3' ? '4' : '3';
    const HttpResponse refused =
        get_with(archive.port, "/oai?verb=ListIdentifiers&resumptionToken=" + forged, "");
    EXPECT_NE(refused.body.find("badResumptionToken"), std::string::npos) << forged;
  }
}

}  // namespace
}  // namespace mediateka::test
