// A second handle on the archive, read by a thread of its own, so that one search can use a
// second core: the searcher hands it a share of the work that follows the match (finding the
// places of half the hits). A Xapian::Database serves one thread at a time, hence the handle.
#pragma once

#include <xapian.h>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace mediateka {

class HelperReader {
 public:
  using Work = std::function<void(const Xapian::Database&)>;

  // Starts the thread, reading `db`: a handle of its own, not shared with another thread.
  explicit HelperReader(Xapian::Database db);
  ~HelperReader();
  HelperReader(const HelperReader&) = delete;
  HelperReader& operator=(const HelperReader&) = delete;

  // Reads `db` from the next task on; only between tasks.
  void set_database(Xapian::Database db) { db_ = std::move(db); }

  // Work running on the helper's thread from construction on. join() waits for it and
  // rethrows what it threw; a task its owner leaves unjoined (say, unwinding from an
  // exception of its own) is waited for by the destructor, so the work never outlives what
  // it refers to. One task at a time.
  class Task {
   public:
    Task(HelperReader& reader, Work work);
    ~Task();
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    void join();

   private:
    HelperReader& reader_;
    bool joined_ = false;
  };

 private:
  void serve();
  std::exception_ptr wait();

  Xapian::Database db_;
  std::mutex mutex_;
  std::condition_variable changed_;
  Work work_;
  // Changed under mutex_; atomic so that either side can watch it without the lock.
  std::atomic<bool> has_work_{false};
  std::atomic<bool> busy_{false};
  bool stopping_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace mediateka
