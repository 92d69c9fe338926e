// The outcome of an import run, per source, as the --report JSON of shared/spec/api.md.
#pragma once

#include <cstddef>
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

struct ImportReport {
  std::vector<SourceOutcome> items;
  // Stopped by a signal (SIGINT, SIGTERM) before every source was seen: `items` lists the
  // sources handled so far, all committed; a new run of the same import does the rest.
  bool interrupted = false;

  std::size_t count(ImportStatus status) const;
  std::size_t ocr_pages() const;
  std::size_t repaired_pages() const;
  bool any_failed() const { return count(ImportStatus::failed) > 0; }
};

// {"imported":N,"updated":N,"unchanged":N,"failed":N,"removed":N,"ocr_pages":N,
//  "repaired_pages":N,"items":[...]};
// an item has "warnings", "ocr_pages" and "repaired_pages" only when there are some, and null
// "id"/"error" when it has none;
// "interrupted": true is added when the run was stopped by a signal.
nlohmann::ordered_json report_to_json(const ImportReport& report);

// "imported 9, updated 0, unchanged 0, failed 0" (", removed N" when something was removed,
// ", N pages OCR'd" and ", N pages repaired" when there were some).
std::string summary_line(const ImportReport& report);

}  // namespace mediateka::indexer
