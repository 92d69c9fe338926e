// Faults of the index, as the archive reports them: callers outside archive/ need not know
// Xapian's exception types (archive/index/xapian_errors.h translates them). what() is Xapian's own
// description.
#pragma once

#include <stdexcept>

namespace mediateka {

// The index is broken, or a read failed for good (after the reader's retries).
struct IndexError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The index cannot be opened now (missing, unreadable, being replaced): worth trying later.
struct IndexUnavailable : IndexError {
  using IndexError::IndexError;
};

// Another writer holds the index's lock (one writer at a time): worth trying later.
struct IndexLocked : IndexError {
  using IndexError::IndexError;
};

// The index refused one request (something Xapian would not take, such as a term too long) but
// is itself sound: for a writer, the item's fault, not the index's.
struct IndexRejected : IndexError {
  using IndexError::IndexError;
};

// An index written by a version of this program with another schema: it must be rebuilt. Both
// the writer and the searcher throw it.
struct SchemaVersionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace mediateka
