// What item and segment documents keep in their value slots reads back as it was written.
#include <gtest/gtest.h>

#include "archive/index/schema.h"

namespace mediateka {
namespace {

TEST(Schema, SegmentKeepsPlaceTextAndWordOffsets) {
  schema::StoredSegment page;
  page.item_id = "abc-123";
  page.segment.page = 7;
  page.segment.text = "Pomoc społeczna — dla rodzin.";
  page.words = {{0, 5}, {6, 17}, {22, 25}, {26, 32}};
  Xapian::Document document;
  schema::store_segment(document, page);

  schema::StoredSegment read = schema::load_segment(document);
  EXPECT_EQ(read.item_id, "abc-123");
  EXPECT_EQ(read.segment.page, 7);
  EXPECT_EQ(read.segment.text, page.segment.text);
  ASSERT_EQ(read.words.size(), 4u);
  EXPECT_EQ(read.words[1].begin, 6u);
  EXPECT_EQ(read.words[1].end, 17u);
  EXPECT_EQ(read.words[3].end, 32u);

  // Only the first words when asked so; the text whole either way.
  schema::StoredSegment first_two = schema::load_segment(document, 2);
  EXPECT_EQ(first_two.words.size(), 2u);
  EXPECT_EQ(first_two.segment.text, page.segment.text);

  schema::StoredSegment cue;
  cue.segment.start_s = 93.5;
  cue.segment.end_s = 97.25;
  cue.segment.text = "Wolontariusze\npomagają.";  // a line break inside the text
  cue.words = {{0, 13}, {14, 22}};
  Xapian::Document timed;
  schema::store_segment(timed, cue);
  read = schema::load_segment(timed);
  EXPECT_EQ(read.segment.page, 0);
  EXPECT_DOUBLE_EQ(read.segment.start_s, 93.5);
  EXPECT_DOUBLE_EQ(read.segment.end_s, 97.25);
  EXPECT_EQ(read.segment.text, cue.segment.text);
  EXPECT_EQ(read.words.size(), 2u);
}

TEST(Schema, HitFieldsRoundTrip) {
  Item item;
  item.id = "abc123";
  item.slug = "lodz-reportaz";
  item.type = ItemType::tv;
  item.title = "Łódź – reportaż";
  item.year = 2014;
  item.campaigns = {"Ekonomia społeczna", "Aktywna integracja"};
  item.project = "Liderzy Kooperacji";
  item.description = "Opis\x1fz dziwnym znakiem.";
  item.source.file = "/nie/do/trafien.mp4";  // not a hit field
  Xapian::Document document;
  schema::store_hit_fields(document, item, {1, 350, 1200, 70000});

  schema::HitFields fields = schema::load_hit_fields(document.get_value(schema::kSlotHit));
  EXPECT_EQ(fields.item.id, item.id);
  EXPECT_EQ(fields.item.slug, item.slug);
  EXPECT_EQ(fields.item.type, ItemType::tv);
  EXPECT_EQ(fields.item.title, item.title);
  EXPECT_EQ(fields.item.year, 2014);
  EXPECT_EQ(fields.item.campaigns, item.campaigns);
  EXPECT_EQ(fields.item.project, item.project);
  EXPECT_EQ(fields.item.description, item.description);
  EXPECT_TRUE(fields.item.source.file.empty());
  EXPECT_EQ(fields.location_starts, (std::vector<Xapian::termpos>{1, 350, 1200, 70000}));

  Item bare;
  bare.id = "x";
  Xapian::Document plain;
  schema::store_hit_fields(plain, bare, {});
  fields = schema::load_hit_fields(plain.get_value(schema::kSlotHit));
  EXPECT_FALSE(fields.item.year);
  EXPECT_TRUE(fields.item.campaigns.empty());
  EXPECT_TRUE(fields.location_starts.empty());
}

TEST(Schema, FacetFieldsRoundTripAndKeepTheirSeparatorsOut) {
  Item item;
  item.type = ItemType::radio;
  item.campaigns = {"Ekonomia społeczna", "Wolontariat"};
  item.year = 2013;
  item.project = "Razem dla Mazowsza";
  schema::FacetFields fields = schema::load_facet_fields(schema::facet_value(item));
  EXPECT_EQ(fields.type, "radio");
  EXPECT_EQ(fields.campaigns, item.campaigns);
  EXPECT_EQ(fields.year, "2013");
  EXPECT_EQ(fields.project, item.project);

  // A value holding a separator must not shift the fields after it.
  Item odd;
  odd.type = ItemType::film;
  odd.campaigns = {"Aktywna\x1eintegracja", "Pół\x1fna pół"};
  odd.project = "Liderzy\x1e\x1fKooperacji";
  fields = schema::load_facet_fields(schema::facet_value(odd));
  EXPECT_EQ(fields.type, "film");
  EXPECT_EQ(fields.campaigns, (std::vector<std::string>{"Aktywna integracja", "Pół na pół"}));
  EXPECT_EQ(fields.year, "");
  EXPECT_EQ(fields.project, "Liderzy  Kooperacji");

  // No campaigns, no year, no project; and a value from no item at all.
  Item bare;
  fields = schema::load_facet_fields(schema::facet_value(bare));
  EXPECT_TRUE(fields.campaigns.empty());
  EXPECT_TRUE(fields.year.empty());
  EXPECT_TRUE(fields.project.empty());
  fields = schema::load_facet_fields("");
  EXPECT_TRUE(fields.type.empty());
  EXPECT_TRUE(fields.campaigns.empty());
}

TEST(Schema, TruncatedValuesReadWithoutOverrunning) {
  Item item;
  item.id = "abc123";
  item.title = "Poradnik pomocy społecznej";
  Xapian::Document document;
  schema::store_hit_fields(document, item, {1, 2, 3});
  const std::string value = document.get_value(schema::kSlotHit);
  for (size_t size = 0; size < value.size(); ++size) {
    schema::HitFields fields = schema::load_hit_fields(value.substr(0, size));
    EXPECT_LE(fields.item.title.size(), item.title.size());
    EXPECT_LE(fields.location_starts.size(), 3u);
  }
}

}  // namespace
}  // namespace mediateka
