// Several shards searched as one archive, some remote (xapian-tcpsrv on 127.0.0.1): the same
// answers as one index holding everything, names told apart across shards, and shards that
// go down, hang or restart.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>

#include "archive/index/audience_databases.h"
#include "archive/searcher.h"
#include "search_counts.h"
#include "test_files.h"
#include "test_index.h"
#include "xapian_servers.h"

namespace mediateka {
namespace {

namespace fs = std::filesystem;
using test::RemoteShard;
using test::write_index;

Item item(const std::string& file, ItemType type, const std::string& campaign, int year,
          const std::string& title, const std::string& text) {
  static int month = 0;  // every item a date of its own: no ties when sorted by date
  month = month % 12 + 1;
  Item result;
  result.source.file = file;
  result.source.path = fs::path(file).filename().string();
  result.source.checksum = "sum-" + file;
  result.type = type;
  result.title = title;
  result.campaigns = {campaign};
  result.year = year;
  result.date = std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month) + "-01";
  // The text on the second page: a location must name the right page of the right shard.
  result.segments.push_back(Segment{1, 0, 0, "Spis treści."});
  result.segments.push_back(Segment{2, 0, 0, text});
  return result;
}

// Three centres' collections; one index of all of them gives the answers to match.
std::vector<std::vector<Item>> collections() {
  using T = ItemType;
  return {
      {item("/mazowsze/raport.pdf", T::publication, "Wolontariat", 2012, "Raport o wolontariacie",
            "Wolontariusze pomagają rodzinom w gminach powiatu wyszkowskiego."),
       item("/mazowsze/biuletyn.pdf", T::bulletin, "Ekonomia społeczna", 2013,
            "Biuletyn spółdzielni", "Spółdzielnie socjalne na Mazowszu zatrudniają osoby."),
       item("/mazowsze/poradnik.pdf", T::publication, "Aktywna integracja", 2015,
            "Poradnik integracji", "Aktywna integracja osób bezrobotnych i ich rodzin.")},
      {item("/olsztyn/audycja.pdf", T::publication, "Wolontariat", 2014, "Rozmowa o pomocy",
            "Rozmowa z wolontariuszami o pomocy rodzinom na Warmii."),
       item("/olsztyn/film.pdf", T::publication, "Wolontariat", 2014, "Film o seniorach",
            "Seniorzy i młodzież razem w klubie."),
       item("/olsztyn/ekonomia.pdf", T::bulletin, "Ekonomia społeczna", 2016,
            "Ekonomia społeczna na Warmii", "Przedsiębiorstwa społeczne i spółdzielnie.")},
      {item("/rzeszow/bieda.pdf", T::publication, "Przeciwdziałanie dziedziczeniu biedy", 2011,
            "Dziedziczenie biedy", "Dzieci z rodzin ubogich i pomoc wolontariuszy."),
       item("/rzeszow/szkolenie.pdf", T::publication, "Aktywna integracja", 2015,
            "Szkolenie zawodowe", "Szkolenia dla bezrobotnych w powiecie rzeszowskim.")},
  };
}

class Shards : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::has_xapian_tcpsrv()) {
      GTEST_SKIP() << "xapian-tcpsrv (package xapian-tools) is not installed";
    }
    const auto all = collections();
    std::vector<Item> everything;
    for (std::size_t i = 0; i < all.size(); ++i) {
      write_index(root_.path() / ("shard" + std::to_string(i)), all[i]);
      everything.insert(everything.end(), all[i].begin(), all[i].end());
    }
    write_index(root_.path() / "one", everything);
    olsztyn_ = std::make_unique<RemoteShard>((root_.path() / "shard1").string());
    rzeszow_ = std::make_unique<RemoteShard>((root_.path() / "shard2").string());
  }

  std::vector<ShardSource> sources() const {
    return {{"mazowsze", (root_.path() / "shard0").string(), "", ""},
            {"olsztyn", "", olsztyn_->address(), "https://olsztyn.example/"},
            {"rzeszow", "", rzeszow_->address(), ""}};
  }
  ShardOptions quick_options() const {
    ShardOptions options;
    options.timeout = std::chrono::milliseconds(300);
    options.retry_after = std::chrono::milliseconds(100);
    return options;
  }
  Searcher one_index() const { return Searcher({(root_.path() / "one").string()}, vocabulary_); }

  test::TemporaryFolder root_{"mediateka-shards-"};
  Vocabulary vocabulary_;
  std::unique_ptr<RemoteShard> olsztyn_, rzeszow_;
};

// Hits of equal score may come in either order (by docid, which differs): ordered by id within.
void order_ties(std::vector<Hit>& hits) {
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.item.id < b.item.id;
  });
}

void expect_same_answers(Searcher& shards, Searcher& one, SearchRequest request) {
  SCOPED_TRACE("q=" + request.q);
  SearchResult expected = one.search(request);
  SearchResult got = shards.search(request);
  if (request.sort == SortOrder::relevance && !request.q.empty()) {
    order_ties(expected.hits);
    order_ties(got.hits);
  }
  EXPECT_TRUE(got.missing_shards.empty());
  test::expect_same_counts(got, expected);
  EXPECT_EQ(got.suggestion, expected.suggestion);
  ASSERT_EQ(got.hits.size(), expected.hits.size());
  for (std::size_t i = 0; i < got.hits.size(); ++i) {
    EXPECT_EQ(got.hits[i].item.id, expected.hits[i].item.id) << "hit " << i;
    EXPECT_EQ(got.hits[i].item.slug, expected.hits[i].item.slug) << "hit " << i;
    EXPECT_DOUBLE_EQ(got.hits[i].score, expected.hits[i].score) << "hit " << i;
    EXPECT_EQ(got.hits[i].snippet, expected.hits[i].snippet) << "hit " << i;
    ASSERT_EQ(got.hits[i].locations.size(), expected.hits[i].locations.size()) << "hit " << i;
    for (std::size_t j = 0; j < got.hits[i].locations.size(); ++j) {
      EXPECT_EQ(got.hits[i].locations[j].page, expected.hits[i].locations[j].page);
      EXPECT_EQ(got.hits[i].locations[j].snippet, expected.hits[i].locations[j].snippet);
    }
  }
}

TEST_F(Shards, LocalAndRemoteShardsAnswerAsOneIndex) {
  Searcher shards(sources(), ShardOptions{}, vocabulary_);
  Searcher one = one_index();
  EXPECT_EQ(shards.item_count(), one.item_count());
  for (const char* q : {"", "wolontariusz rodzina", "\"spółdzielnie socjalne\"", "pomoc",
                        "spoldzielnia", "integracja -szkolenie", "wolontarjusze"}) {
    SearchRequest request;
    request.q = q;
    expect_same_answers(shards, one, request);
  }
  SearchRequest filtered;
  filtered.q = "rodzina";
  filtered.types = {"publication"};
  filtered.campaigns = {"Wolontariat"};
  expect_same_answers(shards, one, filtered);
  SearchRequest paged;
  paged.per_page = 2;
  paged.page = 2;
  paged.sort = SortOrder::oldest;
  expect_same_answers(shards, one, paged);

  // Look-ups reach the shard that holds the item, remote ones too.
  for (const Hit& hit : one.search({}).hits) {
    const auto found = shards.item_by_id(hit.item.id);
    ASSERT_TRUE(found) << hit.item.id;
    EXPECT_EQ(found->title, hit.item.title);
    EXPECT_EQ(shards.item_by_slug(hit.item.slug)->id, hit.item.id);
    EXPECT_EQ(shards.segments(hit.item.id).size(), one.segments(hit.item.id).size());
  }
  EXPECT_EQ(shards.suggest("wolo"), one.suggest("wolo"));
}

// Local shards count their facets through tables (facet_table.h), one per shard, each document
// of the combined database found in its own shard's table; a stub file listing several indexes
// counts them through Xapian's spies.
TEST_F(Shards, LocalShardsAndStubFilesAnswerAsOneIndex) {
  std::vector<ShardSource> local;
  for (const char* name : {"shard0", "shard1", "shard2"}) {
    local.push_back({name, (root_.path() / name).string(), "", ""});
  }
  std::ofstream(root_.path() / "local.stub")
      << "auto " << public_database((root_.path() / "shard1").string()) << "\nauto "
      << public_database((root_.path() / "shard2").string()) << "\n";
  std::vector<ShardSource> with_stub = {local[0],
                                        {"stub", (root_.path() / "local.stub").string(), "", ""}};
  for (const auto& sources : {local, with_stub}) {
    Searcher shards(sources, ShardOptions{}, vocabulary_);
    Searcher one = one_index();
    for (const char* q : {"", "pomoc", "wolontariusz rodzina"}) {
      SearchRequest request;
      request.q = q;
      expect_same_answers(shards, one, request);
      request.types = {"publication"};
      request.years = {2015, 2012};
      expect_same_answers(shards, one, request);
    }
  }
}

// Xapian 1.4 counts some matches of a remote shard twice when a small page is sorted by value.
TEST_F(Shards, FacetCountsDoNotDependOnThePageOrItsOrder) {
  Searcher shards(sources(), ShardOptions{}, vocabulary_);
  Searcher one = one_index();
  for (SortOrder sort : {SortOrder::newest, SortOrder::oldest, SortOrder::relevance}) {
    for (int per_page : {1, 2, 3, 20}) {
      for (const char* q : {"", "pomoc OR rodzina OR spółdzielnie OR integracja OR seniorzy"}) {
        SearchRequest request;
        request.q = q;
        request.sort = sort;
        request.per_page = per_page;
        expect_same_answers(shards, one, request);
      }
    }
  }
}

TEST_F(Shards, FilesOfARemoteShardAreThatCentresOwn) {
  Searcher shards(sources(), ShardOptions{}, vocabulary_);
  SearchRequest request;
  request.q = "seniorzy";
  const SearchResult found = shards.search(request);
  ASSERT_EQ(found.total, 1u);
  const auto remote = shards.locate_item(found.hits[0].item.id)->remote;
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->shard.name, "olsztyn");
  EXPECT_EQ(remote->shard.url, "https://olsztyn.example/");
  EXPECT_EQ(remote->stored_id, found.hits[0].item.id);
  EXPECT_EQ(shards.locate_item(found.hits[0].item.id)->item.title, found.hits[0].item.title);
  EXPECT_FALSE(shards.locate_item("no-such-item"));
  request.q = "spółdzielnie mazowszu";
  const SearchResult local = shards.search(request);
  ASSERT_EQ(local.total, 1u);
  EXPECT_FALSE(shards.locate_item(local.hits[0].item.id)->remote);
}

TEST_F(Shards, NamesTwoShardsShareAreToldApart) {
  // The same file name and title in two centres: the same id and slug in each index.
  write_index(root_.path() / "twin-a", {item("/srv/raport.pdf", ItemType::publication,
                                             "Wolontariat", 2012, "Raport", "Pierwszy raport.")});
  write_index(root_.path() / "twin-b", {item("/srv/raport.pdf", ItemType::publication,
                                             "Wolontariat", 2019, "Raport", "Drugi raport.")});
  RemoteShard twin_b((root_.path() / "twin-b").string());
  Searcher shards({{"Mazowsze", (root_.path() / "twin-a").string(), "", ""},
                   {"ROPS Olsztyn", "", twin_b.address(), ""}},
                  ShardOptions{}, vocabulary_);
  SearchRequest request;
  request.q = "raport";
  request.sort = SortOrder::oldest;
  const SearchResult found = shards.search(request);
  ASSERT_EQ(found.total, 2u);
  const Item& first = found.hits[0].item;
  const Item& second = found.hits[1].item;
  EXPECT_EQ(first.year, 2012);
  EXPECT_EQ(second.id, first.id + "--rops-olsztyn");
  EXPECT_EQ(second.slug, first.slug + "--rops-olsztyn");

  EXPECT_EQ(shards.item_by_slug(first.slug)->year, 2012);
  EXPECT_EQ(shards.item_by_slug(second.slug)->year, 2019);
  EXPECT_EQ(shards.item_by_id(second.id)->year, 2019);
  EXPECT_EQ(shards.item_by_id(second.id)->slug, second.slug);
  EXPECT_FALSE(shards.item_by_id(first.id + "--nowhere"));
  const auto segments = shards.segments(second.id);
  ASSERT_EQ(segments.size(), 2u);
  EXPECT_EQ(segments[1].text, "Drugi raport.");
  EXPECT_EQ(shards.locate_item(second.id)->remote->stored_id, first.id);
}

TEST_F(Shards, AShardThatGoesDownIsLeftOutAndRejoins) {
  Searcher shards(sources(), quick_options(), vocabulary_);
  Searcher one = one_index();
  EXPECT_EQ(shards.search({}).total, 8u);

  olsztyn_->stop();
  const auto started = std::chrono::steady_clock::now();
  SearchResult partial = shards.search({});
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  EXPECT_EQ(partial.missing_shards, std::vector<std::string>{"olsztyn"});
  EXPECT_EQ(partial.total, 5u);
  EXPECT_EQ(test::counts_of(partial.facets.year)["2014"], 0u);
  EXPECT_EQ(shards.missing_shards(), std::vector<std::string>{"olsztyn"});
  // Look-ups of the other shards' items keep working.
  SearchRequest request;
  request.q = "bezrobotnych";
  EXPECT_EQ(shards.search(request).total, 2u);

  olsztyn_->start();
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  const SearchResult whole = shards.search({});
  EXPECT_TRUE(whole.missing_shards.empty());
  EXPECT_EQ(whole.total, 8u);
  expect_same_answers(shards, one, request);
}

TEST_F(Shards, AShardThatHangsIsLeftOutWithinItsTimeout) {
  Searcher shards(sources(), quick_options(), vocabulary_);
  EXPECT_EQ(shards.search({}).total, 8u);
  rzeszow_->freeze();
  SearchRequest request;
  request.q = "pomoc";
  const auto started = std::chrono::steady_clock::now();
  const SearchResult partial = shards.search(request);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, std::chrono::seconds(3));
  EXPECT_EQ(partial.missing_shards, std::vector<std::string>{"rzeszow"});
  for (const Hit& hit : partial.hits) EXPECT_NE(hit.item.title, "Dziedziczenie biedy");

  rzeszow_->thaw();
  bool rejoined = false;
  for (int attempt = 0; attempt < 40 && !rejoined; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    rejoined = shards.search(request).missing_shards.empty();
  }
  EXPECT_TRUE(rejoined);
}

TEST_F(Shards, AStartWithAShardDownServesTheOthers) {
  rzeszow_->stop();
  Searcher shards(sources(), quick_options(), vocabulary_);
  const SearchResult partial = shards.search({});
  EXPECT_EQ(partial.total, 6u);
  EXPECT_EQ(partial.missing_shards, std::vector<std::string>{"rzeszow"});
  rzeszow_->start();
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_EQ(shards.search({}).total, 8u);
}

TEST_F(Shards, NoShardAnsweringIsAnError) {
  olsztyn_->stop();
  rzeszow_->stop();
  EXPECT_THROW(
      Searcher({{"olsztyn", "", olsztyn_->address(), ""}, {"rzeszow", "", rzeszow_->address(), ""}},
               quick_options(), vocabulary_),
      IndexUnavailable);
}

TEST_F(Shards, AStubFileStillNamesShards) {
  std::ofstream(root_.path() / "archive.stub")
      << "auto " << public_database((root_.path() / "shard0").string()) << "\n"
      << "remote " << olsztyn_->address() << "\n";
  Searcher stub({(root_.path() / "archive.stub").string()}, vocabulary_);
  EXPECT_EQ(stub.item_count(), 6u);
}

}  // namespace
}  // namespace mediateka
