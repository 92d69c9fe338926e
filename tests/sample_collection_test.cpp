// End to end over the bundled sample collection: import with the real indexer, then
// search as visitors do. Facts come from samples/README.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>

#include "archive/config.h"
#include "archive/searcher.h"
#include "snippet_marks.h"

namespace mediateka {
namespace {

namespace fs = std::filesystem;

class SampleCollection : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ =
        fs::temp_directory_path() / ("mediateka-samples-" + std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    fs::copy(fs::path(MEDIATEKA_SOURCE_DIR) / "samples", root_ / "samples",
             fs::copy_options::recursive);
    config_ = load_config(std::string(MEDIATEKA_SOURCE_DIR) + "/config/mediateka.toml");
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  // Runs mediateka-index import over a manifest; returns the exit status and the report.
  static std::pair<int, nlohmann::json> import(const fs::path& manifest) {
    fs::path report = root_ / "report.json";
    std::string command = std::string(MEDIATEKA_INDEX_BIN) + " import --quiet --config " +
                          MEDIATEKA_SOURCE_DIR + "/config/mediateka.toml --db " +
                          (root_ / "index").string() + " --manifest " + manifest.string() +
                          " --report " + report.string() + " 2>" + (root_ / "stderr.txt").string();
    int status = std::system(command.c_str());
    std::ifstream in(report);
    nlohmann::json json = in ? nlohmann::json::parse(in) : nlohmann::json();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, json};
  }

  Searcher searcher() { return Searcher({(root_ / "index").string()}, config_.campaigns); }

  static std::size_t count_of(const std::vector<FacetValue>& values, const std::string& value) {
    for (const FacetValue& facet : values) {
      if (facet.value == value) return facet.count;
    }
    return 0;
  }

  static const Hit* hit_titled(const SearchResult& result, const std::string& start) {
    for (const Hit& hit : result.hits) {
      if (hit.item.title.rfind(start, 0) == 0) return &hit;
    }
    return nullptr;
  }

  static fs::path root_;
  static Config config_;
};

fs::path SampleCollection::root_;
Config SampleCollection::config_;

TEST_F(SampleCollection, ImportsEverythingAndSearchesLikeAVisitor) {
  auto [status, report] = import(root_ / "samples" / "manifest.csv");
  ASSERT_EQ(status, 0) << report.dump(2);
  EXPECT_EQ(report["imported"], 12);
  EXPECT_EQ(report["failed"], 0);

  Searcher s = searcher();
  SearchResult all = s.search({});
  EXPECT_EQ(all.total, 12u);
  EXPECT_EQ(count_of(all.facets.type, "publication"), 5u);
  EXPECT_EQ(count_of(all.facets.type, "bulletin"), 2u);
  EXPECT_EQ(count_of(all.facets.type, "film"), 2u);
  EXPECT_EQ(count_of(all.facets.type, "radio"), 2u);
  EXPECT_EQ(count_of(all.facets.type, "tv"), 1u);
  EXPECT_EQ(count_of(all.facets.campaign, "Wolontariat"), 4u);
  EXPECT_EQ(count_of(all.facets.campaign, "Ekonomia społeczna"),
            3u);  // one row says "ekonomia spoleczna"
  EXPECT_EQ(count_of(all.facets.project, "Liderzy Kooperacji"), 3u);
  EXPECT_EQ(count_of(all.facets.year, "2012"), 2u);

  // A phrase spoken in the spot (its sidecar transcript): the place holds the cue 1.000–3.593.
  SearchRequest request;
  request.q = "Masz wolną godzinę w tygodniu";
  SearchResult spoken = s.search(request);
  ASSERT_GE(spoken.total, 1u);
  const Hit* spot = hit_titled(spoken, "Zostań wolontariuszem");
  ASSERT_NE(spot, nullptr);
  ASSERT_FALSE(spot->locations.empty());
  EXPECT_LE(spot->locations[0].t, 1.0);
  EXPECT_GE(spot->locations[0].end, 3.59);

  // Embedded mov_text subtitles of the TV broadcast: cue 7 at 31.500–36.870.
  request.q = "\"asystent rodziny pracuje z rodziną\"";
  SearchResult said = s.search(request);
  const Hit* tv = hit_titled(said, "Asystent rodziny");
  ASSERT_NE(tv, nullptr);
  ASSERT_FALSE(tv->locations.empty());
  EXPECT_DOUBLE_EQ(tv->locations[0].t, 31.5);
  EXPECT_NEAR(tv->locations[0].end, 36.87, 0.01);

  // A phrase from page 7 of the long report, in another inflected form.
  request.q = "\"spółdzielnia socjalna na Mazowszu\"";
  SearchResult on_page = s.search(request);
  const Hit* report_hit = hit_titled(on_page, "Pomoc społeczna na Mazowszu");
  ASSERT_NE(report_hit, nullptr);
  ASSERT_FALSE(report_hit->locations.empty());
  EXPECT_EQ(report_hit->locations[0].page, 7);
  request.q = "słowniczek pojęć";
  SearchResult glossary = s.search(request);
  report_hit = hit_titled(glossary, "Pomoc społeczna na Mazowszu");
  ASSERT_NE(report_hit, nullptr);
  EXPECT_EQ(report_hit->locations.at(0).page, 14);

  // Without diacritics, another form: "spoleczna" finds text that says "społecznej".
  request.q = "spoleczna";
  SearchResult folded = s.search(request);
  EXPECT_GE(folded.total, 8u);
  bool marked = false;
  for (const Hit& hit : folded.hits)
    marked |= test::marked(hit.snippet).find("<mark>społecznej</mark>") != std::string::npos;
  EXPECT_TRUE(marked);

  // Filters narrowing by campaign given without diacritics, and by year range.
  request = {};
  request.campaigns = {"ekonomia spoleczna"};
  request.year_from = 2015;
  EXPECT_EQ(s.search(request).total, 2u);  // the film (2015) and the Łódź report (2016)
}

TEST_F(SampleCollection, LinksSurviveReimportAndMovingTheFiles) {
  ASSERT_EQ(import(root_ / "samples" / "manifest.csv").first, 0);
  std::map<std::string, std::pair<std::string, std::string>> before;  // title → id, slug
  {
    Searcher s = searcher();
    SearchRequest request;
    request.per_page = 100;
    for (const Hit& hit : s.search(request).hits) {
      before[hit.item.title] = {hit.item.id, hit.item.slug};
    }
  }
  ASSERT_EQ(before.size(), 12u);

  auto [again_status, again] = import(root_ / "samples" / "manifest.csv");
  EXPECT_EQ(again_status, 0);
  EXPECT_EQ(again["unchanged"], 12);

  // The librarians reorganise: the whole collection moves to another folder.
  fs::rename(root_ / "samples", root_ / "archiwum-2025");
  auto [moved_status, moved] = import(root_ / "archiwum-2025" / "manifest.csv");
  EXPECT_EQ(moved_status, 0) << moved.dump(2);
  EXPECT_EQ(moved["imported"], 0);

  Searcher s = searcher();
  SearchRequest request;
  request.per_page = 100;
  SearchResult after = s.search(request);
  EXPECT_EQ(after.total, 12u);
  for (const Hit& hit : after.hits) {
    ASSERT_TRUE(before.count(hit.item.title)) << hit.item.title;
    EXPECT_EQ(before[hit.item.title].first, hit.item.id) << hit.item.title;
    EXPECT_EQ(before[hit.item.title].second, hit.item.slug) << hit.item.title;
    std::optional<Item> stored = s.item_by_id(hit.item.id);
    ASSERT_TRUE(stored) << hit.item.title;
    EXPECT_NE(stored->source.file.find("archiwum-2025"), std::string::npos);
  }
  fs::rename(root_ / "archiwum-2025", root_ / "samples");
}

}  // namespace
}  // namespace mediateka
