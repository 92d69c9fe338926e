// Answers of recent searches, shared by the threads that search one archive: a search asked
// again while the archive is unchanged costs a look-up instead of counting every match. A
// popular query (a campaign's link, the front page's browse) is then answered at once however
// large the archive. Least recently used answers go first when the cache is full. Thread-safe.
//
// The caller says which state of the archive an answer belongs to (a number that grows with
// every commit, or change of the shards that answer, it has read): answers of an older state
// are never given, and the first answer of a newer state empties the cache.
//
// Requests for an answer being searched meanwhile wait for that search instead of searching
// again: after a commit, the many visitors of a popular link cost one search, not one each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "archive/search_types.h"

namespace mediateka {

class ResultCache {
 public:
  // Holds answers of about `max_bytes` in all; 0 holds none.
  explicit ResultCache(std::size_t max_bytes);

  // The answer to `request` at archive state `state`: a kept one; else the one another thread
  // is searching for at that state, awaited; else `search()`'s, then kept. What `search` throws
  // reaches every request that awaited it. With a size of 0, always `search()`'s.
  SearchResult answer(const SearchRequest& request, std::uint64_t state,
                      const std::function<SearchResult()>& search);

  // The stored answer to `request` at archive state `state`.
  std::optional<SearchResult> find(const SearchRequest& request, std::uint64_t state);
  // Stores `result`, the answer to `request` at `state`. A partial answer (a shard missing) is
  // not stored, nor one larger than an eighth of the cache.
  void store(const SearchRequest& request, std::uint64_t state, const SearchResult& result);

  struct Stats {
    // misses: searches made; shared: requests that awaited another's search.
    std::uint64_t hits = 0, misses = 0, shared = 0;
    std::size_t answers = 0, bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    SearchResult result;
    std::size_t bytes;
  };
  // A search under way, for the requests that ask the same meanwhile.
  struct Pending {
    std::uint64_t state;
    std::promise<SearchResult> promise;
    std::shared_future<SearchResult> result = promise.get_future().share();
  };
  const SearchResult* find_locked(const std::string& key, std::uint64_t state);
  void clear_locked();

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::uint64_t state_ = 0;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> by_key_;  // views of Entry::key
  std::unordered_map<std::string, std::shared_ptr<Pending>> pending_;        // by key
  Stats stats_;
};

// Every part of a request that changes its answer, audience included, as one string.
std::string result_cache_key(const SearchRequest& request);

// About how much memory `result` takes.
std::size_t approximate_bytes(const SearchResult& result);

}  // namespace mediateka
