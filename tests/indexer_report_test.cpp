// What keeps a large import's memory flat: the report written as the run goes, the ordered
// hand-over of sources between the reading threads and the writer, and the packed source list.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "import_report.h"
#include "ordered_workers.h"
#include "source_list.h"
#include "test_files.h"

namespace mediateka::indexer {
namespace {

using nlohmann::ordered_json;
using test::read_file;
using test::TemporaryFolder;

SourceOutcome outcome(const std::string& source, ImportStatus status, const std::string& id = "",
                      const std::string& error = "") {
  SourceOutcome result;
  result.source = source;
  result.status = status;
  result.id = id;
  result.error = error;
  return result;
}

// The report as the contract describes it, made whole in memory: what the streamed report must
// equal, byte for byte.
std::string whole_report(const std::vector<SourceOutcome>& outcomes, bool interrupted) {
  ordered_json json;
  for (ImportStatus status :
       {ImportStatus::imported, ImportStatus::updated, ImportStatus::unchanged,
        ImportStatus::failed, ImportStatus::removed}) {
    std::size_t count = 0;
    for (const SourceOutcome& item : outcomes) count += item.status == status;
    json[std::string(to_string(status))] = count;
  }
  std::size_t access_changes = 0;
  for (const SourceOutcome& item : outcomes) access_changes += item.access_changed();
  json["access_changes"] = access_changes;
  std::size_t ocr_pages = 0, repaired_pages = 0;
  for (const SourceOutcome& item : outcomes) {
    ocr_pages += item.ocr_pages;
    repaired_pages += item.repaired_pages;
  }
  json["ocr_pages"] = ocr_pages;
  json["repaired_pages"] = repaired_pages;
  if (interrupted) json["interrupted"] = true;
  json["items"] = ordered_json::array();
  for (const SourceOutcome& item : outcomes) {
    ordered_json entry;
    entry["source"] = item.source;
    entry["id"] = item.id.empty() ? ordered_json() : ordered_json(item.id);
    entry["status"] = std::string(to_string(item.status));
    entry["error"] = item.error.empty() ? ordered_json() : ordered_json(item.error);
    if (!item.warnings.empty()) entry["warnings"] = item.warnings;
    if (item.ocr_pages > 0) entry["ocr_pages"] = item.ocr_pages;
    if (item.repaired_pages > 0) entry["repaired_pages"] = item.repaired_pages;
    if (!item.took_over.empty()) entry["took_over"] = item.took_over;
    if (!item.changes.empty()) {
      entry["changes"] = ordered_json::array();
      for (const FieldChange& change : item.changes)
        entry["changes"].push_back(
            {{"field", change.field},
             {"old", change.before},
             {"new", change.after_from_file ? ordered_json() : ordered_json(change.after)}});
    }
    json["items"].push_back(entry);
  }
  return json.dump(2) + "\n";
}

// Writes `outcomes` through a ReportWriter, as an import does, and returns the file.
std::string streamed_report(const std::vector<SourceOutcome>& outcomes, bool interrupted) {
  TemporaryFolder folder("mediateka-report-");
  const std::filesystem::path file = folder.path() / "report.json";
  ImportReport totals;
  {
    ReportWriter writer(file);
    for (const SourceOutcome& item : outcomes) {
      totals.add(item);
      writer.add(item);
    }
    totals.interrupted = interrupted;
    EXPECT_TRUE(writer.finish(totals));
  }
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(folder.path()),
                          std::filesystem::directory_iterator()),
            1)
      << "the spool leaves no file behind";
  return read_file(file);
}

TEST(ImportReportFile, WrittenAsItGoesItIsTheWholeReportByteForByte) {
  std::vector<SourceOutcome> outcomes;
  outcomes.push_back(outcome("in/raport.pdf", ImportStatus::imported, "raport-1"));
  SourceOutcome warned = outcome("in/\"cudzysłów\"\\ścieżka.pdf", ImportStatus::updated, "b");
  warned.warnings = {"unknown campaign 'Zdrowie'", "a\nb\ttab"};
  warned.ocr_pages = 3;
  warned.repaired_pages = 1;
  warned.changes = {{"title", "Stary", "Nowy \"tytuł\""}, {"access", "partnerzy-rops", "public"}};
  outcomes.push_back(warned);
  SourceOutcome took = outcome("in/nowy.mp4", ImportStatus::updated, "e");
  took.took_over = "e (was /archiwum/stary.mp4)";
  took.changes = {{"source", "stary.mp4", "nowy.mp4"}};
  outcomes.push_back(took);
  outcomes.push_back(outcome("in/empty.pdf", ImportStatus::failed, "", "not a PDF"));
  outcomes.push_back(outcome("https://example.org/a.pdf", ImportStatus::unchanged, "c"));
  outcomes.push_back(outcome("/archiwum/stary.pdf", ImportStatus::removed, "d"));
  EXPECT_EQ(streamed_report(outcomes, false), whole_report(outcomes, false));
  EXPECT_EQ(streamed_report(outcomes, true), whole_report(outcomes, true));
  EXPECT_EQ(streamed_report({}, false), whole_report({}, false));
  EXPECT_EQ(streamed_report({outcomes[2]}, true), whole_report({outcomes[2]}, true));
}

TEST(ImportReportFile, ListsEveryFailureInOrderAndCountsThem) {
  std::vector<SourceOutcome> outcomes;
  for (int i = 0; i < 3000; ++i) {
    const std::string name = "in/" + std::to_string(i) + ".pdf";
    outcomes.push_back(i % 3 == 0
                           ? outcome(name, ImportStatus::failed, "", "broken " + name)
                           : outcome(name, ImportStatus::imported, "id-" + std::to_string(i)));
  }
  const std::string text = streamed_report(outcomes, false);
  EXPECT_EQ(text, whole_report(outcomes, false));
  const ordered_json report = ordered_json::parse(text);
  EXPECT_EQ(report["failed"], 1000);
  EXPECT_EQ(report["imported"], 2000);
  ASSERT_EQ(report["items"].size(), outcomes.size());
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(report["items"][i]["source"], outcomes[i].source);
    if (outcomes[i].status == ImportStatus::failed) {
      EXPECT_EQ(report["items"][i]["error"], "broken " + outcomes[i].source);
    }
  }
}

TEST(ImportReportTotals, CountEachStatusAndTheSourcesDone) {
  ImportReport totals;
  SourceOutcome scanned = outcome("a.pdf", ImportStatus::imported, "a");
  scanned.ocr_pages = 2;
  totals.add(scanned);
  totals.add(outcome("b.pdf", ImportStatus::failed, "", "x"));
  totals.add(outcome("c.pdf", ImportStatus::removed, "c"));
  EXPECT_EQ(totals.count(ImportStatus::imported), 1u);
  EXPECT_EQ(totals.count(ImportStatus::failed), 1u);
  EXPECT_EQ(totals.count(ImportStatus::removed), 1u);
  EXPECT_EQ(totals.ocr_pages(), 2u);
  EXPECT_EQ(totals.sources_done(), 2u) << "removed items are not sources of the run";
  EXPECT_TRUE(totals.any_failed());
  EXPECT_EQ(summary_line(totals),
            "imported 1, updated 0, unchanged 0, failed 1, removed 1, 2 pages OCR'd");
}

TEST(OrderedWorkers, ResultsComeInSubmissionOrderWithFewJobsWaiting) {
  for (unsigned threads : {0u, 1u, 2u, 3u}) {
    std::atomic<int> running{0}, most_running{0};
    OrderedWorkers<int, int> workers(threads, [&](const int& job, unsigned) {
      const int now = ++running;
      for (int seen = most_running; now > seen && !most_running.compare_exchange_weak(seen, now);) {
      }
      // Later jobs finish first, so the order comes from the hand-over, not the timing.
      std::this_thread::sleep_for(std::chrono::microseconds(job % 4 == 0 ? 300 : 0));
      --running;
      return job * 10;
    });
    int next_job = 0, submitted_most = 0;
    for (int expected = 0; expected < 200; ++expected) {
      while (next_job < 200 && workers.has_room()) workers.submit(next_job++);
      submitted_most = std::max(submitted_most, next_job - expected);
      ASSERT_TRUE(workers.any_waiting());
      auto [job, result] = workers.take();
      EXPECT_EQ(job, expected) << threads << " threads";
      EXPECT_EQ(result, expected * 10) << threads << " threads";
    }
    EXPECT_FALSE(workers.any_waiting());
    EXPECT_LE(submitted_most, threads > 0 ? 2 * static_cast<int>(threads) : 1);
    EXPECT_LE(most_running.load(), std::max(1, static_cast<int>(threads)));
  }
}

TEST(SourceList, GivesEachSourceBackWhole) {
  ManifestEntry full;
  full.line = 7;
  full.source = "raporty/ąę.pdf";
  full.id = "raport-7";
  full.type = ItemType::tv;
  full.title = "Raport \"roczny\"";
  full.campaigns = {"Wolontariat", "Ekonomia społeczna"};
  full.year = 2012;
  full.date = "2012-05";
  full.project = "Razem";
  full.series = "Seria";
  full.issue = "3/2012";
  full.description = std::string(3000, 'x') + "\n" + std::string(1, '\0') + "koniec";
  full.authors = {"Anna Nowak", ""};
  full.language = "pl";
  full.access = {"zarzad"};
  full.places = {"Radom", "Płock"};
  full.replaces = "stary-raport";
  full.named = field_bit(ManifestField::title) | field_bit(ManifestField::access);

  std::vector<Source> sources;
  Source with_row;
  with_row.display = "m/raporty/ąę.pdf";
  with_row.file = "/archiwum/m/raporty/ąę.pdf";
  with_row.relative_path = "raporty/ąę.pdf";
  with_row.folders = {"m", "raporty"};
  with_row.entry = std::make_shared<const ManifestEntry>(full);
  sources.push_back(with_row);
  Source bare_row = with_row;
  bare_row.entry = std::make_shared<const ManifestEntry>();
  sources.push_back(bare_row);
  Source remote;
  remote.display = remote.url = "https://example.org/a.pdf";
  sources.push_back(remote);
  Source large = with_row;  // larger than a block of the list
  large.display = std::string(3 << 20, 'd');
  sources.push_back(large);
  for (int i = 0; i < 5000; ++i) {
    Source many = with_row;
    many.file += std::to_string(i);
    sources.push_back(many);
  }

  SourceList list;
  for (const Source& source : sources) list.push_back(source);
  ASSERT_EQ(list.size(), sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const Source expected = sources[i], unpacked = list[i];
    EXPECT_EQ(unpacked.display, expected.display) << i;
    EXPECT_EQ(unpacked.url, expected.url) << i;
    EXPECT_EQ(unpacked.file, expected.file) << i;
    EXPECT_EQ(unpacked.relative_path, expected.relative_path) << i;
    EXPECT_EQ(unpacked.folders, expected.folders) << i;
    ASSERT_EQ(static_cast<bool>(unpacked.entry), static_cast<bool>(expected.entry)) << i;
    if (!expected.entry) continue;
    const ManifestEntry &a = *unpacked.entry, &b = *expected.entry;
    EXPECT_EQ(a.line, b.line);
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.title, b.title);
    EXPECT_EQ(a.campaigns, b.campaigns);
    EXPECT_EQ(a.year, b.year);
    EXPECT_EQ(a.date, b.date);
    EXPECT_EQ(a.project, b.project);
    EXPECT_EQ(a.series, b.series);
    EXPECT_EQ(a.issue, b.issue);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.authors, b.authors);
    EXPECT_EQ(a.language, b.language);
    EXPECT_EQ(a.access, b.access);
    EXPECT_EQ(a.places, b.places);
    EXPECT_EQ(a.replaces, b.replaces);
    EXPECT_EQ(a.named, b.named);
  }
}

}  // namespace
}  // namespace mediateka::indexer
