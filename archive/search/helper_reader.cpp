#include "archive/search/helper_reader.h"

#include <chrono>

namespace mediateka {
namespace {

// Waking a sleeping thread takes ~50 µs on a virtual machine, a good part of the work handed
// over: before sleeping, each side watches for the other for a short while.
template <typename Ready>
bool spin_until(Ready ready, std::chrono::microseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!ready()) {
    if (std::chrono::steady_clock::now() >= until) return false;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  return true;
}

// How long the helper watches for the next task, and the caller for the end of its task.
constexpr std::chrono::microseconds kHelperSpin(100), kCallerSpin(300);

}  // namespace

HelperReader::HelperReader(Xapian::Database db) : db_(std::move(db)) {
  thread_ = std::thread([this] { serve(); });
}

HelperReader::~HelperReader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void HelperReader::serve() {
  while (true) {
    spin_until([this] { return has_work_.load(std::memory_order_acquire); }, kHelperSpin);
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return stopping_ || work_; });
    if (!work_) return;  // stopping, nothing left to do
    Work work = std::move(work_);
    work_ = nullptr;
    has_work_ = false;
    lock.unlock();
    std::exception_ptr error;
    try {
      work(db_);
    } catch (...) {
      error = std::current_exception();
    }
    work = nullptr;  // what it holds goes before the caller, who may own it, hears it is done
    lock.lock();
    error_ = error;
    busy_ = false;
    lock.unlock();
    changed_.notify_all();
  }
}

std::exception_ptr HelperReader::wait() {
  spin_until([this] { return !busy_.load(std::memory_order_acquire); }, kCallerSpin);
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !busy_; });
  return std::exchange(error_, nullptr);
}

HelperReader::Task::Task(HelperReader& reader, Work work) : reader_(reader) {
  {
    std::lock_guard<std::mutex> lock(reader_.mutex_);
    reader_.work_ = std::move(work);
    reader_.has_work_ = true;
    reader_.busy_ = true;
  }
  reader_.changed_.notify_all();
}

HelperReader::Task::~Task() {
  if (!joined_) reader_.wait();
}

void HelperReader::Task::join() {
  joined_ = true;
  if (std::exception_ptr error = reader_.wait()) std::rethrow_exception(error);
}

}  // namespace mediateka
