// The desk's job queue: every change a librarian asks for through the desk is a job, run one
// at a time on the queue's own thread, so that the server never writes its index from two
// places at once (and waits for mediateka-index the same way, indexer/writer_turns.h).
//
// A job's record is kept in memory while the server runs and written to <desk>/jobs/ID.json
// when it ends, so the list of jobs survives a restart (the last kKeptJobs of them).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "archive/text/enum_names.h"

namespace mediateka::server {

enum class JobState { queued, running, done, failed };
inline constexpr NameTable<JobState, 4> kJobStateNames{{{JobState::queued, "queued"},
                                                        {JobState::running, "running"},
                                                        {JobState::done, "done"},
                                                        {JobState::failed, "failed"}}};
std::string_view to_string(JobState state);

struct JobRecord {
  std::string id;    // 12 lower-case hex digits
  std::string kind;  // "add", "edit", "replace", "withdraw", "restore", "import", "preview"
  JobState state = JobState::queued;
  std::size_t done = 0, total = 0;  // progress, in sources
  std::string by;                   // the librarian's token id
  std::string by_label;
  std::string item;                        // the item the job is about, when one is
  std::int64_t created = 0, finished = 0;  // seconds since the epoch; finished 0 while not
  // Waiting for another program (mediateka-index) to finish writing the index.
  bool waiting = false;
  std::string error;              // why a failed job failed
  nlohmann::ordered_json report;  // what the job did (or, for a preview, would do)
};

nlohmann::ordered_json job_json(const JobRecord& job);

// 12 random lower-case hex digits: the id of a job, or of an uploaded file's folder.
std::string random_hex_id();

// What a running job tells its queue.
class JobControl {
 public:
  virtual ~JobControl() = default;
  virtual void progress(std::size_t done, std::size_t total) = 0;
  virtual void waiting(bool waiting) = 0;
  // Sets the item the job is about (e.g. the id an added file got).
  virtual void item(const std::string& id) = 0;
};

class JobQueue {
 public:
  // The job's work: returns the job's report, or throws (the job fails with what()).
  using Work = std::function<nlohmann::ordered_json(JobControl&)>;
  static constexpr std::size_t kKeptJobs = 200;

  // `folder`: where finished jobs are kept (created); empty: nowhere.
  explicit JobQueue(std::filesystem::path folder);
  ~JobQueue();  // finishes the job running, drops those queued
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues a job; returns its id.
  std::string submit(JobRecord job, Work work);
  std::optional<JobRecord> get(const std::string& id) const;
  // The most recent first.
  std::vector<JobRecord> recent(std::size_t limit) const;
  // Called on the queue's thread when a job's work has ended, before the job is seen as ended
  // (so that whoever sees it ended also sees what it changed). Set it before submitting.
  void on_work_done(std::function<void()> done) { work_done_ = std::move(done); }
  // Waits until the job has ended (done or failed) or `limit` has passed; its record.
  std::optional<JobRecord> wait(const std::string& id, std::chrono::milliseconds limit) const;

 private:
  class Control;
  void run();
  void keep(const JobRecord& job);  // with mutex_ held

  std::filesystem::path folder_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<std::pair<std::string, Work>> queue_;
  std::map<std::string, JobRecord> jobs_;
  std::deque<std::string> order_;  // ids, oldest first
  bool stopping_ = false;
  std::function<void()> work_done_;
  std::thread worker_;
};

}  // namespace mediateka::server
