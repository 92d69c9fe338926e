// The history of imports: each import's report kept beside the index, in <db>/runs/NNNNNN.json
// (docs/indexer.md, "What happened: runs"), read back by `mediateka-index runs`.
//
// A run file is the --report JSON (import_report.h) with the run's facts first:
// {"run": N, "started": "...Z", "finished": "...Z", "user": "anna", "manifest": "FILE" | null,
//  "sources": [...], "imported": N, ..., "items": [...]}
// Its "items" leave out the sources that were unchanged without a warning, so that the no-change
// re-runs of a large archive do not fill the folder; their count is in "unchanged".
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "import_report.h"

namespace mediateka::indexer {

// What is known of a run before it starts.
struct RunFacts {
  std::int64_t started = 0;  // seconds since the epoch
  std::string user;          // who ran it
  std::string manifest;      // --manifest, "" without one
  std::vector<std::string> sources;
};

// Who runs this program: $USER, else the name of the real user id, else the id as a number.
std::string current_user();

// The runs folder of an index: "<db>/runs".
std::filesystem::path runs_folder(const std::string& db);

// Writes one import's run file as the import goes. Nothing is written before the first outcome
// (by then the import has opened, so made, the index folder) or finish().
class RunRecorder {
 public:
  RunRecorder(std::string db, RunFacts facts);
  RunRecorder(const RunRecorder&) = delete;
  RunRecorder& operator=(const RunRecorder&) = delete;
  ~RunRecorder();

  // Throws std::runtime_error when the runs folder cannot be written.
  void add(const SourceOutcome& outcome);
  // Writes <db>/runs/NNNNNN.json whole and returns N. Throws std::runtime_error when it cannot.
  int finish(const ImportReport& totals, std::int64_t finished);

 private:
  void start();

  std::string db_;
  RunFacts facts_;
  int number_ = 0;              // 0 until started
  std::filesystem::path part_;  // the report as it is written, NNNNNN.part
  std::optional<ReportWriter> writer_;
};

// One line of `runs`: the facts and totals of a run file.
struct RunSummary {
  int run = 0;
  std::string started, finished, user;
  std::size_t imported = 0, updated = 0, unchanged = 0, failed = 0, removed = 0;
  bool interrupted = false;
};

// Every finished run of the index, oldest first. A run file that cannot be read is left out.
std::vector<RunSummary> list_runs(const std::string& db);
nlohmann::ordered_json run_summary_json(const RunSummary& run);
// "     7  2026-12-06T10:20:00Z  anna  imported 3, updated 0, unchanged 361, failed 1"
std::string run_summary_line(const RunSummary& run);

// The text of run N's file; nullopt when there is no such run.
std::optional<std::string> read_run(const std::string& db, int number);

}  // namespace mediateka::indexer
