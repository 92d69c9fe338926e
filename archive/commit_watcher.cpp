#include "commit_watcher.h"

#include <xapian.h>

#include "xapian_errors.h"

namespace mediateka {

CommitWatcher::CommitWatcher(std::string database) : database_(std::move(database)) {
  try {
    watched_ = std::make_unique<Xapian::Database>(database_);
  } catch (const Xapian::Error&) {
    // Retried, and reported, by changed().
  }
}

CommitWatcher::~CommitWatcher() = default;

bool CommitWatcher::changed() {
  try {
    return translating_errors([&] {
      if (!watched_) {
        watched_ = std::make_unique<Xapian::Database>(database_);
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
