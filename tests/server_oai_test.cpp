// OAI-PMH at /oai against the real server: every verb, sets, from/until, resumption tokens that
// survive a commit in the middle of a harvest, deleted records (removed, and made restricted),
// restricted items never shown, every error code, well-formed XML (xmllint), and Debian's
// harvester (oai_pmh from libhttp-oai-perl) harvesting it all.
#include <gtest/gtest.h>

#include <ctime>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "archive/index_writer.h"
#include "media_test_support.h"
#include "server_test_support.h"

namespace mediateka::test {
namespace {

constexpr int kPublicItems = 230;  // three pages of 100

std::vector<std::string> all_matches(const std::string& text, const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex re(pattern);
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it)
    found.push_back((*it)[1]);
  return found;
}

std::string first_match(const std::string& text, const std::string& pattern) {
  const auto found = all_matches(text, pattern);
  return found.empty() ? "" : found.front();
}

Item numbered_item(int n) {
  Item item;
  item.id = "item" + std::to_string(n);
  item.type = n % 3 == 0 ? ItemType::radio : ItemType::publication;
  item.title = "Materiał numer " + std::to_string(n);
  if (n % 5 == 0) item.campaigns = {"Aktywna integracja"};
  if (n % 7 == 0) item.project = "Razem dla Mazowsza";
  item.year = 2010 + n % 10;
  item.segments = {page(1, "Pomoc społeczna w gminie, strona " + std::to_string(n))};
  item.source.checksum = "c" + std::to_string(n);
  item.source.mime = "application/pdf";
  return item;
}

class Oai : public ::testing::Test {
 protected:
  void SetUp() override {
    IndexWriter writer(db().string());
    for (int n = 1; n <= kPublicItems; ++n) {
      Item item = numbered_item(n);
      writer.put(item);
    }
    Item secret = numbered_item(900);
    secret.id = "tajny";
    secret.title = "Poufne materiały";
    secret.access = {"liderzy-kooperacji"};
    writer.put(secret);
    Item gone = numbered_item(901);
    gone.id = "usuniety";
    gone.type = ItemType::radio;
    writer.put(gone);
    Item hidden = numbered_item(902);
    hidden.id = "ukryty";
    writer.put(hidden);
    writer.commit();
    writer.remove("usuniety");  // removed: a deleted record in its sets
    hidden.access = {"rops-olsztyn"};
    writer.put(hidden);  // made restricted: gone for harvesters too
    writer.commit();
    server_ = std::make_unique<ServerProcess>(db());
    port_ = server_->wait_until_listening();
    ASSERT_GT(port_, 0);
  }

  fs::path db() const { return dir_.path() / "db"; }

  std::string oai(const std::string& arguments) {
    const HttpResponse response = get(port_, "/oai?" + arguments);
    EXPECT_EQ(response.status, 200) << arguments;
    EXPECT_EQ(response.header("content-type"), "text/xml; charset=utf-8");
    if (tool_available("xmllint")) {
      write_file(dir_.path() / "answer.xml", response.body);
      EXPECT_TRUE(run("xmllint --noout " + quoted(dir_.path() / "answer.xml"))) << arguments;
    }
    return response.body;
  }

  std::string error_code(const std::string& arguments) {
    return first_match(oai(arguments), R"re(<error code="([A-Za-z]+)")re");
  }

  // Every header of a whole list, following resumption tokens; checks cursor and size on the way.
  std::vector<std::string> harvest(const std::string& verb, const std::string& arguments,
                                   const std::function<void(int)>& between_pages = {}) {
    std::vector<std::string> headers;
    std::string answer = oai("verb=" + verb + "&" + arguments);
    for (int page = 0;; ++page) {
      for (const std::string& header : all_matches(answer, R"re((<header[^>]*>.*?</header>))re"))
        headers.push_back(header);
      const std::string token = first_match(answer, R"re(<resumptionToken[^>]*>([^<]*)<)re");
      if (answer.find("<resumptionToken") != std::string::npos) {
        EXPECT_EQ(first_match(answer, R"re(cursor="(\d+)")re"), std::to_string(page * 100))
            << "page " << page;
        EXPECT_FALSE(first_match(answer, R"re(completeListSize="(\d+)")re").empty());
      }
      if (token.empty()) break;
      if (between_pages) between_pages(page);
      answer = oai("verb=" + verb + "&resumptionToken=" + token);
      EXPECT_LT(page, 20) << "a list that does not end";
      if (page >= 20) break;
    }
    return headers;
  }

  static std::string id_of(const std::string& header) {
    return first_match(header, R"re(<identifier>oai:mediateka\.local:([^<]+)</identifier>)re");
  }

  TemporaryFolder dir_{"server_oai_test."};
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

TEST_F(Oai, IdentifyAndMetadataFormats) {
  const std::string identify = oai("verb=Identify");
  EXPECT_NE(identify.find("<protocolVersion>2.0</protocolVersion>"), std::string::npos);
  EXPECT_NE(identify.find("<deletedRecord>persistent</deletedRecord>"), std::string::npos);
  EXPECT_NE(identify.find("<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>"), std::string::npos);
  // From the Host header the request gave.
  EXPECT_NE(identify.find("<baseURL>http://127.0.0.1/oai</baseURL>"), std::string::npos);
  EXPECT_NE(identify.find("<repositoryIdentifier>mediateka.local</repositoryIdentifier>"),
            std::string::npos);
  const std::string year = first_match(identify, R"re(<earliestDatestamp>(\d{4})-)re");
  EXPECT_GE(std::stoi(year.empty() ? "0" : year), 2026);

  EXPECT_NE(oai("verb=ListMetadataFormats").find("<metadataPrefix>oai_dc</metadataPrefix>"),
            std::string::npos);
  EXPECT_EQ(error_code("verb=ListMetadataFormats&identifier=oai:mediateka.local:nic"),
            "idDoesNotExist");
}

TEST_F(Oai, AHarvestGetsEveryPublicItemOnceAndTheDeletedOnesAsDeleted) {
  const std::vector<std::string> headers = harvest("ListRecords", "metadataPrefix=oai_dc");
  std::map<std::string, int> seen;
  std::set<std::string> deleted;
  for (const std::string& header : headers) {
    ++seen[id_of(header)];
    if (header.find("status=\"deleted\"") != std::string::npos) deleted.insert(id_of(header));
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kPublicItems + 2));
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
  EXPECT_EQ(deleted, (std::set<std::string>{"usuniety", "ukryty"}));
  EXPECT_EQ(seen.count("tajny"), 0u);

  const std::string record =
      oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:mediateka.local:item35");
  EXPECT_NE(record.find("<dc:title>Materiał numer 35</dc:title>"), std::string::npos);
  EXPECT_NE(record.find("<dc:subject>Aktywna integracja</dc:subject>"), std::string::npos);
  EXPECT_NE(record.find("<dc:relation>Razem dla Mazowsza</dc:relation>"), std::string::npos);
  EXPECT_NE(record.find("<dc:type>Text</dc:type>"), std::string::npos);
  EXPECT_NE(record.find("<setSpec>campaign:aktywna-integracja</setSpec>"), std::string::npos);
  EXPECT_NE(oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:mediateka.local:usuniety")
                .find("<header status=\"deleted\">"),
            std::string::npos);
  // A restricted item does not exist for harvesters, not even as deleted.
  EXPECT_EQ(error_code("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:mediateka.local:tajny"),
            "idDoesNotExist");
}

TEST_F(Oai, TokensStayValidWhileAnImportCommits) {
  // New items are committed between the pages: the harvest still gets every item that was
  // there once, and the new ones after them.
  int added = 0;
  const std::vector<std::string> headers =
      harvest("ListIdentifiers", "metadataPrefix=oai_dc", [&](int page) {
        IndexWriter writer(db().string());
        for (int n = 0; n < 5; ++n) {
          Item item = numbered_item(1000 + page * 10 + n);
          writer.put(item);
          ++added;
        }
        writer.commit();
        std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // the server reopens
      });
  std::map<std::string, int> seen;
  for (const std::string& header : headers) ++seen[id_of(header)];
  for (int n = 1; n <= kPublicItems; ++n) EXPECT_EQ(seen["item" + std::to_string(n)], 1) << n;
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kPublicItems + 2 + added));
}

TEST_F(Oai, SetsAndDateRanges) {
  const std::string sets = oai("verb=ListSets");
  for (const char* spec : {"type:publication", "type:radio", "campaign:aktywna-integracja",
                           "project:razem-dla-mazowsza"})
    EXPECT_NE(sets.find(std::string("<setSpec>") + spec + "</setSpec>"), std::string::npos) << spec;
  EXPECT_NE(sets.find("<setName>Aktywna integracja</setName>"), std::string::npos);

  const std::vector<std::string> radio =
      harvest("ListIdentifiers", "metadataPrefix=oai_dc&set=type:radio");
  int radio_items = 0;
  for (int n = 1; n <= kPublicItems; ++n) radio_items += n % 3 == 0 ? 1 : 0;
  EXPECT_EQ(radio.size(), static_cast<std::size_t>(radio_items + 1));  // + the removed radio
  for (const std::string& header : radio)
    EXPECT_NE(header.find("<setSpec>type:radio</setSpec>"), std::string::npos) << header;

  const std::time_t now = std::time(nullptr);
  char today[16], tomorrow[16];
  const std::time_t next_day = now + 86400;
  std::strftime(today, sizeof today, "%Y-%m-%d", std::gmtime(&now));
  std::strftime(tomorrow, sizeof tomorrow, "%Y-%m-%d", std::gmtime(&next_day));
  EXPECT_EQ(harvest("ListIdentifiers", std::string("metadataPrefix=oai_dc&from=") + today).size(),
            static_cast<std::size_t>(kPublicItems + 2));
  EXPECT_EQ(harvest("ListIdentifiers",
                    std::string("metadataPrefix=oai_dc&until=") + today + "&from=2020-01-01")
                .size(),
            static_cast<std::size_t>(kPublicItems + 2));
  EXPECT_EQ(error_code(std::string("verb=ListIdentifiers&metadataPrefix=oai_dc&from=") + tomorrow),
            "noRecordsMatch");
  EXPECT_EQ(error_code("verb=ListRecords&metadataPrefix=oai_dc&until=2020-01-01T00:00:00Z"),
            "noRecordsMatch");
}

TEST_F(Oai, EveryErrorOfTheProtocol) {
  EXPECT_EQ(error_code(""), "badVerb");
  EXPECT_EQ(error_code("verb=Harvest"), "badVerb");
  EXPECT_EQ(error_code("verb=Identify&verb=Identify"), "badArgument");
  EXPECT_EQ(error_code("verb=Identify&extra=1"), "badArgument");
  EXPECT_EQ(error_code("verb=ListRecords"), "badArgument");
  EXPECT_EQ(error_code("verb=GetRecord&metadataPrefix=oai_dc"), "badArgument");
  EXPECT_EQ(error_code("verb=ListRecords&metadataPrefix=oai_dc&from=2020-13-01"), "badArgument");
  EXPECT_EQ(
      error_code(
          "verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2021-01-01T00:00:00Z"),
      "badArgument");
  EXPECT_EQ(error_code("verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-01&until=2020-01-01"),
            "badArgument");
  EXPECT_EQ(error_code("verb=ListRecords&metadataPrefix=marc21"), "cannotDisseminateFormat");
  EXPECT_EQ(error_code("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:other:item1"),
            "idDoesNotExist");
  EXPECT_EQ(error_code("verb=ListRecords&resumptionToken=zz"), "badResumptionToken");
  EXPECT_EQ(error_code("verb=ListRecords&resumptionToken=7b7d"), "badResumptionToken");
  EXPECT_EQ(error_code("verb=ListRecords&metadataPrefix=oai_dc&set=type:none"), "noRecordsMatch");
  EXPECT_EQ(error_code("verb=ListSets&resumptionToken=abc"), "badResumptionToken");
  // An error's <request> element carries no arguments for badVerb and badArgument.
  EXPECT_NE(oai("verb=Harvest").find("<request>http://"), std::string::npos);
  // POST with the arguments as a form answers the same.
  const std::string raw =
      exchange(port_,
               "POST /oai HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
               "application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\nverb=Identify",
               std::chrono::seconds(10), 1);
  EXPECT_NE(raw.find("<Identify>"), std::string::npos);
}

TEST_F(Oai, DebiansHarvesterGetsEveryRecord) {
  if (!tool_available("oai_pmh")) GTEST_SKIP() << "libhttp-oai-perl is not installed";
  const fs::path out = dir_.path() / "harvest.txt";
  const std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/oai";
  // (run() throws the output away: the harvest goes to a file of its own.)
  ASSERT_EQ(std::system(("oai_pmh -X ListIdentifiers --metadataPrefix oai_dc " + url + " > " +
                         quoted(out) + " 2>/dev/null")
                            .c_str()),
            0);
  const std::string listed = read_file(out);
  EXPECT_EQ(all_matches(listed, R"re((identifier: oai:mediateka\.local:))re").size(),
            static_cast<std::size_t>(kPublicItems + 2))
      << listed.substr(0, 500);
  ASSERT_EQ(std::system(("oai_pmh -X ListRecords --metadataPrefix oai_dc --set "
                         "campaign:aktywna-integracja " +
                         url + " > " + quoted(out) + " 2>/dev/null")
                            .c_str()),
            0);
  EXPECT_EQ(
      all_matches(read_file(out), R"re((<dc:subject>Aktywna integracja</dc:subject>))re").size(),
      static_cast<std::size_t>(kPublicItems / 5));
}

}  // namespace
}  // namespace mediateka::test
