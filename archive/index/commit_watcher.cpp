#include "archive/index/commit_watcher.h"

#include <xapian.h>

#include "archive/index/audience_databases.h"
#include "archive/index/xapian_errors.h"
#include "archive/search/shard_set.h"

namespace mediateka {

CommitWatcher::CommitWatcher(ShardSource shard, std::chrono::milliseconds timeout)
    : shard_(std::move(shard)), timeout_(timeout) {
  try {
    watched_ = std::make_unique<Xapian::Database>(open_shard(watched_database(shard_), timeout_));
  } catch (const Xapian::Error&) {
    // Retried, and reported, by changed().
  }
}

CommitWatcher::~CommitWatcher() = default;

bool CommitWatcher::changed() {
  try {
    return translating_errors([&] {
      if (!watched_) {
        watched_ =
            std::make_unique<Xapian::Database>(open_shard(watched_database(shard_), timeout_));
        return true;
      }
      return watched_->reopen();
    });
  } catch (const IndexError&) {
    watched_.reset();
    throw;
  }
}

}  // namespace mediateka
