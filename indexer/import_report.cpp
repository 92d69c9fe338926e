#include "import_report.h"

#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "progress.h"

namespace mediateka::indexer {
namespace fs = std::filesystem;

std::string_view to_string(ImportStatus status) {
  return name_of(kImportStatusNames, status, ImportStatus::failed);
}

bool SourceOutcome::access_changed() const {
  for (const FieldChange& change : changes)
    if (change.field == "access") return true;
  return false;
}

void ImportReport::add(const SourceOutcome& outcome) {
  ++counts_[static_cast<std::size_t>(outcome.status)];
  if (outcome.access_changed()) ++access_changes_;
  ocr_pages_ += outcome.ocr_pages;
  repaired_pages_ += outcome.repaired_pages;
  if (outcome.status != ImportStatus::removed) ++sources_done_;
}

std::size_t ImportReport::count(ImportStatus status) const {
  return counts_[static_cast<std::size_t>(status)];
}

nlohmann::ordered_json outcome_to_json(const SourceOutcome& outcome) {
  using nlohmann::ordered_json;
  ordered_json entry;
  entry["source"] = outcome.source;
  entry["id"] = outcome.id.empty() ? ordered_json() : ordered_json(outcome.id);
  entry["status"] = std::string(to_string(outcome.status));
  entry["error"] = outcome.error.empty() ? ordered_json() : ordered_json(outcome.error);
  if (!outcome.warnings.empty()) entry["warnings"] = outcome.warnings;
  if (outcome.ocr_pages > 0) entry["ocr_pages"] = outcome.ocr_pages;
  if (outcome.repaired_pages > 0) entry["repaired_pages"] = outcome.repaired_pages;
  if (!outcome.took_over.empty()) entry["took_over"] = outcome.took_over;
  if (!outcome.changes.empty()) {
    ordered_json changes = ordered_json::array();
    for (const FieldChange& change : outcome.changes) {
      ordered_json one;
      one["field"] = change.field;
      one["old"] = change.before;
      one["new"] = change.after_from_file ? ordered_json() : ordered_json(change.after);
      if (change.after_from_file) one["from_file"] = true;
      changes.push_back(std::move(one));
    }
    entry["changes"] = std::move(changes);
  }
  return entry;
}

namespace {

// dump(2) of the whole report indents each element of "items" by 4 more spaces than its own
// dump(2). A JSON string holds no raw newline, so every newline starts a line of the element.
std::string indented_item(const SourceOutcome& outcome) {
  const std::string text = outcome_to_json(outcome).dump(2);
  std::string indented = "    ";
  indented.reserve(text.size() + 64);
  for (char c : text) {
    indented += c;
    if (c == '\n') indented += "    ";
  }
  return indented;
}

// An unnamed file, in `folder` when it can be made there, else in the temporary folder.
std::fstream unnamed_spool(const fs::path& folder) {
  for (const fs::path& place : {folder, fs::temp_directory_path()}) {
    std::string name = (place / ".mediateka-report-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) continue;
    ::close(fd);
    std::fstream spool(name, std::ios::in | std::ios::out | std::ios::trunc | std::ios::binary);
    std::error_code ignored;
    fs::remove(name, ignored);  // the open stream keeps it until closed
    if (spool) return spool;
  }
  throw std::runtime_error("cannot make a temporary file for the report");
}

}  // namespace

ReportWriter::ReportWriter(const fs::path& report) : report_(report) {
  if (!report_) throw std::runtime_error("cannot write the report " + report.string());
  fs::path folder = fs::absolute(report).parent_path();
  spool_ = unnamed_spool(folder);
}

void ReportWriter::add(const SourceOutcome& outcome) {
  if (any_items_) spool_ << ",\n";
  spool_ << indented_item(outcome);
  any_items_ = true;
}

bool ReportWriter::finish(const ImportReport& totals) {
  nlohmann::ordered_json head;
  for (ImportStatus status :
       {ImportStatus::imported, ImportStatus::updated, ImportStatus::unchanged,
        ImportStatus::failed, ImportStatus::removed}) {
    head[std::string(to_string(status))] = totals.count(status);
  }
  head["access_changes"] = totals.access_changes();
  head["ocr_pages"] = totals.ocr_pages();
  head["repaired_pages"] = totals.repaired_pages();
  if (totals.interrupted) head["interrupted"] = true;
  std::string text = head.dump(2);
  text.resize(text.size() - 2);  // the closing "\n}"
  report_ << text << ",\n  \"items\": [";
  if (any_items_) {
    report_ << "\n";
    if (!spool_.seekg(0) || !(report_ << spool_.rdbuf())) return false;
    report_ << "\n  ]";
  } else {
    report_ << "]";
  }
  report_ << "\n}\n";
  return static_cast<bool>(report_.flush()) && !spool_.bad();
}

std::string summary_line(const ImportReport& report) {
  std::string line = "imported " + std::to_string(report.count(ImportStatus::imported)) +
                     ", updated " + std::to_string(report.count(ImportStatus::updated)) +
                     ", unchanged " + std::to_string(report.count(ImportStatus::unchanged)) +
                     ", failed " + std::to_string(report.count(ImportStatus::failed));
  if (std::size_t removed = report.count(ImportStatus::removed)) {
    line += ", removed " + std::to_string(removed);
  }
  if (std::size_t access = report.access_changes()) {
    line += ", access changed " + std::to_string(access);
  }
  line += pages_repaired_text(report.ocr_pages(), report.repaired_pages());
  return line;
}

std::string changes_text(const SourceOutcome& outcome) {
  auto shown = [](const std::string& value) {
    return value.empty() ? std::string("(empty)") : value;
  };
  std::string text;
  if (!outcome.took_over.empty()) text += "\ttakes over " + outcome.took_over + "\n";
  for (const FieldChange& change : outcome.changes) {
    text += "\t" + change.field + ": " + shown(change.before) + " → " +
            (change.after_from_file ? std::string("(what the file says)") : shown(change.after)) +
            "\n";
  }
  return text;
}

}  // namespace mediateka::indexer
