// Runs work(0..count-1) on a few threads and hands the results out in index order,
// so a single consumer (the index writer) sees them as if computed sequentially.
// At most `window` results wait unconsumed, which bounds memory (extractions are large).
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
      : work_(std::move(work)), slots_(count), window_(2 * static_cast<std::size_t>(threads)) {
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
    changed_.wait(lock, [&] { return slots_[index].has_value(); });
    Result result = std::move(*slots_[index]);
    slots_[index].reset();
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
        changed_.wait(
            lock, [&] { return stopping_ || (next_ < slots_.size() && next_ < taken_ + window_); });
        if (stopping_ || next_ >= slots_.size()) return;
        index = next_++;
      }
      Result result = work_(index, worker);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        slots_[index] = std::move(result);
      }
      changed_.notify_all();
    }
  }

  std::function<Result(std::size_t, unsigned)> work_;
  std::vector<std::optional<Result>> slots_;
  std::size_t window_;
  std::size_t next_ = 0;   // next index to start
  std::size_t taken_ = 0;  // results consumed so far
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::thread> threads_;
};

}  // namespace mediateka::indexer
