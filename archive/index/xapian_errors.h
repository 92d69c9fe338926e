// Xapian's exceptions as the archive's own (index_error.h), so that no caller outside archive/
// needs Xapian's types. Internal to archive/: every public entry point that touches Xapian runs
// its work through translating_errors.
#pragma once

#include <xapian.h>

#include "archive/index_error.h"

namespace mediateka {

// Runs `fn`, throwing IndexLocked, IndexUnavailable (cannot be opened), IndexError (the
// database's other faults, a remote shard's network) or IndexRejected (any other Xapian error)
// for Xapian's errors.
template <typename Fn>
auto translating_errors(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Xapian::DatabaseLockError& error) {
    throw IndexLocked(error.get_description());
  } catch (const Xapian::DatabaseOpeningError& error) {
    throw IndexUnavailable(error.get_description());
  } catch (const Xapian::DatabaseError& error) {
    throw IndexError(error.get_description());
  } catch (const Xapian::NetworkError& error) {  // a remote shard that does not answer
    throw IndexError(error.get_description());
  } catch (const Xapian::Error& error) {
    throw IndexRejected(error.get_description());
  }
}

}  // namespace mediateka
