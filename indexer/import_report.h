// The outcome of an import run, per source, as the --report JSON of docs/api.md.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "archive/text/enum_names.h"

namespace mediateka::indexer {

enum class ImportStatus { imported, updated, unchanged, failed, removed };
// The report's names (docs/api.md).
inline constexpr NameTable<ImportStatus, 5> kImportStatusNames{
    {{ImportStatus::imported, "imported"},
     {ImportStatus::updated, "updated"},
     {ImportStatus::unchanged, "unchanged"},
     {ImportStatus::failed, "failed"},
     {ImportStatus::removed, "removed"}}};

std::string_view to_string(ImportStatus status);

// One field of a stored item that an import changes (or, in a dry run, would change): its
// values as the report shows them (lists joined by "; ", access "public" or its groups).
struct FieldChange {
  std::string field;  // a manifest column's name ("title", "campaign", "access"), or "source"
  std::string before;
  std::string after;
  // Dry run only: the row clears the field, so its new value is what the file says, which a dry
  // run does not read.
  bool after_from_file = false;

  bool operator==(const FieldChange& other) const {
    return field == other.field && before == other.before && after == other.after &&
           after_from_file == other.after_from_file;
  }
};

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
  // For an existing item: the fields changed (old → new), in the order of the manifest's
  // columns; "access" among them when the item's audience changes.
  std::vector<FieldChange> changes;
  // The stored item this source took over (the manifest's `replaces`): its id and its old source.
  std::string took_over;

  bool access_changed() const;
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
  // Stored items whose access (who may see them) the run changed, or would change.
  std::size_t access_changes() const { return access_changes_; }
  bool any_failed() const { return count(ImportStatus::failed) > 0; }

  // Stopped by a signal (SIGINT, SIGTERM) before every source was seen: the outcomes are those of
  // the sources handled so far, all committed; a new run of the same import does the rest.
  bool interrupted = false;

 private:
  std::array<std::size_t, 5> counts_{};  // by ImportStatus
  std::size_t ocr_pages_ = 0;
  std::size_t repaired_pages_ = 0;
  std::size_t sources_done_ = 0;
  std::size_t access_changes_ = 0;
};

// One element of the report's "items": "warnings", "ocr_pages", "repaired_pages", "changes"
// ([{"field","old","new"}], "new": null with "from_file": true in a dry run when the file will
// say) and "took_over" only when there are some, and null "id"/"error" when it has none.
nlohmann::ordered_json outcome_to_json(const SourceOutcome& outcome);

// The --report file, written as the run goes:
// {"imported":N,"updated":N,"unchanged":N,"failed":N,"removed":N,"access_changes":N,
//  "ocr_pages":N,"repaired_pages":N,"items":[...]} as nlohmann's dump(2) writes it, with
//  "interrupted": true
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
// ", access changed N" when the access of stored items changed, ", N pages OCR'd" and ", N pages
// repaired" when there were some).
std::string summary_line(const ImportReport& report);

// The lines a dry run's plan shows under a source for its changes: "\ttitle: OLD → NEW".
std::string changes_text(const SourceOutcome& outcome);

}  // namespace mediateka::indexer
