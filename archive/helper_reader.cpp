#include "helper_reader.h"

namespace mediateka {

HelperReader::HelperReader(const std::vector<std::string>& paths) {
  for (const std::string& path : paths) db_.add_database(Xapian::Database(path));
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
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || work_; });
    if (!work_) return;  // stopping, nothing left to do
    Work work = std::move(work_);
    work_ = nullptr;
    lock.unlock();
    std::exception_ptr error;
    try {
      work(db_);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    error_ = error;
    busy_ = false;
    changed_.notify_all();
  }
}

std::exception_ptr HelperReader::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return !busy_; });
  return std::exchange(error_, nullptr);
}

HelperReader::Task::Task(HelperReader& reader, Work work) : reader_(reader) {
  {
    std::lock_guard<std::mutex> lock(reader_.mutex_);
    reader_.work_ = std::move(work);
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
