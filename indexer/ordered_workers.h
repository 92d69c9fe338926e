// Runs work(0..count-1) on a few threads and hands the results out in index order,
// so a single consumer (the index writer) sees them as if computed sequentially.
// At most `window` results wait unconsumed, which bounds memory (extractions are large), and
// they wait in a ring of that many slots, so that memory does not grow with `count`.
// work(index, worker) also gets the number of the thread running it (0..threads-1; 0 when
// run inline), so each thread can keep its own non-thread-safe tools.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace mediateka::indexer {

template <class Result>
class OrderedWorkers {
 public:
  // With threads == 0 the work runs in take(), on the consumer's thread.
  // `work` must not throw; turn failures into results.
  OrderedWorkers(std::size_t count, unsigned threads,
                 std::function<Result(std::size_t, unsigned)> work)
      : work_(std::move(work)),
        count_(count),
        window_(2 * static_cast<std::size_t>(threads)),
        slots_(window_) {
    for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this, i] { run(i); });
  }
  OrderedWorkers(const OrderedWorkers&) = delete;
  OrderedWorkers& operator=(const OrderedWorkers&) = delete;

  ~OrderedWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

  // The result for `index`; call with 0, 1, 2, ... in order.
  Result take(std::size_t index) {
    if (threads_.empty()) return work_(index, 0);
    std::unique_lock<std::mutex> lock(mutex_);
    std::optional<Result>& slot = slots_[index % window_];
    changed_.wait(lock, [&] { return slot.has_value(); });
    Result result = std::move(*slot);
    slot.reset();
    taken_ = index + 1;
    changed_.notify_all();
    return result;
  }

 private:
  void run(unsigned worker) {
    while (true) {
      std::size_t index;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock,
                      [&] { return stopping_ || (next_ < count_ && next_ < taken_ + window_); });
        if (stopping_ || next_ >= count_) return;
        index = next_++;
      }
      Result result = work_(index, worker);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        slots_[index % window_] = std::move(result);
      }
      changed_.notify_all();
    }
  }

  std::function<Result(std::size_t, unsigned)> work_;
  std::size_t count_;
  std::size_t window_;
  std::vector<std::optional<Result>> slots_;  // result i waits in slot i % window_
  std::size_t next_ = 0;                      // next index to start
  std::size_t taken_ = 0;                     // results consumed so far
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::thread> threads_;
};

}  // namespace mediateka::indexer
