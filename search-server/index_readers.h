// Read access to the index for the server's worker threads.
//
// A Searcher is not thread-safe, so every thread gets its own, created on its
// first request. A watcher thread polls the index for new commits by the
// indexer; each thread's Searcher is reopened before its next request once the
// watcher has seen one, so commits show within about one poll interval. Answers to
// searches are kept (result_cache.h) until the watcher sees a commit, or a shard going
// away or coming back.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "archive/search/result_cache.h"
#include "archive/searcher.h"
#include "archive/text/vocabulary.h"

namespace mediateka::server {

class IndexReaders {
 public:
  // Opens the shards once to fail early: throws what the Searcher throws (IndexUnavailable
  // when none can be opened). A single index is one local shard.
  // `synonyms` (null: the shipped list alone) is read again by the watcher when its file
  // changes; kept answers are then dropped, as after a commit.
  IndexReaders(std::vector<ShardSource> shards, ShardOptions options, Vocabulary campaigns,
               std::size_t search_cache_bytes, std::shared_ptr<SynonymSource> synonyms = nullptr);
  ~IndexReaders();
  IndexReaders(const IndexReaders&) = delete;
  IndexReaders& operator=(const IndexReaders&) = delete;

  // The calling thread's Searcher, up to date with the last commit the watcher saw.
  Searcher& searcher();

  // The answer to `request`: kept from an earlier search since the last change the watcher
  // saw, or searched by the calling thread's Searcher (and kept when complete).
  SearchResult search(const SearchRequest& request);
  // Facet counts and the total of the whole archive, for `audience`.
  SearchResult whole_archive(const Audience& audience);
  ResultCache::Stats search_cache_stats() const { return cache_.stats(); }

  // Starts the watcher thread; the destructor stops it.
  void watch_for_commits(std::chrono::milliseconds interval);
  // The server itself has just committed (the librarian's desk): every thread reopens its
  // Searcher before its next request, without waiting for the watcher.
  void note_commit() { ++generation_; }
  // Counts the commits (or reopenings) the watcher has noticed.
  std::uint64_t generation() const { return generation_.load(); }

 private:
  struct ThreadSearcher {
    std::unique_ptr<Searcher> searcher;
    std::uint64_t generation = 0;
  };

  ThreadSearcher& this_thread_searcher();
  // this_thread_searcher(), reopened if the watcher saw a change since.
  ThreadSearcher& current_searcher();
  void watch(std::chrono::milliseconds interval);

  const std::vector<ShardSource> shards_;
  const ShardOptions options_;
  const Vocabulary campaigns_;
  const std::shared_ptr<SynonymSource> synonyms_;
  std::atomic<std::uint64_t> generation_{0};
  ResultCache cache_;

  std::mutex searchers_mutex_;
  std::unordered_map<std::thread::id, std::unique_ptr<ThreadSearcher>> searchers_;

  std::mutex watcher_mutex_;
  std::condition_variable watcher_wakeup_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace mediateka::server
