#include "desk/jobs.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <fstream>

#include "archive/text/clock_text.h"

namespace mediateka::server {
namespace {

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

}  // namespace

std::string random_hex_id() {
  unsigned char bytes[6];
  randombytes_buf(bytes, sizeof bytes);
  char text[sizeof bytes * 2 + 1];
  sodium_bin2hex(text, sizeof text, bytes, sizeof bytes);
  return text;
}

namespace {

JobRecord job_from_json(const nlohmann::json& json) {
  JobRecord job;
  job.id = json.at("id").get<std::string>();
  job.kind = json.value("kind", std::string());
  job.state =
      value_named(kJobStateNames, json.value("state", std::string())).value_or(JobState::failed);
  if (json.contains("progress")) {
    job.done = json["progress"].value("done", std::size_t{0});
    job.total = json["progress"].value("total", std::size_t{0});
  }
  job.by = json.value("by", std::string());
  job.by_label = json.value("by_label", std::string());
  job.item = json.value("item", nlohmann::json()).is_string() ? json["item"].get<std::string>()
                                                              : std::string();
  job.created = json.value("created_at", std::int64_t{0});
  job.finished = json.value("finished_at", std::int64_t{0});
  job.error = json.value("error", nlohmann::json()).is_string() ? json["error"].get<std::string>()
                                                                : std::string();
  if (json.contains("report")) job.report = json["report"];
  return job;
}

}  // namespace

std::string_view to_string(JobState state) {
  return name_of(kJobStateNames, state, JobState::failed);
}

nlohmann::ordered_json job_json(const JobRecord& job) {
  const auto text_or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(text);
  };
  return {{"id", job.id},
          {"kind", job.kind},
          {"state", to_string(job.state)},
          {"progress", {{"done", job.done}, {"total", job.total}}},
          {"waiting", job.waiting},
          {"item", text_or_null(job.item)},
          {"by", job.by},
          {"by_label", job.by_label},
          {"created", utc_timestamp(job.created)},
          {"created_at", job.created},
          {"finished", job.finished ? nlohmann::ordered_json(utc_timestamp(job.finished))
                                    : nlohmann::ordered_json()},
          {"finished_at", job.finished},
          {"error", text_or_null(job.error)},
          {"report", job.report}};
}

class JobQueue::Control : public JobControl {
 public:
  Control(JobQueue& queue, std::string id) : queue_(queue), id_(std::move(id)) {}
  void progress(std::size_t done, std::size_t total) override {
    update([&](JobRecord& job) {
      job.done = done;
      job.total = total;
    });
  }
  void waiting(bool waiting) override {
    update([&](JobRecord& job) { job.waiting = waiting; });
  }
  void item(const std::string& id) override {
    update([&](JobRecord& job) { job.item = id; });
  }

 private:
  template <class Change>
  void update(Change change) {
    std::lock_guard<std::mutex> lock(queue_.mutex_);
    change(queue_.jobs_.at(id_));
    queue_.changed_.notify_all();
  }
  JobQueue& queue_;
  std::string id_;
};

JobQueue::JobQueue(std::filesystem::path folder) : folder_(std::move(folder)) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  if (!folder_.empty()) {
    std::filesystem::create_directories(folder_);
    std::vector<JobRecord> kept;
    for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
      if (entry.path().extension() != ".json") continue;
      try {
        std::ifstream in(entry.path());
        kept.push_back(job_from_json(nlohmann::json::parse(in)));
      } catch (const std::exception&) {
        // a job file cut short by a crash tells nothing reliable
      }
    }
    std::sort(kept.begin(), kept.end(), [](const JobRecord& a, const JobRecord& b) {
      return a.created != b.created ? a.created < b.created : a.id < b.id;
    });
    if (kept.size() > kKeptJobs) kept.erase(kept.begin(), kept.end() - kKeptJobs);
    for (JobRecord& job : kept) {
      order_.push_back(job.id);
      jobs_.emplace(job.id, std::move(job));
    }
  }
  worker_ = std::thread([this] { run(); });
}

JobQueue::~JobQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

std::string JobQueue::submit(JobRecord job, Work work) {
  std::lock_guard<std::mutex> lock(mutex_);
  do job.id = random_hex_id();
  while (jobs_.count(job.id) > 0);
  job.state = JobState::queued;
  job.created = now_seconds();
  const std::string id = job.id;
  order_.push_back(id);
  jobs_.emplace(id, std::move(job));
  while (order_.size() > kKeptJobs) {
    const auto oldest = jobs_.find(order_.front());
    if (oldest != jobs_.end() &&
        (oldest->second.state == JobState::queued || oldest->second.state == JobState::running))
      break;  // never forget a job that has not ended
    jobs_.erase(order_.front());
    order_.pop_front();
  }
  queue_.emplace_back(id, std::move(work));
  changed_.notify_all();
  return id;
}

std::optional<JobRecord> JobQueue::get(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = jobs_.find(id);
  if (found == jobs_.end()) return std::nullopt;
  return found->second;
}

std::vector<JobRecord> JobQueue::recent(std::size_t limit) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<JobRecord> list;
  for (auto it = order_.rbegin(); it != order_.rend() && list.size() < limit; ++it) {
    const auto found = jobs_.find(*it);
    if (found != jobs_.end()) list.push_back(found->second);
  }
  return list;
}

std::optional<JobRecord> JobQueue::wait(const std::string& id,
                                        std::chrono::milliseconds limit) const {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, limit, [&] {
    const auto found = jobs_.find(id);
    return found == jobs_.end() || found->second.state == JobState::done ||
           found->second.state == JobState::failed;
  });
  const auto found = jobs_.find(id);
  if (found == jobs_.end()) return std::nullopt;
  return found->second;
}

void JobQueue::keep(const JobRecord& job) {
  if (folder_.empty()) return;
  const std::filesystem::path file = folder_ / (job.id + ".json");
  const std::filesystem::path part = folder_ / (job.id + ".part");
  {
    std::ofstream out(part);
    out << job_json(job).dump() << "\n";
    if (!out) {
      spdlog::warn("cannot keep the record of job {} in {}", job.id, folder_.string());
      return;
    }
  }
  std::error_code error;
  std::filesystem::rename(part, file, error);
  // Only the newest records are kept on disk too.
  if (order_.size() >= kKeptJobs) {
    for (const auto& entry : std::filesystem::directory_iterator(folder_, error)) {
      const std::string name = entry.path().stem().string();
      if (entry.path().extension() == ".json" && jobs_.count(name) == 0)
        std::filesystem::remove(entry.path(), error);
    }
  }
}

void JobQueue::run() {
  for (;;) {
    std::pair<std::string, Work> next;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      next = std::move(queue_.front());
      queue_.pop_front();
      jobs_.at(next.first).state = JobState::running;
      changed_.notify_all();
    }
    Control control(*this, next.first);
    nlohmann::ordered_json report;
    std::string error;
    try {
      report = next.second(control);
    } catch (const std::exception& failure) {
      error = failure.what();
    } catch (...) {
      error = "unknown failure";
    }
    if (work_done_) work_done_();
    std::lock_guard<std::mutex> lock(mutex_);
    JobRecord& job = jobs_.at(next.first);
    job.state = error.empty() ? JobState::done : JobState::failed;
    job.error = error;
    job.waiting = false;
    job.report = std::move(report);
    job.finished = now_seconds();
    if (!error.empty()) spdlog::warn("desk job {} ({}) failed: {}", job.id, job.kind, error);
    keep(job);
    changed_.notify_all();
  }
}

}  // namespace mediateka::server
