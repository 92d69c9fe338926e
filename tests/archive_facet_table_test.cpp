// FacetTable: every document's facet values, one table per commit of an index, shared by the
// readers of that commit; none for what is not one local index. And counting through tables
// (one pass, filters told apart by the table) gives the counts of Xapian's own spies (a pass
// for each filtered field), for every kind of filter.
#include <gtest/gtest.h>
#include <xapian.h>

#include <fstream>
#include <set>

#include "archive/index/audience_databases.h"
#include "archive/index/schema.h"
#include "archive/search/facet_table.h"
#include "archive/searcher.h"
#include "search_counts.h"
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
  Xapian::Database reader(public_database(path)), other_reader(public_database(path));
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
  Xapian::Database both(public_database((folder.path() / "a").string()));
  both.add_database(Xapian::Database(public_database((folder.path() / "b").string())));
  EXPECT_FALSE(FacetTable::of(both));
}

// An archive with every kind of facet value: several campaigns or none, no year, no project,
// several places or none, a place the gazetteer did not know, restricted items.
std::vector<Item> varied_items() {
  const ItemType types[] = {ItemType::publication, ItemType::bulletin, ItemType::film,
                            ItemType::radio, ItemType::tv};
  const std::vector<std::string> campaigns[] = {
      {}, {"Wolontariat"}, {"Ekonomia społeczna"}, {"Wolontariat", "Aktywna integracja"}};
  const std::string projects[] = {"", "Razem dla Mazowsza", "Liderzy Kooperacji"};
  const std::vector<Place> places[] = {
      {},
      {{"powiat wyszkowski", PlaceKind::powiat, false}},
      {{"powiat płocki", PlaceKind::powiat, true}, {"Płock", PlaceKind::powiat, false}},
      {{"powiat wyszkowski", PlaceKind::powiat, true}, {"gmina Somianka", PlaceKind::gmina, false}},
      {{"Płock", PlaceKind::powiat, false}, {"Atlantyda", PlaceKind::powiat, false, true}}};
  std::vector<Item> items;
  for (int i = 0; i < 60; ++i) {
    Item varied = item("v" + std::to_string(i), types[i % 5], "", 2010 + i % 6);
    varied.campaigns = campaigns[i % 4];
    if (i % 7 == 0) varied.year.reset();
    varied.project = projects[i % 3];
    varied.places = places[(i / 2) % 5];
    if (i % 3 == 0) varied.segments.back().text += " Wsparcie dla rodziny.";
    if (i % 11 == 0) varied.access = {"partnerzy"};
    items.push_back(varied);
  }
  return items;
}

TEST(FacetTable, CountsAsXapiansSpiesForEveryFilter) {
  test::TemporaryFolder folder("mediateka-facet-table-");
  const std::filesystem::path db = folder.path() / "index", empty = folder.path() / "empty";
  test::write_index(db, varied_items());
  test::write_index(empty, {});
  // A stub file listing several databases has no table: it is counted by Xapian's spies.
  std::ofstream(folder.path() / "both.stub")
      << "auto " << public_database(db.string()) << "\nauto "
      << group_database(db.string(), {"partnerzy"}) << "\nauto " << public_database(empty.string())
      << "\n";
  Searcher through_table({db.string()}, Vocabulary{});
  Searcher through_spies({(folder.path() / "both.stub").string()}, Vocabulary{});

  int compared = 0;
  for (const char* q : {"", "pomoc", "rodzina"}) {
    // Anonymous, a reader, a librarian (who alone counts and filters by unknown places).
    for (const Audience& audience :
         {Audience{}, Audience{{"partnerzy"}, false}, Audience::everyone()}) {
      for (unsigned filters = 0; filters < 64; ++filters) {
        SearchRequest request;
        request.q = q;
        request.audience = audience;
        request.place_years = true;
        if (filters & 1) request.types = {"radio", "publication"};
        if (filters & 2) request.campaigns = {"wolontariat"};
        if (filters & 4) request.projects = {"Razem dla Mazowsza"};
        if (filters & 8) request.years = {2011, 2013, 2015};
        if (filters & 16) request.year_from = 2012, request.year_to = 2014;
        if (filters & 32) request.places = {"powiat wyszkowski", "Atlantyda"};
        SCOPED_TRACE("q=" + std::string(q) + " filters=" + std::to_string(filters) + " groups=" +
                     std::to_string(audience.groups.size()) + (audience.all ? " librarian" : ""));
        const SearchResult expected = through_spies.search(request);
        const SearchResult got = through_table.search(request);
        test::expect_same_counts(got, expected);
        compared += expected.total > 0;
      }
    }
  }
  // Most combinations match something, so the counts compared are not all empty.
  EXPECT_GT(compared, 300);
  // The unknown place counts for the librarian alone, through the table and the spies alike.
  SearchRequest visitor, librarian;
  librarian.audience = Audience::everyone();
  for (Searcher* searcher : {&through_table, &through_spies}) {
    EXPECT_EQ(test::counts_of(searcher->search(visitor).facets.place).count("Atlantyda"), 0u);
    EXPECT_EQ(test::counts_of(searcher->search(librarian).facets.place)["Atlantyda"], 12u);
    visitor.places = librarian.places = {"Atlantyda"};
    EXPECT_EQ(searcher->search(visitor).total, 0u);
    EXPECT_EQ(searcher->search(librarian).total, 12u);
    visitor.places = librarian.places = {};
  }
}

}  // namespace
}  // namespace mediateka
