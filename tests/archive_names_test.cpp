// Names and JSON written once (issue 28): every enum's names come from the one table beside it,
// and the item JSON, the worker's extraction JSON and the manifest fingerprint share the mapping
// of the fields they have in common (archive/item_json.h). The expected texts are those the code
// wrote before the tables and the shared mapping existed: they must not change by a byte.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "archive/access/access_tokens.h"
#include "archive/item.h"
#include "archive/item_json.h"
#include "archive/searcher.h"
#include "archive/text/vocabulary.h"
#include "desk/jobs.h"
#include "extraction.h"
#include "import_report.h"
#include "item_builder.h"
#include "manifest.h"
#include "source_list.h"

namespace mediateka {
namespace {

// Every value's name reads back as that value, no two values share a name, and the names are
// `expected`, in the table's order.
template <typename Enum, std::size_t N>
void expect_names(const NameTable<Enum, N>& table, const std::vector<std::string>& expected) {
  ASSERT_EQ(N, expected.size());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < N; ++i) {
    const auto& [value, name] = table[i];
    EXPECT_EQ(name, expected[i]);
    EXPECT_EQ(value_named(table, name), value) << name;
    EXPECT_TRUE(seen.insert(name).second) << name << " twice";
  }
  EXPECT_FALSE(value_named(table, "nieznana"));
  EXPECT_FALSE(value_named(table, ""));
}

TEST(EnumNames, EveryEnumHasTheContractsNames) {
  expect_names(kItemTypeNames, {"publication", "bulletin", "film", "radio", "tv"});
  expect_names(kPlaceKindNames, {"wojewodztwo", "powiat", "gmina"});
  expect_names(kSortOrderNames, {"relevance", "newest", "oldest"});
  expect_names(kTokenRoleNames, {"reader", "librarian"});
  expect_names(indexer::kImportStatusNames,
               {"imported", "updated", "unchanged", "failed", "removed"});
  expect_names(indexer::kManifestFieldNames,
               {"type", "title", "campaign", "year", "date", "project", "series", "issue",
                "description", "authors", "language", "access", "places"});
  expect_names(media::kMediaKindNames, {"pdf", "audio", "video", "image"});
  expect_names(server::kJobStateNames, {"queued", "running", "done", "failed"});
}

TEST(EnumNames, TheFunctionsReadTheTables) {
  EXPECT_EQ(to_string(ItemType::tv), "tv");
  EXPECT_EQ(parse_item_type("bulletin"), ItemType::bulletin);
  EXPECT_FALSE(parse_item_type("Bulletin"));
  EXPECT_EQ(to_string(PlaceKind::gmina), "gmina");
  EXPECT_EQ(parse_place_kind("wojewodztwo"), PlaceKind::wojewodztwo);
  EXPECT_STREQ(sort_order_name(SortOrder::oldest), "oldest");
  EXPECT_EQ(parse_sort_order("newest"), SortOrder::newest);
  EXPECT_FALSE(parse_sort_order("najnowsze"));
  EXPECT_EQ(to_string(TokenRole::librarian), "librarian");
  EXPECT_EQ(indexer::to_string(indexer::ImportStatus::unchanged), "unchanged");
  EXPECT_EQ(indexer::to_string(indexer::ManifestField::campaigns), "campaign");
  EXPECT_EQ(server::to_string(server::JobState::running), "running");
  // A value outside the enum is named as the function's fallback.
  EXPECT_EQ(to_string(static_cast<ItemType>(99)), "publication");
  EXPECT_EQ(to_string(static_cast<PlaceKind>(99)), "powiat");
  EXPECT_EQ(indexer::to_string(static_cast<indexer::ImportStatus>(99)), "failed");
  EXPECT_EQ(names_listed(kItemTypeNames), "publication, bulletin, film, radio, tv");
  EXPECT_EQ(names_listed(kSortOrderNames), "relevance, newest, oldest");
}

TEST(EnumNames, AnExtractionsKindTravelsByName) {
  for (const auto& [kind, name] : media::kMediaKindNames) {
    media::Extraction extraction;
    extraction.kind = kind;
    const nlohmann::json json = media::to_json(extraction);
    EXPECT_EQ(json.at("kind"), name);
    EXPECT_EQ(media::extraction_from_json(json).kind, kind);
  }
}

Item full_item() {
  Item item;
  item.id = "abc123def456";
  item.slug = "lodz-film";
  item.type = ItemType::radio;
  item.title = "Łódź – audycja";
  item.campaigns = {"Kampania A", "Kampania B"};
  item.year = 2013;
  item.date = "2013-05-14";
  item.project = "Projekt P";
  item.series = "Seria S";
  item.issue = "3/2013";
  item.description = "Opis \"w cudzysłowie\"";
  item.authors = {"Anna Nowak", "Jan Kowalski"};
  item.language = "pl";
  item.access = {"liderzy-kooperacji"};
  item.places = {{"powiat wyszkowski", PlaceKind::powiat, false},
                 {"województwo mazowieckie", PlaceKind::wojewodztwo, true},
                 {"gmina Wyszków", PlaceKind::gmina, false}};
  item.pages = 12;
  item.ocr_pages = {2, 3};
  item.repaired_pages = {5};
  item.duration_s = 912.4;
  item.chapters = {{"Wstęp", 0, 30.5}, {"Rozmowa", 30.5, 0}};
  item.media = {"mp3", "", "mp3 44100 Hz 2 ch"};
  item.source.path = "audycje/lodz.mp3";
  item.source.size = 123456;
  item.source.checksum = "00ff";
  item.source.mime = "audio/mpeg";
  item.source.mtime = 1700000000;
  item.source.file = "/srv/archiwum/audycje/lodz.mp3";
  item.source.metadata_fingerprint = "feed";
  return item;
}

TEST(ItemJson, IsWrittenAsBefore) {
  const Item item = full_item();
  EXPECT_EQ(
      item_to_json(item, JsonView::stored).dump(),
      R"({"access":["liderzy-kooperacji"],"authors":["Anna Nowak","Jan Kowalski"],)"
      R"("campaigns":["Kampania A","Kampania B"],"chapters":[{"end_s":30.5,"start_s":0.0,)"
      R"("title":"Wstęp"},{"start_s":30.5,"title":"Rozmowa"}],"date":"2013-05-14",)"
      R"("description":"Opis \"w cudzysłowie\"","duration_s":912.4,"id":"abc123def456",)"
      R"("issue":"3/2013","language":"pl","links":{"file":"/files/abc123def456",)"
      R"("page":"/i/lodz-film","self":"/api/items/abc123def456"},)"
      R"("media":{"audio":"mp3 44100 Hz 2 ch","container":"mp3"},"ocr_pages":[2,3],"pages":12,)"
      R"("places":[{"inferred":false,"kind":"powiat","name":"powiat wyszkowski"},)"
      R"({"inferred":true,"kind":"wojewodztwo","name":"województwo mazowieckie"},)"
      R"({"inferred":false,"kind":"gmina","name":"gmina Wyszków"}],"project":"Projekt P",)"
      R"("repaired_pages":[5],"series":"Seria S","slug":"lodz-film","source":{"checksum":"00ff",)"
      R"("file":"/srv/archiwum/audycje/lodz.mp3","metadata_fingerprint":"feed",)"
      R"("mime":"audio/mpeg","mtime":1700000000,"path":"audycje/lodz.mp3","size":123456,)"
      R"("url":null},"title":"Łódź – audycja","type":"radio","year":2013})");
  // The public view is the stored one without the private fields.
  nlohmann::json public_view = item_to_json(item, JsonView::stored);
  for (const char* key : {"file", "metadata_fingerprint", "mtime"})
    public_view["source"].erase(key);
  EXPECT_EQ(item_to_json(item).dump(), public_view.dump());
  Item bare;
  bare.id = "x";
  bare.slug = "y";
  EXPECT_EQ(item_to_json(bare).dump(),
            R"({"campaigns":[],"id":"x","links":{"file":"/files/x","page":"/i/y",)"
            R"("self":"/api/items/x"},"slug":"y","source":{"checksum":"","mime":"","path":null,)"
            R"("size":0,"url":null},"title":"","type":"publication","year":null})");
}

TEST(ItemJson, ReadsBackWhatItWrites) {
  const Item item = full_item();
  const nlohmann::json stored = item_to_json(item, JsonView::stored);
  const Item copy = item_from_json(nlohmann::json::parse(stored.dump()));
  EXPECT_EQ(item_to_json(copy, JsonView::stored), stored);
  EXPECT_EQ(copy.date, "2013-05-14");
  EXPECT_EQ(copy.issue, "3/2013");
  EXPECT_EQ(copy.authors, item.authors);
  EXPECT_EQ(copy.language, "pl");
  ASSERT_EQ(copy.chapters.size(), 2u);
  EXPECT_DOUBLE_EQ(copy.chapters[0].end_s, 30.5);
  EXPECT_DOUBLE_EQ(copy.chapters[1].end_s, 0);
  EXPECT_EQ(copy.media.container, "mp3");
  EXPECT_EQ(copy.media.video, "");
  EXPECT_EQ(copy.media.audio, "mp3 44100 Hz 2 ch");
}

TEST(ItemJson, AWorkersChaptersAndMediaAreTheItemsJson) {
  media::Extraction extraction;
  extraction.kind = media::MediaKind::video;
  extraction.chapters = {{"Wstęp", 0, 30.5}, {"Rozmowa", 30.5, 0}};
  extraction.media = {"mp4", "h264 1280x720", ""};
  const nlohmann::json json = media::to_json(extraction);
  EXPECT_EQ(json.at("chapters"), chapters_to_json(extraction.chapters));
  EXPECT_EQ(json.at("chapters").dump(),
            R"([{"end_s":30.5,"start_s":0.0,"title":"Wstęp"},{"start_s":30.5,"title":"Rozmowa"}])");
  EXPECT_EQ(json.at("media").dump(), R"({"container":"mp4","video":"h264 1280x720"})");
  const media::Extraction copy = media::extraction_from_json(json);
  ASSERT_EQ(copy.chapters.size(), 2u);
  EXPECT_DOUBLE_EQ(copy.chapters[0].end_s, 30.5);
  EXPECT_EQ(copy.chapters[1].title, "Rozmowa");
  EXPECT_EQ(copy.media.video, "h264 1280x720");
  EXPECT_TRUE(media::to_json(media::Extraction{}).at("media").is_null());
  // The form workers wrote before: every chapter's end and every media field, empty or not.
  const media::Extraction old = media::extraction_from_json(
      nlohmann::json::parse(R"({"kind":"audio","chapters":[{"title":"A","start_s":1,"end_s":0}],)"
                            R"("media":{"container":"mp3","video":"","audio":"mp3"}})"));
  ASSERT_EQ(old.chapters.size(), 1u);
  EXPECT_DOUBLE_EQ(old.chapters[0].start_s, 1);
  EXPECT_EQ(old.media.container, "mp3");
  EXPECT_EQ(old.media.audio, "mp3");
}

TEST(ManifestFingerprint, IsHashedAsBefore) {
  auto entry = std::make_shared<indexer::ManifestEntry>();
  entry->source = "a.pdf";
  entry->type = ItemType::bulletin;
  entry->title = "Biuletyn";
  entry->campaigns = {"kampania a"};
  entry->year = 2012;
  entry->date = "2012-03";
  entry->project = "Projekt";
  entry->description = "Opis";
  entry->authors = {"Anna Nowak"};
  entry->language = "pl";
  indexer::Source source;
  source.file = "/a.pdf";
  source.entry = entry;
  Vocabulary vocabulary;
  vocabulary.add("Kampania A");
  // Stored items carry these: a different hash would make every item of an archive "updated".
  EXPECT_EQ(indexer::metadata_fingerprint(source, vocabulary), "aca095f0bc51afa926d40897b5ce2795");
  entry->named = indexer::field_bit(indexer::ManifestField::title);
  entry->project.clear();
  EXPECT_EQ(indexer::metadata_fingerprint(source, vocabulary), "a16c82d3001637692b2d4e003a28c8fb");
}

TEST(FieldChanges, NameTheDescriptiveFieldsInTheColumnsOrder) {
  const Item item = full_item();
  Item after = item;
  after.date = "2014";
  after.authors = {"Ktoś"};
  after.issue.clear();
  after.language = "en";
  const std::vector<indexer::FieldChange> expected = {
      {"date", "2013-05-14", "2014"},
      {"issue", "3/2013", ""},
      {"authors", "Anna Nowak; Jan Kowalski", "Ktoś"},
      {"language", "pl", "en"}};
  EXPECT_EQ(indexer::field_changes(item, after), expected);
}

}  // namespace
}  // namespace mediateka
