// Writers of one index take turns: mediateka-index and the server's desk both write through
// IndexWriter, which holds Xapian's lock while open; the second to come waits for the first
// instead of failing, and says so once (docs/desk.md, "The desk and the command line").
#pragma once

#include <chrono>
#include <functional>
#include <thread>

#include "archive/index_error.h"

namespace mediateka::indexer {

// How long a writer waits for another before giving up with IndexLocked.
inline constexpr std::chrono::minutes kWriterWait{30};

// Runs `write`, which opens the index for writing before it changes anything. While another
// program holds the index, `write` throws IndexLocked: it is tried again every 200 ms, with
// `on_wait` called before the first wait, until `limit` has passed; then IndexLocked goes out.
template <class Write>
auto taking_turns(Write&& write, const std::function<void()>& on_wait,
                  std::chrono::milliseconds limit = kWriterWait) -> decltype(write()) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  bool said = false;
  for (;;) {
    try {
      return write();
    } catch (const IndexLocked&) {
      if (std::chrono::steady_clock::now() >= give_up) throw;
      if (!said && on_wait) on_wait();
      said = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
}

}  // namespace mediateka::indexer
