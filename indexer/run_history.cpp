#include "run_history.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

#include "archive/text/clock_text.h"

namespace mediateka::indexer {
namespace fs = std::filesystem;
namespace {

constexpr int kNumberDigits = 6;

std::string file_stem(int number) {
  std::string digits = std::to_string(number);
  return std::string(kNumberDigits - std::min<std::size_t>(digits.size(), kNumberDigits), '0') +
         digits;
}

// The run number a runs-folder file name holds ("000007.json", "000008.part"), or 0.
int number_of(const fs::path& file, const std::string& extension) {
  const std::string stem = file.stem().string();
  if (file.extension() != extension || stem.size() < kNumberDigits ||
      stem.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  try {
    return std::stoi(stem);
  } catch (const std::exception&) {
    return 0;
  }
}

std::string read_whole(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::string current_user() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* entry = ::getpwuid(::getuid()); entry && entry->pw_name) return entry->pw_name;
  return "uid " + std::to_string(::getuid());
}

fs::path runs_folder(const std::string& db) { return fs::path(db) / "runs"; }

RunRecorder::RunRecorder(std::string db, RunFacts facts)
    : db_(std::move(db)), facts_(std::move(facts)) {}

RunRecorder::~RunRecorder() {
  if (number_ == 0) return;
  writer_.reset();
  std::error_code ignored;
  fs::remove(part_, ignored);  // a run that did not finish keeps no file
}

void RunRecorder::start() {
  if (number_ != 0) return;
  const fs::path folder = runs_folder(db_);
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw std::runtime_error("cannot make " + folder.string() + ": " + error.message());
  int highest = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    highest =
        std::max({highest, number_of(entry.path(), ".json"), number_of(entry.path(), ".part")});
  }
  // The number is taken by making its .part file: a second writer (a later import, the desk)
  // that counted the same number takes the next one.
  for (int number = highest + 1;; ++number) {
    const fs::path part = folder / (file_stem(number) + ".part");
    const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) throw std::runtime_error("cannot write " + part.string());
    ::close(fd);
    if (fs::exists(folder / (file_stem(number) + ".json"))) {
      fs::remove(part, error);
      continue;
    }
    number_ = number;
    part_ = part;
    break;
  }
  writer_.emplace(part_);
}

void RunRecorder::add(const SourceOutcome& outcome) {
  if (outcome.status == ImportStatus::unchanged && outcome.warnings.empty()) return;
  start();
  writer_->add(outcome);
}

int RunRecorder::finish(const ImportReport& totals, std::int64_t finished) {
  start();
  if (!writer_->finish(totals)) throw std::runtime_error("cannot write " + part_.string());
  writer_.reset();

  nlohmann::ordered_json head;
  head["run"] = number_;
  head["started"] = utc_timestamp(facts_.started);
  head["finished"] = utc_timestamp(finished);
  head["user"] = facts_.user;
  head["manifest"] =
      facts_.manifest.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(facts_.manifest);
  head["sources"] = facts_.sources;
  std::string text = head.dump(2);
  text.resize(text.size() - 2);  // the closing "\n}": the report's fields follow

  const fs::path folder = runs_folder(db_);
  const fs::path done = folder / (file_stem(number_) + ".json");
  const fs::path writing = folder / (file_stem(number_) + ".json.tmp");
  {
    std::ifstream report(part_, std::ios::binary);
    std::string opening;
    std::getline(report, opening);  // "{"
    std::ofstream out(writing, std::ios::binary | std::ios::trunc);
    out << text << ",\n" << report.rdbuf();
    if (!report || opening != "{" || !out.flush())
      throw std::runtime_error("cannot write " + writing.string());
  }
  std::error_code error;
  fs::rename(writing, done, error);
  if (error) throw std::runtime_error("cannot write " + done.string() + ": " + error.message());
  fs::remove(part_, error);
  const int number = number_;
  number_ = 0;
  return number;
}

std::vector<RunSummary> list_runs(const std::string& db) {
  std::vector<RunSummary> runs;
  std::error_code error;
  const fs::path folder = runs_folder(db);
  if (!fs::is_directory(folder, error)) return runs;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, error)) {
    const int number = number_of(entry.path(), ".json");
    if (number == 0) continue;
    try {
      const nlohmann::json json = nlohmann::json::parse(read_whole(entry.path()));
      RunSummary run;
      run.run = number;
      run.started = json.value("started", "");
      run.finished = json.value("finished", "");
      run.user = json.value("user", "");
      run.imported = json.value("imported", std::size_t{0});
      run.updated = json.value("updated", std::size_t{0});
      run.unchanged = json.value("unchanged", std::size_t{0});
      run.failed = json.value("failed", std::size_t{0});
      run.removed = json.value("removed", std::size_t{0});
      run.interrupted = json.value("interrupted", false);
      runs.push_back(std::move(run));
    } catch (const nlohmann::json::exception&) {
      // not a run file this program wrote
    }
  }
  std::sort(runs.begin(), runs.end(),
            [](const RunSummary& a, const RunSummary& b) { return a.run < b.run; });
  return runs;
}

nlohmann::ordered_json run_summary_json(const RunSummary& run) {
  return {{"run", run.run},
          {"started", run.started},
          {"finished", run.finished},
          {"user", run.user},
          {"imported", run.imported},
          {"updated", run.updated},
          {"unchanged", run.unchanged},
          {"failed", run.failed},
          {"removed", run.removed},
          {"interrupted", run.interrupted}};
}

std::string run_summary_line(const RunSummary& run) {
  std::string number = std::to_string(run.run);
  std::string line = std::string(number.size() < 6 ? 6 - number.size() : 0, ' ') + number + "  " +
                     run.started + "  " + run.user + "  imported " + std::to_string(run.imported) +
                     ", updated " + std::to_string(run.updated) + ", unchanged " +
                     std::to_string(run.unchanged) + ", failed " + std::to_string(run.failed);
  if (run.removed > 0) line += ", removed " + std::to_string(run.removed);
  if (run.interrupted) line += " (interrupted)";
  return line;
}

std::optional<std::string> read_run(const std::string& db, int number) {
  if (number <= 0) return std::nullopt;
  const fs::path file = runs_folder(db) / (file_stem(number) + ".json");
  std::error_code error;
  if (!fs::is_regular_file(file, error)) return std::nullopt;
  return read_whole(file);
}

}  // namespace mediateka::indexer
