// Notices new commits to an index without reading it, so that a server's readers know when
// to reopen. Not thread-safe: one thread polls it.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "archive/search/shard_source.h"

namespace Xapian {
class Database;
}

namespace mediateka {

class CommitWatcher {
 public:
  // Opens the shard if it can; one that cannot be opened yet is tried again by changed(). A
  // remote shard is asked over the network, within `timeout`.
  CommitWatcher(ShardSource shard, std::chrono::milliseconds timeout);
  ~CommitWatcher();
  CommitWatcher(const CommitWatcher&) = delete;
  CommitWatcher& operator=(const CommitWatcher&) = delete;

  // Whether the index has changed since the last call: a new commit, or it could be opened
  // again after it could not (it may have been replaced meanwhile). Throws IndexError
  // (index_error.h) when it cannot be opened now.
  bool changed();

 private:
  const ShardSource shard_;
  const std::chrono::milliseconds timeout_;
  std::unique_ptr<Xapian::Database> watched_;
};

}  // namespace mediateka
