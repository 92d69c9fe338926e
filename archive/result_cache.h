// Answers of recent searches, shared by the threads that search one archive: a search asked
// again while the archive is unchanged costs a look-up instead of counting every match. A
// popular query (a campaign's link, the front page's browse) is then answered at once however
// large the archive. Least recently used answers go first when the cache is full. Thread-safe.
//
// The caller says which state of the archive an answer belongs to (a number that grows with
// every commit, or change of the shards that answer, it has read): answers of an older state
// are never given, and the first answer of a newer state empties the cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "searcher.h"

namespace mediateka {

class ResultCache {
 public:
  // Holds answers of about `max_bytes` in all; 0 holds none.
  explicit ResultCache(std::size_t max_bytes);

  // The stored answer to `request` at archive state `state`.
  std::optional<SearchResult> find(const SearchRequest& request, std::uint64_t state);
  // Stores `result`, the answer to `request` at `state`. A partial answer (a shard missing) is
  // not stored, nor one larger than an eighth of the cache.
  void store(const SearchRequest& request, std::uint64_t state, const SearchResult& result);

  struct Stats {
    std::uint64_t hits = 0, misses = 0;
    std::size_t answers = 0, bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    SearchResult result;
    std::size_t bytes;
  };
  void clear_locked();

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::uint64_t state_ = 0;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> by_key_;  // views of Entry::key
  Stats stats_;
};

// Every part of a request that changes its answer, audience included, as one string.
std::string result_cache_key(const SearchRequest& request);

// About how much memory `result` takes.
std::size_t approximate_bytes(const SearchResult& result);

}  // namespace mediateka
