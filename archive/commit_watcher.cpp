#include "commit_watcher.h"

#include <xapian.h>

#include "index_error.h"

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
    if (!watched_) {
      watched_ = std::make_unique<Xapian::Database>(database_);
      return true;
    }
    return watched_->reopen();
  } catch (const Xapian::Error& error) {
    watched_.reset();
    throw IndexError(error.get_description());
  }
}

}  // namespace mediateka
