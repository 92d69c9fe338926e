// Read access to the index for the server's worker threads.
//
// A Searcher is not thread-safe, so every thread gets its own, created on its
// first request. A watcher thread polls the index for new commits by the
// indexer; each thread's Searcher is reopened before its next request once the
// watcher has seen one, so commits show within about one poll interval.
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

#include "searcher.h"
#include "vocabulary.h"

namespace mediateka::server {

class IndexReaders {
 public:
  // Opens the shards once to fail early: throws what the Searcher throws (IndexUnavailable
  // when none can be opened). A single index is one local shard.
  IndexReaders(std::vector<ShardSource> shards, ShardOptions options, Vocabulary campaigns);
  ~IndexReaders();
  IndexReaders(const IndexReaders&) = delete;
  IndexReaders& operator=(const IndexReaders&) = delete;

  // The calling thread's Searcher, up to date with the last commit the watcher saw.
  Searcher& searcher();

  // Starts the watcher thread; the destructor stops it.
  void watch_for_commits(std::chrono::milliseconds interval);
  // Counts the commits (or reopenings) the watcher has noticed.
  std::uint64_t generation() const { return generation_.load(); }

 private:
  struct ThreadSearcher {
    std::unique_ptr<Searcher> searcher;
    std::uint64_t generation = 0;
  };

  ThreadSearcher& this_thread_searcher();
  void watch(std::chrono::milliseconds interval);

  const std::vector<ShardSource> shards_;
  const ShardOptions options_;
  const Vocabulary campaigns_;
  std::atomic<std::uint64_t> generation_{0};

  std::mutex searchers_mutex_;
  std::unordered_map<std::thread::id, std::unique_ptr<ThreadSearcher>> searchers_;

  std::mutex watcher_mutex_;
  std::condition_variable watcher_wakeup_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace mediateka::server
