#include "index_readers.h"

#include <iostream>

#include "commit_watcher.h"
#include "index_error.h"

namespace mediateka::server {

IndexReaders::IndexReaders(std::string database, Vocabulary campaigns)
    : database_(std::move(database)), campaigns_(std::move(campaigns)) {
  // The opening thread keeps this Searcher: main() uses it for nothing else,
  // and a failure here is a clear startup error instead of a 500 later.
  Searcher& searcher = *this_thread_searcher().searcher;
  // The first search with words loads the dictionary (~190 ms): better now than in a visitor's
  // request.
  SearchRequest warm_up;
  warm_up.q = "pomoc";
  warm_up.per_page = 1;
  searcher.search(warm_up);
}

IndexReaders::~IndexReaders() {
  {
    std::lock_guard<std::mutex> lock(watcher_mutex_);
    stopping_ = true;
  }
  watcher_wakeup_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

IndexReaders::ThreadSearcher& IndexReaders::this_thread_searcher() {
  const auto thread = std::this_thread::get_id();
  {
    std::lock_guard<std::mutex> lock(searchers_mutex_);
    const auto found = searchers_.find(thread);
    if (found != searchers_.end()) return *found->second;
  }
  // Opening takes a while (dictionaries); other threads need not wait for it.
  auto fresh = std::make_unique<ThreadSearcher>();
  fresh->generation = generation_.load();
  fresh->searcher = std::make_unique<Searcher>(std::vector<std::string>{database_}, campaigns_);
  std::lock_guard<std::mutex> lock(searchers_mutex_);
  return *searchers_.emplace(thread, std::move(fresh)).first->second;
}

Searcher& IndexReaders::searcher() {
  ThreadSearcher& slot = this_thread_searcher();
  const std::uint64_t current = generation_.load();
  if (slot.generation != current) {
    slot.searcher->reopen();
    slot.generation = current;
  }
  return *slot.searcher;
}

void IndexReaders::watch_for_commits(std::chrono::milliseconds interval) {
  if (watcher_.joinable()) return;
  watcher_ = std::thread([this, interval] { watch(interval); });
}

void IndexReaders::watch(std::chrono::milliseconds interval) {
  CommitWatcher watched(database_);
  std::string last_error;
  std::unique_lock<std::mutex> lock(watcher_mutex_);
  while (!watcher_wakeup_.wait_for(lock, interval, [this] { return stopping_; })) {
    try {
      if (watched.changed()) ++generation_;
      last_error.clear();
    } catch (const IndexError& error) {
      if (error.what() != last_error) {
        last_error = error.what();
        std::cerr << "mediateka-server: watching the index " << database_ << ": " << last_error
                  << '\n';
      }
    }
  }
}

}  // namespace mediateka::server
