// ResultCache: answers kept per request and archive state, never one of an older state, the
// least recently used going first when full, and one search for requests asking the same
// meanwhile.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "archive/search/result_cache.h"

namespace mediateka {
namespace {

SearchRequest request_for(const std::string& q) {
  SearchRequest request;
  request.q = q;
  return request;
}

SearchResult result_with(std::size_t total, const std::string& title = "Poradnik") {
  SearchResult result;
  result.total = total;
  Hit hit;
  hit.item.id = "pub" + std::to_string(total);
  hit.item.title = title;
  hit.snippet.text = "o pomocy społecznej";
  hit.snippet.marks = {{2, 8}};
  result.hits.push_back(hit);
  result.facets.type = {{"publication", total}};
  return result;
}

TEST(ResultCache, GivesBackWhatWasStoredForTheSameRequestAndState) {
  ResultCache cache(1 << 20);
  EXPECT_FALSE(cache.find(request_for("pomoc"), 1));
  cache.store(request_for("pomoc"), 1, result_with(7));
  const std::optional<SearchResult> kept = cache.find(request_for("pomoc"), 1);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->total, 7u);
  ASSERT_EQ(kept->hits.size(), 1u);
  EXPECT_EQ(kept->hits[0].item.id, "pub7");
  EXPECT_EQ(kept->hits[0].snippet, result_with(7).hits[0].snippet);
  EXPECT_EQ(kept->facets.type[0].count, 7u);
  EXPECT_FALSE(cache.find(request_for("rodzina"), 1));
  const ResultCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 2u);
  EXPECT_EQ(stats.answers, 1u);
  EXPECT_GT(stats.bytes, 0u);
}

TEST(ResultCache, EveryPartOfTheRequestAndItsAudienceCounts) {
  const SearchRequest base = request_for("pomoc");
  std::vector<SearchRequest> others(12, base);
  others[0].types = {"radio"};
  others[1].campaigns = {"Wolontariat"};
  others[2].projects = {"Razem dla Mazowsza"};
  others[3].years = {2012};
  others[4].year_from = 2010;
  others[5].year_to = 2010;
  others[6].places = {"powiat wyszkowski"};
  others[7].sort = SortOrder::newest;
  others[8].page = 2;
  others[9].per_page = 50;
  others[10].facets = false;
  others[11].audience.groups = {"liderzy-kooperacji"};
  ResultCache cache(1 << 20);
  cache.store(base, 1, result_with(1));
  for (const SearchRequest& other : others) {
    EXPECT_NE(result_cache_key(other), result_cache_key(base));
    EXPECT_FALSE(cache.find(other, 1));
  }
  // Values are told apart whole: two types are not one type with a comma.
  SearchRequest two = base, one = base;
  two.types = {"radio", "tv"};
  one.types = {"radio1:tv"};
  EXPECT_NE(result_cache_key(two), result_cache_key(one));
  SearchRequest snippets = base, place_years = base;
  snippets.snippets = false;
  place_years.place_years = true;
  EXPECT_NE(result_cache_key(snippets), result_cache_key(place_years));
}

TEST(ResultCache, AnswersOfAnotherStateAreNeverGiven) {
  ResultCache cache(1 << 20);
  cache.store(request_for("pomoc"), 3, result_with(3));
  EXPECT_FALSE(cache.find(request_for("pomoc"), 2));
  EXPECT_FALSE(cache.find(request_for("pomoc"), 4));
  // A thread still reading state 2 does not put its answer back.
  cache.store(request_for("rodzina"), 2, result_with(2));
  EXPECT_FALSE(cache.find(request_for("rodzina"), 2));
  EXPECT_FALSE(cache.find(request_for("rodzina"), 3));
  // The first answer of a newer state empties the cache.
  cache.store(request_for("rodzina"), 4, result_with(4));
  EXPECT_FALSE(cache.find(request_for("pomoc"), 3));
  EXPECT_EQ(cache.find(request_for("rodzina"), 4)->total, 4u);
  EXPECT_EQ(cache.stats().answers, 1u);
}

TEST(ResultCache, PartialAnswersAreNotKept) {
  ResultCache cache(1 << 20);
  SearchResult partial = result_with(2);
  partial.missing_shards = {"olsztyn"};
  cache.store(request_for("pomoc"), 1, partial);
  EXPECT_FALSE(cache.find(request_for("pomoc"), 1));
}

TEST(ResultCache, TheLeastRecentlyUsedGoFirstWhenFull) {
  // Answers large beside an entry's fixed cost (its key, the SearchResult itself), so that the
  // room below holds about ten of them whatever that cost.
  const std::string title(3000, 'x');
  const std::size_t one = approximate_bytes(result_with(1, title));
  ResultCache cache(12 * one);  // room for about ten answers with their keys
  for (int i = 0; i < 10; ++i) {
    cache.store(request_for("q" + std::to_string(i)), 1, result_with(i, title));
  }
  ASSERT_TRUE(cache.find(request_for("q0"), 1));  // now the most recently used
  for (int i = 10; i < 15; ++i) {
    cache.store(request_for("q" + std::to_string(i)), 1, result_with(i, title));
  }
  EXPECT_TRUE(cache.find(request_for("q0"), 1));
  EXPECT_FALSE(cache.find(request_for("q1"), 1));
  EXPECT_TRUE(cache.find(request_for("q14"), 1));
  const ResultCache::Stats stats = cache.stats();
  EXPECT_LE(stats.bytes, 12 * one);
  EXPECT_LT(stats.answers, 15u);
  // An answer too large for the cache is not kept, and pushes nothing out.
  cache.store(request_for("huge"), 1, result_with(99, std::string(4 * one, 'x')));
  EXPECT_FALSE(cache.find(request_for("huge"), 1));
  EXPECT_TRUE(cache.find(request_for("q14"), 1));
}

TEST(ResultCache, SizeZeroKeepsNothing) {
  ResultCache cache(0);
  cache.store(request_for("pomoc"), 1, result_with(1));
  EXPECT_FALSE(cache.find(request_for("pomoc"), 1));
  EXPECT_EQ(cache.stats().answers, 0u);
}

// A search that counts how often it runs.
struct CountingSearch {
  SearchResult operator()() {
    ++searches;
    return result_with(total);
  }
  std::size_t total;
  int searches = 0;
};

// A search that waits to be released, so that other requests arrive while it is under way.
class HeldSearch {
 public:
  SearchResult operator()() {
    ++searches;
    released_.wait();
    if (fails) throw std::runtime_error("the index went away");
    return result_with(searches);
  }
  void release() { release_.set_value(); }
  std::atomic<int> searches{0};
  bool fails = false;

 private:
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
};

// Asks `cache` for "pomoc" at state 1 on a thread of its own, answered by `search`.
std::future<SearchResult> ask_for_pomoc(ResultCache& cache, HeldSearch& search) {
  return std::async(std::launch::async,
                    [&] { return cache.answer(request_for("pomoc"), 1, std::ref(search)); });
}

// The same, returning once `search` is under way.
std::future<SearchResult> start_search_for_pomoc(ResultCache& cache, HeldSearch& search) {
  std::future<SearchResult> asked = ask_for_pomoc(cache, search);
  while (search.searches == 0) std::this_thread::yield();
  return asked;
}

// Waits until `cache` counts `shared` requests awaiting another's search.
bool wait_for_shared(const ResultCache& cache, std::uint64_t shared) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (cache.stats().shared < shared) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

TEST(ResultCache, RequestsAskingTheSameMeanwhileAwaitOneSearch) {
  ResultCache cache(1 << 20);
  HeldSearch search;
  std::future<SearchResult> first = start_search_for_pomoc(cache, search);
  std::vector<std::future<SearchResult>> others;
  for (int i = 0; i < 3; ++i) others.push_back(ask_for_pomoc(cache, search));
  ASSERT_TRUE(wait_for_shared(cache, 3));
  // Another question, or the same one at another state, searches for itself.
  CountingSearch other{40};
  EXPECT_EQ(cache.answer(request_for("rodzina"), 1, std::ref(other)).total, 40u);
  EXPECT_EQ(cache.answer(request_for("pomoc"), 2, std::ref(other)).total, 40u);
  EXPECT_EQ(other.searches, 2);
  search.release();
  EXPECT_EQ(first.get().total, 1u);
  for (auto& answer : others) EXPECT_EQ(answer.get().total, 1u);
  EXPECT_EQ(search.searches, 1);
  const ResultCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.misses, 3u);
  EXPECT_EQ(stats.shared, 3u);
}

TEST(ResultCache, AFailedSearchFailsTheRequestsAwaitingItAndIsNotKept) {
  ResultCache cache(1 << 20);
  HeldSearch search;
  search.fails = true;
  std::future<SearchResult> first = start_search_for_pomoc(cache, search);
  std::future<SearchResult> second = ask_for_pomoc(cache, search);
  ASSERT_TRUE(wait_for_shared(cache, 1));
  search.release();
  EXPECT_THROW(first.get(), std::runtime_error);
  EXPECT_THROW(second.get(), std::runtime_error);
  // The next request searches anew.
  EXPECT_EQ(cache.answer(request_for("pomoc"), 1, [] { return result_with(5); }).total, 5u);
  EXPECT_EQ(search.searches, 1);
}

TEST(ResultCache, AnAnswerIsSearchedOnceThenKept) {
  ResultCache cache(1 << 20);
  CountingSearch search{7};
  EXPECT_EQ(cache.answer(request_for("pomoc"), 1, std::ref(search)).total, 7u);
  EXPECT_EQ(cache.answer(request_for("pomoc"), 1, std::ref(search)).total, 7u);
  EXPECT_EQ(search.searches, 1);
  EXPECT_EQ(cache.stats().hits, 1u);
  // Kept nothing: every request searches.
  ResultCache none(0);
  none.answer(request_for("pomoc"), 1, std::ref(search));
  none.answer(request_for("pomoc"), 1, std::ref(search));
  EXPECT_EQ(search.searches, 3);
}

}  // namespace
}  // namespace mediateka
