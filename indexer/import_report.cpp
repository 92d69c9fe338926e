#include "import_report.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "progress.h"

namespace mediateka::indexer {

std::string_view to_string(ImportStatus status) {
  switch (status) {
    case ImportStatus::imported:
      return "imported";
    case ImportStatus::updated:
      return "updated";
    case ImportStatus::unchanged:
      return "unchanged";
    case ImportStatus::failed:
      return "failed";
    case ImportStatus::removed:
      return "removed";
  }
  return "failed";
}

std::size_t ImportReport::count(ImportStatus status) const {
  return static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(),
                    [&](const SourceOutcome& item) { return item.status == status; }));
}

std::size_t ImportReport::ocr_pages() const {
  std::size_t pages = 0;
  for (const SourceOutcome& item : items) pages += item.ocr_pages;
  return pages;
}

std::size_t ImportReport::repaired_pages() const {
  std::size_t pages = 0;
  for (const SourceOutcome& item : items) pages += item.repaired_pages;
  return pages;
}

nlohmann::ordered_json report_to_json(const ImportReport& report) {
  using nlohmann::ordered_json;
  ordered_json json;
  for (ImportStatus status :
       {ImportStatus::imported, ImportStatus::updated, ImportStatus::unchanged,
        ImportStatus::failed, ImportStatus::removed}) {
    json[std::string(to_string(status))] = report.count(status);
  }
  json["ocr_pages"] = report.ocr_pages();
  json["repaired_pages"] = report.repaired_pages();
  if (report.interrupted) json["interrupted"] = true;
  json["items"] = ordered_json::array();
  for (const SourceOutcome& item : report.items) {
    ordered_json entry;
    entry["source"] = item.source;
    entry["id"] = item.id.empty() ? ordered_json() : ordered_json(item.id);
    entry["status"] = std::string(to_string(item.status));
    entry["error"] = item.error.empty() ? ordered_json() : ordered_json(item.error);
    if (!item.warnings.empty()) entry["warnings"] = item.warnings;
    if (item.ocr_pages > 0) entry["ocr_pages"] = item.ocr_pages;
    if (item.repaired_pages > 0) entry["repaired_pages"] = item.repaired_pages;
    json["items"].push_back(std::move(entry));
  }
  return json;
}

std::string summary_line(const ImportReport& report) {
  std::string line = "imported " + std::to_string(report.count(ImportStatus::imported)) +
                     ", updated " + std::to_string(report.count(ImportStatus::updated)) +
                     ", unchanged " + std::to_string(report.count(ImportStatus::unchanged)) +
                     ", failed " + std::to_string(report.count(ImportStatus::failed));
  if (std::size_t removed = report.count(ImportStatus::removed)) {
    line += ", removed " + std::to_string(removed);
  }
  line += pages_repaired_text(report.ocr_pages(), report.repaired_pages());
  return line;
}

}  // namespace mediateka::indexer
