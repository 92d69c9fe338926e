// Runs jobs on a few threads and hands the results out in the order the jobs were submitted,
// so a single consumer (the index writer) sees them as if computed sequentially.
// The consumer submits jobs as room frees up: at most `window` jobs are submitted and not yet
// taken, which bounds memory (extractions are large, and the jobs themselves are made only as
// they are needed), and they wait in a ring of that many slots.
// work(job, worker) also gets the number of the thread running it (0..threads-1; 0 when run
// inline), so each thread can keep its own non-thread-safe tools.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace mediateka::indexer {

template <class Job, class Result>
class OrderedWorkers {
 public:
  // A job and what it gave, handed back together.
  struct Done {
    Job job;
    Result result;
  };

  // With threads == 0 the work runs in take(), on the consumer's thread, one job at a time.
  // `work` must not throw; turn failures into results.
  OrderedWorkers(unsigned threads, std::function<Result(const Job&, unsigned)> work)
      : work_(std::move(work)),
        window_(threads > 0 ? 2 * static_cast<std::size_t>(threads) : 1),
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

  // Whether submit() may be called: fewer than `window` jobs are waiting to be taken.
  bool has_room() const { return submitted_ - taken_ < window_; }
  // Whether a job is waiting to be taken.
  bool any_waiting() const { return submitted_ > taken_; }

  void submit(Job job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      slots_[submitted_ % window_].job.emplace(std::move(job));
      ++submitted_;
    }
    changed_.notify_all();
  }

  // The oldest submitted job not yet taken, with its result; waits for it.
  Done take() {
    Slot& slot = slots_[taken_ % window_];
    if (threads_.empty()) {
      Result result = work_(*slot.job, 0);
      return finish(slot, std::move(result));
    }
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return slot.result.has_value(); });
    Result result = std::move(*slot.result);
    return finish(slot, std::move(result));
  }

 private:
  struct Slot {
    std::optional<Job> job;
    std::optional<Result> result;
  };

  // Called with the mutex held, or without threads.
  Done finish(Slot& slot, Result result) {
    Done done{std::move(*slot.job), std::move(result)};
    slot.job.reset();
    slot.result.reset();
    ++taken_;
    return done;
  }

  void run(unsigned worker) {
    while (true) {
      Slot* slot;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || started_ < submitted_; });
        if (stopping_) return;
        slot = &slots_[started_++ % window_];
      }
      // The consumer neither moves nor frees a job before its result is there.
      Result result = work_(*slot->job, worker);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        slot->result.emplace(std::move(result));
      }
      changed_.notify_all();
    }
  }

  std::function<Result(const Job&, unsigned)> work_;
  std::size_t window_;
  std::vector<Slot> slots_;    // the job submitted n-th waits in slot n % window_
  std::size_t submitted_ = 0;  // jobs submitted so far
  std::size_t started_ = 0;    // jobs a thread has begun
  std::size_t taken_ = 0;      // results handed to the consumer
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::thread> threads_;
};

}  // namespace mediateka::indexer
