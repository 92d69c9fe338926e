#include "index_readers.h"

#include <spdlog/spdlog.h>

#include <iostream>

#include "archive/index/commit_watcher.h"
#include "archive/index_error.h"

namespace mediateka::server {

IndexReaders::IndexReaders(std::vector<ShardSource> shards, ShardOptions options,
                           Vocabulary campaigns, std::size_t search_cache_bytes,
                           std::shared_ptr<SynonymSource> synonyms)
    : shards_(std::move(shards)),
      options_(options),
      campaigns_(std::move(campaigns)),
      synonyms_(synonyms ? std::move(synonyms) : std::make_shared<SynonymSource>()),
      cache_(search_cache_bytes) {
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
  fresh->searcher = std::make_unique<Searcher>(shards_, options_, campaigns_);
  fresh->searcher->set_synonyms(synonyms_);
  std::lock_guard<std::mutex> lock(searchers_mutex_);
  return *searchers_.emplace(thread, std::move(fresh)).first->second;
}

IndexReaders::ThreadSearcher& IndexReaders::current_searcher() {
  ThreadSearcher& slot = this_thread_searcher();
  const std::uint64_t current = generation_.load();
  if (slot.generation != current) {
    slot.searcher->reopen();
    slot.generation = current;
  }
  return slot;
}

Searcher& IndexReaders::searcher() { return *current_searcher().searcher; }

SearchResult IndexReaders::search(const SearchRequest& request) {
  ThreadSearcher& slot = current_searcher();
  // Only anonymous answers are kept: what the kept answers count and weigh (/metrics) then
  // owes nothing to restricted items or to their readers' traffic.
  if (!request.audience.anonymous()) return slot.searcher->search(request);
  return cache_.answer(request, slot.generation, [&] { return slot.searcher->search(request); });
}

SearchResult IndexReaders::whole_archive(const Audience& audience) {
  return search(whole_archive_request(audience));
}

void IndexReaders::watch_for_commits(std::chrono::milliseconds interval) {
  if (watcher_.joinable()) return;
  watcher_ = std::thread([this, interval] { watch(interval); });
}

void IndexReaders::watch(std::chrono::milliseconds interval) {
  std::vector<std::unique_ptr<CommitWatcher>> watchers;
  for (const ShardSource& shard : shards_) {
    watchers.push_back(std::make_unique<CommitWatcher>(shard, options_.timeout));
  }
  std::vector<std::string> last_errors(shards_.size());
  std::string synonyms_error;
  std::unique_lock<std::mutex> lock(watcher_mutex_);
  while (!watcher_wakeup_.wait_for(lock, interval, [this] { return stopping_; })) {
    bool changed = false;
    for (std::size_t i = 0; i < watchers.size(); ++i) {
      try {
        if (watchers[i]->changed()) changed = true;
        if (!last_errors[i].empty()) {
          spdlog::info("the index {} answers again", shards_[i].name);
        }
        last_errors[i].clear();
      } catch (const IndexError& error) {
        if (error.what() != last_errors[i]) {
          // Kept answers that still count this shard are no longer true.
          if (last_errors[i].empty()) changed = true;
          last_errors[i] = error.what();
          spdlog::warn("watching the index {}: {}", shards_[i].name, last_errors[i]);
        }
      }
    }
    // The librarian's synonyms, on the same timer: a new list drops kept answers too.
    if (synonyms_->reload_if_changed()) changed = true;
    if (synonyms_->error() != synonyms_error) {
      synonyms_error = synonyms_->error();
      if (synonyms_error.empty())
        spdlog::info("the synonyms are read again from {}", synonyms_->path());
      else
        spdlog::warn("{} (the previous synonyms stay)", synonyms_error);
    }
    if (changed) ++generation_;
  }
}

}  // namespace mediateka::server
