// FacetTable: every document's facet values, one table per commit of an index, shared by the
// readers of that commit; none for what is not one local index.
#include <gtest/gtest.h>
#include <xapian.h>

#include <set>

#include "facet_table.h"
#include "schema.h"
#include "test_files.h"
#include "test_index.h"

namespace mediateka {
namespace {

Item item(const std::string& id, ItemType type, const std::string& campaign, int year) {
  Item item;
  item.id = id;
  item.type = type;
  item.title = "Poradnik " + id;
  item.campaigns = {campaign};
  item.year = year;
  item.segments.push_back({});
  item.segments.back().text = "Pomoc społeczna w gminie.";
  return item;
}

// The values a table gives each document of `db`, against the documents' own values.
void expect_table_of(const Xapian::Database& db, const FacetTable& table) {
  for (Xapian::docid docid = 1; docid <= db.get_lastdocid() + 1; ++docid) {
    for (Xapian::valueno slot :
         {schema::kSlotFacets, schema::kSlotPlaces, schema::kSlotPlaceYears}) {
      const int column = FacetTable::column_of(slot);
      ASSERT_GE(column, 0);
      const std::uint32_t code = table.code(column, docid);
      const std::string held =
          docid <= db.get_lastdocid() ? db.get_document(docid).get_value(slot) : "";
      EXPECT_EQ(code == 0 ? "" : table.value(column, code), held) << docid << " slot " << slot;
    }
  }
}

TEST(FacetTable, HoldsEveryDocumentsValuesOncePerCommit) {
  test::TemporaryFolder folder("mediateka-facet-table-");
  const std::string path = (folder.path() / "index").string();
  test::write_index(path, {item("a", ItemType::radio, "Wolontariat", 2012),
                           item("b", ItemType::radio, "Wolontariat", 2012),
                           item("c", ItemType::radio, "Ekonomia społeczna", 2015)});
  Xapian::Database reader(path), other_reader(path);
  const std::shared_ptr<const FacetTable> table = FacetTable::of(reader);
  ASSERT_TRUE(table);
  expect_table_of(reader, *table);
  // Equal values share a code: "a" and "b" are both radio, Wolontariat, 2012.
  std::set<std::uint32_t> facet_codes;
  for (Xapian::docid docid = 1; docid <= reader.get_lastdocid(); ++docid) {
    if (const std::uint32_t code = table->code(0, docid)) facet_codes.insert(code);
  }
  EXPECT_EQ(facet_codes.size(), 2u);
  EXPECT_EQ(table->codes(0), 3u);
  // Another reader of the same commit gets the same table.
  EXPECT_EQ(FacetTable::of(other_reader), table);

  test::write_index(path, {item("d", ItemType::tv, "Wolontariat", 2020)});
  ASSERT_TRUE(reader.reopen());
  const std::shared_ptr<const FacetTable> newer = FacetTable::of(reader);
  ASSERT_TRUE(newer);
  EXPECT_NE(newer, table);
  expect_table_of(reader, *newer);
  // A reader still at the older commit keeps the table of that commit.
  EXPECT_EQ(FacetTable::of(other_reader), table);
}

TEST(FacetTable, NoneForSeveralIndexesAsOne) {
  test::TemporaryFolder folder("mediateka-facet-table-");
  test::write_index(folder.path() / "a", {item("a", ItemType::radio, "Wolontariat", 2012)});
  test::write_index(folder.path() / "b", {item("b", ItemType::radio, "Wolontariat", 2013)});
  Xapian::Database both((folder.path() / "a").string());
  both.add_database(Xapian::Database((folder.path() / "b").string()));
  EXPECT_FALSE(FacetTable::of(both));
}

}  // namespace
}  // namespace mediateka
