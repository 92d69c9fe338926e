// Real-world documents end to end: mediateka-index imports a scanned PDF, a PNG scan and a
// bulletin with hyphenation, ligatures, running lines and a mis-decoded line; the report, the
// progress line and stats count the OCR'd and repaired pages; mediateka-server finds the words
// a reader sees on those pages, on the right page.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "real_document_fixtures.h"
#include "server_test_support.h"

namespace mediateka::test {
namespace {

using nlohmann::json;

struct CommandRun {
  int status = -1;
  std::string out, err;
};

class ImportedScans : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!real_document_tools_available())
      GTEST_SKIP() << "python3-reportlab, fonts-dejavu-core or poppler-utils missing";
    fs::create_directories(in() / "biuletyn");
    fs::path scanned_pdf, png;
    ASSERT_TRUE(make_scanned_pdf(dir.path(), scanned_pdf, png));
    fs::rename(scanned_pdf, in() / "sprawozdanie-skan.pdf");
    fs::rename(png, in() / "sprawozdanie-strona.png");
    ASSERT_TRUE(run_python(dir.path(), bulletin_script(in() / "biuletyn" / "biuletyn-3-2014.pdf")));
  }

  fs::path in() const { return dir.path() / "in"; }
  fs::path db() const { return dir.path() / "db"; }

  CommandRun index(const std::string& arguments) {
    CommandRun run;
    const fs::path out = dir.path() / "stdout", err = dir.path() / "stderr";
    const std::string command = std::string(MEDIATEKA_INDEX_BIN) + " " + arguments + " >" +
                                quoted(out) + " 2>" + quoted(err);
    const int status = std::system(command.c_str());
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = read_file(out);
    run.err = read_file(err);
    return run;
  }

  CommandRun import(const fs::path& config) {
    return index("import --config " + quoted(config) + " --db " + quoted(db()) + " --report " +
                 quoted(dir.path() / "report.json") + " " + quoted(in()));
  }

  static const json* entry_for(const json& report, const std::string& suffix) {
    for (const json& item : report["items"]) {
      const std::string source = item["source"];
      if (source.size() >= suffix.size() &&
          source.compare(source.size() - suffix.size(), suffix.size(), suffix) == 0)
        return &item;
    }
    return nullptr;
  }

  TemporaryFolder dir{"indexer_scans_test."};
  const fs::path config_ = fs::path(MEDIATEKA_SOURCE_DIR) / "config" / "mediateka.toml";
};

TEST_F(ImportedScans, ReportProgressAndStatsCountOcrdAndRepairedPages) {
  const CommandRun run = import(config_);
  ASSERT_EQ(run.status, 0) << run.err;
  // The progress line and the summary count them.
  EXPECT_NE(run.err.find("2 pages OCR'd, 1 page repaired"), std::string::npos) << run.err;

  const json report = json::parse(read_file(dir.path() / "report.json"));
  EXPECT_EQ(report["imported"], 3);
  EXPECT_EQ(report["ocr_pages"], 2);
  EXPECT_EQ(report["repaired_pages"], 1);
  const json* scan = entry_for(report, "sprawozdanie-skan.pdf");
  ASSERT_NE(scan, nullptr);
  EXPECT_EQ((*scan)["ocr_pages"], 1);  // its page 2
  const json* bulletin = entry_for(report, "biuletyn-3-2014.pdf");
  ASSERT_NE(bulletin, nullptr);
  EXPECT_EQ((*bulletin)["repaired_pages"], 1);
  EXPECT_FALSE(bulletin->contains("ocr_pages"));

  const CommandRun stats = index("stats --db " + quoted(db()) + " --json");
  ASSERT_EQ(stats.status, 0) << stats.err;
  const json counts = json::parse(stats.out);
  EXPECT_EQ(counts["ocr_pages"], 2);
  EXPECT_EQ(counts["repaired_pages"], 1);
  EXPECT_EQ(counts["by_type"]["publication"], 2);  // the scans
  EXPECT_EQ(counts["by_type"]["bulletin"], 1);     // under biuletyn/

  // A re-run changes nothing and reads nothing again.
  const CommandRun again = import(config_);
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(json::parse(read_file(dir.path() / "report.json"))["unchanged"], 3);
}

TEST_F(ImportedScans, SearchFindsWhatTheReaderSees) {
  ASSERT_EQ(import(config_).status, 0);
  ServerProcess server(db());
  const int port = server.wait_until_listening();
  const auto search = [&](const std::string& query) {
    const HttpResponse response = get(port, "/api/search?q=" + query);
    EXPECT_EQ(response.status, 200) << query;
    return response.json_body();
  };

  // The scans, read by OCR: the words of the page, in other forms and without diacritics.
  // The PDF's scan is its page 2 (page 1 has a text layer); the PNG is a page of its own.
  const json scans = search("sprawozdanie%20dzialalnosc%20ostrolece");
  ASSERT_EQ(scans["total"], 2) << scans.dump();
  for (const json& hit : scans["hits"]) {
    const json item = get(port, "/api/items/" + hit["id"].get<std::string>()).json_body();
    const int page = item["source"]["mime"] == "application/pdf" ? 2 : 1;
    EXPECT_EQ(item["ocr_pages"], json::array({page})) << item.dump();
    ASSERT_FALSE(hit["locations"].empty()) << hit.dump();
    EXPECT_EQ(hit["locations"][0]["page"], page) << hit.dump();
  }

  // The bulletin: joined hyphenation, kept compounds, ligatures, repaired code page.
  for (const char* query : {"uprawnienia", "%22polsko-niemiecka%22", "beneficjentki", "offline",
                            "%22pomoc%20spo%C5%82eczna%20i%20%C5%BCycie%22"}) {
    const json found = search(query);
    ASSERT_EQ(found["total"], 1) << query << " " << found.dump();
    EXPECT_EQ(found["hits"][0]["type"], "bulletin") << query;
  }
  const json repaired = search("%C5%BCycie");
  ASSERT_EQ(repaired["total"], 1);
  EXPECT_EQ(repaired["hits"][0]["locations"][0]["page"], 2) << repaired.dump();
  const json item =
      get(port, "/api/items/" + repaired["hits"][0]["id"].get<std::string>()).json_body();
  EXPECT_EQ(item["repaired_pages"], json::array({2})) << item.dump();
  EXPECT_FALSE(item.contains("ocr_pages"));

  // Words split by a line break, and the two columns read apart, are not phrases.
  EXPECT_EQ(search("upraw")["total"], 0);
  EXPECT_EQ(search("%22bezrobotnych%20pierwsza%20druga%20kolumna%22")["total"], 0);
  // The running header is not in any snippet.
  const json column = search("kolumna");
  ASSERT_EQ(column["total"], 1);
  for (const json& location : column["hits"][0]["locations"])
    EXPECT_EQ(location["snippet"].get<std::string>().find("Biuletyn"), std::string::npos)
        << location.dump();
}

TEST_F(ImportedScans, MissingLanguageDataStopsTheImportBeforeItStarts) {
  const fs::path config = dir.path() / "mediateka.toml";
  write_file(config, "[index]\ndb = \"db\"\n[ocr]\nlanguages = \"pol+xyz\"\n");
  const CommandRun run = import(config);
  EXPECT_EQ(run.status, 2) << run.err;
  EXPECT_NE(run.err.find("OCR language 'xyz' is not installed"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("tesseract-ocr-xyz"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(db()));

  // With OCR disabled the same import runs, and the scans come in without text.
  write_file(config, "[ocr]\nenabled = false\nlanguages = \"pol+xyz\"\n");
  const CommandRun without_ocr = import(config);
  EXPECT_EQ(without_ocr.status, 0) << without_ocr.err;
  const json report = json::parse(read_file(dir.path() / "report.json"));
  EXPECT_EQ(report["ocr_pages"], 0);
  for (const char* scan : {"sprawozdanie-skan.pdf", "sprawozdanie-strona.png"}) {
    const json* entry = entry_for(report, scan);
    ASSERT_NE(entry, nullptr) << scan;
    EXPECT_NE((*entry)["warnings"].dump().find("OCR is disabled"), std::string::npos)
        << entry->dump();
  }
}

}  // namespace
}  // namespace mediateka::test
