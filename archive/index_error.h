// Faults of the index itself, as the archive reports them: callers outside archive/ need not
// know Xapian's exception types.
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

}  // namespace mediateka
