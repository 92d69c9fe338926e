// The outcome of an import run, per source, as the --report JSON of shared/spec/api.md.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace mediateka::indexer {

enum class ImportStatus { imported, updated, unchanged, failed, removed };

std::string_view to_string(ImportStatus status);

struct SourceOutcome {
  std::string
      source;      // as the librarian named it (path as given, or URL); a source key when removed
  std::string id;  // empty when the source never became an item
  ImportStatus status = ImportStatus::imported;
  std::string error;  // why it failed; empty otherwise
  std::vector<std::string> warnings;
  // Pages of the stored item read by OCR, and pages whose mis-decoded text was repaired.
  std::size_t ocr_pages = 0;
  std::size_t repaired_pages = 0;
};

// The totals of a run. The outcomes themselves are not kept (a run may have millions of
// sources): each goes to the run's outcome handler as it comes (ImportSettings::on_outcome).
class ImportReport {
 public:
  void add(const SourceOutcome& outcome);

  std::size_t count(ImportStatus status) const;
  std::size_t ocr_pages() const { return ocr_pages_; }
  std::size_t repaired_pages() const { return repaired_pages_; }
  std::size_t sources_done() const { return sources_done_; }  // outcomes other than removed
  bool any_failed() const { return count(ImportStatus::failed) > 0; }

  // Stopped by a signal (SIGINT, SIGTERM) before every source was seen: the outcomes are those of
  // the sources handled so far, all committed; a new run of the same import does the rest.
  bool interrupted = false;

 private:
  std::array<std::size_t, 5> counts_{};  // by ImportStatus
  std::size_t ocr_pages_ = 0;
  std::size_t repaired_pages_ = 0;
  std::size_t sources_done_ = 0;
};

// One element of the report's "items": "warnings", "ocr_pages" and "repaired_pages" only when
// there are some, and null "id"/"error" when it has none.
nlohmann::ordered_json outcome_to_json(const SourceOutcome& outcome);

// The --report file, written as the run goes:
// {"imported":N,"updated":N,"unchanged":N,"failed":N,"removed":N,"ocr_pages":N,
//  "repaired_pages":N,"items":[...]} as nlohmann's dump(2) writes it, with "interrupted": true
// before "items" when the run was stopped by a signal. The totals come first, so the items wait
// in an unnamed spool file beside the report until finish() (kept in memory, the report of a
// large archive would grow the import by its size).
class ReportWriter {
 public:
  // Opens (and empties) the report. Throws std::runtime_error when it cannot be written.
  explicit ReportWriter(const std::filesystem::path& report);
  ReportWriter(const ReportWriter&) = delete;
  ReportWriter& operator=(const ReportWriter&) = delete;

  void add(const SourceOutcome& outcome);
  // Writes the report whole; false when it could not be written.
  bool finish(const ImportReport& totals);

 private:
  std::ofstream report_;
  std::fstream spool_;
  bool any_items_ = false;
};

// "imported 9, updated 0, unchanged 0, failed 0" (", removed N" when something was removed,
// ", N pages OCR'd" and ", N pages repaired" when there were some).
std::string summary_line(const ImportReport& report);

}  // namespace mediateka::indexer
