// Places through the importer: the manifest's `places` column (CSV and JSON Lines), matching its
// names to the gazetteer with warnings for the unknown and the ambiguous, places found in the
// text, and the place filter and facet on a small collection against a hand-made truth.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "archive/index_writer.h"
#include "archive/searcher.h"
#include "item_places.h"
#include "manifest.h"
#include "test_files.h"

namespace mediateka {
namespace {

namespace fs = std::filesystem;
using indexer::item_places;
using indexer::manifest_places;

PlaceSettings home_mazowieckie() {
  PlaceSettings settings;
  settings.home = "mazowieckie";
  return settings;
}

std::vector<std::string> names(const std::vector<Place>& places) {
  std::vector<std::string> out;
  for (const Place& place : places) out.push_back(place.name);
  return out;
}

TEST(ManifestPlaces, CsvSplitsOnSemicolonsAndJsonLinesTakesArrays) {
  const indexer::Manifest csv = indexer::parse_csv_manifest(
      "source,places\na.pdf,powiat wyszkowski; Płock ;gmina Somianka\nb.pdf,\n", "m.csv");
  EXPECT_EQ(csv.entries[0].places,
            (std::vector<std::string>{"powiat wyszkowski", "Płock", "gmina Somianka"}));
  EXPECT_TRUE(csv.entries[1].places.empty());
  const indexer::Manifest jsonl = indexer::parse_jsonl_manifest(
      "{\"source\":\"a.pdf\",\"places\":[\"wyszkowski\",\"mazowieckie\"]}\n"
      "{\"source\":\"b.pdf\",\"places\":\"Płock;Radom\"}\n",
      "m.jsonl");
  EXPECT_EQ(jsonl.entries[0].places, (std::vector<std::string>{"wyszkowski", "mazowieckie"}));
  EXPECT_EQ(jsonl.entries[1].places, (std::vector<std::string>{"Płock", "Radom"}));
}

TEST(ManifestPlaces, NamesMatchTheGazetteerAndTheUnknownAreKeptWithAWarning) {
  std::vector<std::string> warnings;
  const std::vector<Place> places =
      manifest_places({"Powiat Wyszkowski", "w powiecie wyszkowskim", "PLOCK", "gminie Somianka",
                       "woj. mazowieckie", "Atlantyda", "powiat brzeski", "powiat grodziski"},
                      home_mazowieckie(), warnings);
  EXPECT_EQ(names(places),
            (std::vector<std::string>{"powiat wyszkowski", "Płock", "gmina Somianka",
                                      "województwo mazowieckie", "Atlantyda", "powiat brzeski",
                                      "powiat grodziski (mazowieckie)"}));
  EXPECT_EQ(places[1].kind, PlaceKind::powiat);
  EXPECT_EQ(places[2].kind, PlaceKind::gmina);
  EXPECT_EQ(places[3].kind, PlaceKind::wojewodztwo);
  for (const Place& place : places) EXPECT_FALSE(place.inferred);
  // The unknown and the ambiguous are kept, marked, and not published (item.h).
  for (std::size_t i = 0; i < places.size(); ++i)
    EXPECT_EQ(places[i].unknown, i == 4 || i == 5) << places[i].name;
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0],
            "unknown place 'Atlantyda' (kept as written, not published until corrected)");
  EXPECT_NE(warnings[1].find("ambiguous place 'powiat brzeski' (kept as written, not published"),
            std::string::npos);
  EXPECT_NE(warnings[1].find("powiat brzeski (opolskie)"), std::string::npos);
}

TEST(ManifestPlaces, TextPlacesFollowTheManifestsAndAreMarkedInferred) {
  Item item;
  item.title = "Partnerstwo lokalne";
  item.description = "Projekt w powiecie wyszkowskim i w gminie Somianka.";
  item.segments = {{1, 0, 0, "Spotkanie w Płocku. Powiat Płocki dołączył w 2012 roku."}};
  std::vector<std::string> warnings;
  const std::vector<Place> places =
      item_places(item, {"powiat wyszkowski"}, home_mazowieckie(), warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(names(places),
            (std::vector<std::string>{"powiat wyszkowski", "gmina Somianka", "powiat płocki"}));
  EXPECT_FALSE(places[0].inferred);
  EXPECT_TRUE(places[1].inferred);
  EXPECT_TRUE(places[2].inferred);
  PlaceSettings off = home_mazowieckie();
  off.infer = false;
  EXPECT_EQ(names(item_places(item, {}, off, warnings)), std::vector<std::string>{});
}

// The collection: places from manifests, from the text only, both, an unknown one, and a
// restricted item. The truth below is counted by hand from these rows.
class PlaceFacets : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new test::TemporaryFolder();
    struct Row {
      const char* id;
      int year;
      std::vector<std::string> manifest;
      const char* text;
      std::vector<std::string> access;
    };
    const std::vector<Row> rows = {
        {"a", 2012, {"powiat wyszkowski"}, "Szkolenia w gminie Somianka.", {}},
        {"b", 2012, {}, "Partnerstwo powiatów: lipskiego, siedleckiego i wyszkowskiego.", {}},
        {"c", 2013, {"Płock", "wyszkowski"}, "W Wyszkowie odbyła się konferencja.", {}},
        {"d", 2013, {"Atlantyda"}, "Raport roczny.", {}},
        {"e", 2014, {}, "Dane z powiatów wyszkowskiego i płockiego.", {"partnerzy"}},
        {"f", 2014, {}, "Wyszków i Płock to miasta nad rzekami.", {}},
    };
    IndexWriter writer((folder_->path() / "index").string());
    for (const Row& row : rows) {
      Item item;
      item.id = item.slug = row.id;
      item.title = std::string("Materiał ") + row.id;
      item.year = row.year;
      item.access = row.access;
      item.segments = {{1, 0, 0, row.text}};
      std::vector<std::string> warnings;
      item.places = item_places(item, row.manifest, home_mazowieckie(), warnings);
      item.source.path = std::string(row.id) + ".pdf";
      item.source.checksum = std::string("sum-") + row.id;
      writer.put(item);
    }
    writer.commit();
  }
  static void TearDownTestSuite() { delete folder_; }

  static SearchResult search(SearchRequest request) {
    return Searcher({(folder_->path() / "index").string()}, Vocabulary()).search(request);
  }
  static std::map<std::string, std::size_t> counts(const std::vector<FacetValue>& values) {
    std::map<std::string, std::size_t> out;
    for (const FacetValue& value : values) out[value.value] = value.count;
    return out;
  }

  static test::TemporaryFolder* folder_;
};

test::TemporaryFolder* PlaceFacets::folder_ = nullptr;

using Counts = std::map<std::string, std::size_t>;

TEST_F(PlaceFacets, CountsMatchTheHandMadeTruth) {
  SearchRequest request;
  request.place_years = true;
  const SearchResult all = search(request);
  EXPECT_EQ(all.total, 5u);  // e is restricted
  // d's "Atlantyda" is not the gazetteer's: not a place for a visitor.
  EXPECT_EQ(counts(all.facets.place), (Counts{{"powiat wyszkowski", 3},
                                              {"gmina Somianka", 1},
                                              {"powiat lipski", 1},
                                              {"powiat siedlecki", 1},
                                              {"Płock", 1}}));
  EXPECT_EQ(all.facets.place.front().value, "powiat wyszkowski");  // by count
  EXPECT_EQ(all.facets.place_years.at("powiat wyszkowski"),
            (std::map<int, std::size_t>{{2012, 2}, {2013, 1}}));
  EXPECT_EQ(all.facets.place_years.count("Atlantyda"), 0u);
  EXPECT_TRUE(all.facets.unknown_places.empty());

  EXPECT_TRUE(search({}).facets.place_years.empty());  // only when asked

  SearchRequest partners = request;
  partners.audience.groups = {"partnerzy"};
  const SearchResult seen = search(partners);
  EXPECT_EQ(counts(seen.facets.place)["powiat wyszkowski"], 4u);
  EXPECT_EQ(counts(seen.facets.place)["powiat płocki"], 1u);
  EXPECT_EQ(seen.facets.place_years.at("powiat płocki"), (std::map<int, std::size_t>{{2014, 1}}));
}

TEST_F(PlaceFacets, TheFilterFindsManifestAndTextPlacesAlikeAndIsMultiSelect) {
  SearchRequest request;
  request.places = {"powiat wyszkowski"};
  SearchResult result = search(request);
  EXPECT_EQ(result.total, 3u);  // a and c from their manifests, b from its text only
  // The place facet ignores its own filter; the others count inside it.
  EXPECT_EQ(counts(result.facets.place), counts(search({}).facets.place));
  EXPECT_EQ(counts(result.facets.year), (Counts{{"2012", 2}, {"2013", 1}}));

  request.places = {"powiat lipski", "Płock"};  // OR within the field
  EXPECT_EQ(search(request).total, 2u);
  request.places = {"wyszkowskiego"};  // a name that means one place
  EXPECT_EQ(search(request).total, 3u);
  request.places = {"gmina Somianka"};
  request.years = {2013};
  EXPECT_EQ(search(request).total, 0u);
  request.places = {};
  EXPECT_EQ(counts(search(request).facets.place), (Counts{{"powiat wyszkowski", 1}, {"Płock", 1}}));
}

// A name the gazetteer does not know stays on its item for the librarian, who alone is shown it
// (to correct it): in the facet, the counts by year, the filter and the list of unknown names.
TEST_F(PlaceFacets, UnknownNamesAreTheLibrariansAlone) {
  SearchRequest visitor;
  visitor.places = {"Atlantyda"};
  EXPECT_EQ(search(visitor).total, 0u);
  visitor.places = {"Atlantyda", "Płock"};
  EXPECT_EQ(search(visitor).total, 1u);  // c
  SearchRequest partners = visitor;
  partners.audience.groups = {"partnerzy"};
  partners.places = {"Atlantyda"};
  EXPECT_EQ(search(partners).total, 0u);  // a reader's token is no librarian's
  EXPECT_EQ(counts(search(partners).facets.place).count("Atlantyda"), 0u);

  SearchRequest librarian;
  librarian.audience = Audience::everyone();
  librarian.place_years = true;
  const SearchResult all = search(librarian);
  EXPECT_EQ(all.total, 6u);
  EXPECT_EQ(counts(all.facets.place)["Atlantyda"], 1u);
  EXPECT_EQ(all.facets.place_years.at("Atlantyda"), (std::map<int, std::size_t>{{2013, 1}}));
  EXPECT_EQ(all.facets.unknown_places, (std::set<std::string>{"Atlantyda"}));
  librarian.places = {"atlantyda"};  // as its filter matches the names kept as written
  const SearchResult found = search(librarian);
  ASSERT_EQ(found.total, 1u);
  ASSERT_EQ(found.hits.size(), 1u);
  EXPECT_EQ(found.hits[0].item.id, "d");
  librarian.places = {"Atlantyda", "Płock"};
  EXPECT_EQ(search(librarian).total, 2u);
}

}  // namespace
}  // namespace mediateka
