// mediateka-index end to end: the real binary on a folder of good and bad files.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <xapian.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "archive/index/audience_databases.h"
#include "archive/index_writer.h"
#include "archive/searcher.h"
#include "test_files.h"

namespace fs = std::filesystem;
using mediateka::IndexWriter;
using mediateka::Item;
using mediateka::test::read_file;
using nlohmann::json;

namespace {

const std::string kConfig = MEDIATEKA_SOURCE_DIR "/config/mediateka.toml";

struct CommandRun {
  int status = -1;
  std::string out, err;
};

std::string shell_quoted(const std::string& text) {
  std::string result = "'";
  for (char c : text) result += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return result + "'";
}

// Makes PDFs with reportlab: good ones with text, one locked with a user password.
void make_pdf(const fs::path& file, const std::string& title, const std::string& text,
              bool locked = false) {
  std::string script =
      "import sys\n"
      "from reportlab.pdfgen import canvas\n"
      "c = canvas.Canvas(sys.argv[1], encrypt=('secret' if sys.argv[4] == '1' else None))\n"
      "c.setTitle(sys.argv[2])\n"
      "c.drawString(72, 720, sys.argv[3])\n"
      "c.showPage()\n"
      "c.save()\n";
  std::string command = "/usr/bin/python3 -c " + shell_quoted(script) + " " +
                        shell_quoted(file.string()) + " " + shell_quoted(title) + " " +
                        shell_quoted(text) + " " + (locked ? "1" : "0");
  ASSERT_EQ(std::system(command.c_str()), 0) << "needs python3-reportlab";
}

class IndexerImport : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/mediateka-import-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    in_ = root_ / "in";
    db_ = root_ / "db";
    fs::create_directories(in_ / "raporty");
  }
  void TearDown() override { fs::remove_all(root_); }

  // Runs mediateka-index with `arguments` (already shell-quoted where needed).
  CommandRun index(const std::string& arguments) {
    CommandRun run;
    fs::path out = root_ / "stdout", err = root_ / "stderr";
    std::string command = std::string(MEDIATEKA_INDEX_BIN) + " " + arguments + " >" +
                          shell_quoted(out.string()) + " 2>" + shell_quoted(err.string());
    int status = std::system(command.c_str());
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = read_file(out);
    run.err = read_file(err);
    return run;
  }

  CommandRun run_import(const std::string& arguments) {
    return index("import --config " + shell_quoted(kConfig) + " --db " +
                 shell_quoted(db_.string()) + " --report " +
                 shell_quoted((root_ / "report.json").string()) + " " + arguments);
  }

  json report() { return json::parse(read_file(root_ / "report.json")); }

  json stats() {
    CommandRun run = index("stats --db " + shell_quoted(db_.string()) + " --json");
    EXPECT_EQ(run.status, 0) << run.err;
    return json::parse(run.out);
  }

  static const json* entry_for(const json& report, const std::string& suffix) {
    for (const json& item : report["items"]) {
      std::string source = item["source"];
      if (source.size() >= suffix.size() &&
          source.compare(source.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return &item;
      }
    }
    return nullptr;
  }

  void make_good_files() {
    make_pdf(in_ / "raporty" / "raport_2012.pdf", "Raport o pomocy", "Pomoc społeczna w regionie");
    make_pdf(in_ / "ulotka.pdf", "Ulotka", "Wolontariat");
  }

  fs::path root_, in_, db_;
};

}  // namespace

TEST_F(IndexerImport, GoodFilesImportAndEachBadFileFailsWithAReason) {
  make_good_files();
  std::string good = read_file(in_ / "ulotka.pdf");
  std::ofstream(in_ / "truncated.pdf", std::ios::binary) << good.substr(0, good.size() / 2);
  make_pdf(in_ / "locked.pdf", "Tajne", "tajne", true);
  std::ofstream(in_ / "random.mp4", std::ios::binary) << std::string(4096, '\x5a') << "noise";
  std::ofstream(in_ / "empty.pdf", std::ios::binary);
  std::ofstream(in_ / "notes.txt") << "not imported: unsupported extension";
  std::ofstream(in_ / ".hidden.pdf") << "hidden files are skipped";

  CommandRun run = run_import(shell_quoted(in_.string()));
  EXPECT_EQ(run.status, 1) << run.err;
  json imported = report();
  EXPECT_EQ(imported["imported"], 2);
  EXPECT_EQ(imported["failed"], 4);
  EXPECT_EQ(imported["items"].size(), 6u);
  for (const char* bad : {"truncated.pdf", "locked.pdf", "random.mp4", "empty.pdf"}) {
    const json* item = entry_for(imported, bad);
    ASSERT_NE(item, nullptr) << bad;
    EXPECT_EQ((*item)["status"], "failed") << bad;
    ASSERT_TRUE((*item)["error"].is_string()) << bad;
    EXPECT_FALSE((*item)["error"].get<std::string>().empty()) << bad;
    EXPECT_NE(run.err.find("FAILED " + (in_ / bad).string() + ": "), std::string::npos) << run.err;
  }
  for (const char* good_file : {"raport_2012.pdf", "ulotka.pdf"}) {
    const json* item = entry_for(imported, good_file);
    ASSERT_NE(item, nullptr) << good_file;
    EXPECT_EQ((*item)["status"], "imported") << good_file;
    EXPECT_TRUE((*item)["id"].is_string());
  }
  json counts = stats();
  EXPECT_EQ(counts["items"], 2);
  EXPECT_EQ(counts["by_type"]["publication"], 2);
  EXPECT_EQ(counts["failed_sources"], 4);
}

TEST_F(IndexerImport, ReimportIsUnchangedAndNeverDuplicates) {
  make_good_files();
  ASSERT_EQ(run_import(shell_quoted(in_.string())).status, 0);
  json first = report();

  CommandRun again = run_import(shell_quoted(in_.string()));
  EXPECT_EQ(again.status, 0) << again.err;
  json second = report();
  EXPECT_EQ(second["unchanged"], 2);
  EXPECT_EQ(second["imported"], 0);
  EXPECT_EQ(second["items"][0]["id"], first["items"][0]["id"]);

  // Touched but the same content: still unchanged. Changed content: updated, same id.
  fs::last_write_time(in_ / "ulotka.pdf",
                      fs::last_write_time(in_ / "ulotka.pdf") - std::chrono::hours(1));
  make_pdf(in_ / "raporty" / "raport_2012.pdf", "Raport o pomocy, wydanie 2", "Nowa treść");
  ASSERT_EQ(run_import(shell_quoted(in_.string())).status, 0);
  json third = report();
  EXPECT_EQ(third["unchanged"], 1);
  EXPECT_EQ(third["updated"], 1);
  EXPECT_EQ(entry_for(third, "raport_2012.pdf")->at("id"),
            entry_for(first, "raport_2012.pdf")->at("id"));
  EXPECT_EQ(stats()["items"], 2);
}

TEST_F(IndexerImport, AFileThatCrashesTheExtractorFailsAlone) {
  make_good_files();
  make_pdf(in_ / "boom.pdf", "Boom", "crashes the extraction worker (test hook)");
  setenv("MEDIATEKA_TEST_WORKER_FAULT", "crash:boom", 1);
  CommandRun run = run_import("--jobs 2 " + shell_quoted(in_.string()));
  unsetenv("MEDIATEKA_TEST_WORKER_FAULT");
  EXPECT_EQ(run.status, 1) << run.err;
  json result = report();
  EXPECT_EQ(result["imported"], 2);
  const json* boom = entry_for(result, "boom.pdf");
  ASSERT_NE(boom, nullptr);
  EXPECT_EQ(boom->at("status"), "failed");
  EXPECT_NE(boom->at("error").get<std::string>().find("crashed"), std::string::npos) << *boom;
}

TEST_F(IndexerImport, MovedFileKeepsIdAndSlug) {
  make_good_files();
  ASSERT_EQ(run_import(shell_quoted(in_.string())).status, 0);
  std::string id = entry_for(report(), "raport_2012.pdf")->at("id");
  std::string slug = IndexWriter(db_.string()).find_by_id(id)->slug;

  fs::create_directories(in_ / "przeniesione");
  fs::rename(in_ / "raporty" / "raport_2012.pdf", in_ / "przeniesione" / "raport.pdf");
  CommandRun run = run_import(shell_quoted(in_.string()));
  ASSERT_EQ(run.status, 0) << run.err;
  json after_move = report();
  const json* moved = entry_for(after_move, "przeniesione/raport.pdf");
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->at("status"), "updated");
  EXPECT_EQ(moved->at("id"), id);

  IndexWriter index(db_.string());
  std::optional<Item> item = index.find_by_id(id);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->slug, slug);
  EXPECT_EQ(item->source.path, "przeniesione/raport.pdf");
  EXPECT_EQ(index.stats().items, 2u);
}

TEST_F(IndexerImport, ManifestMetadataAppliesAndChangesUpdate) {
  make_good_files();
  fs::path manifest = in_ / "manifest.csv";
  std::ofstream(manifest) << "id,source,type,title,campaign,year\n"
                             "raport-2012,raporty/raport_2012.pdf,bulletin,\"Raport, wydanie 1\","
                             "Aktywna integracja;Kampania spoza słownika,2012\n";
  CommandRun run = run_import("--manifest " + shell_quoted(manifest.string()));
  ASSERT_EQ(run.status, 0) << run.err;
  json first = report();
  ASSERT_EQ(first["items"].size(), 1u);
  EXPECT_EQ(first["items"][0]["id"], "raport-2012");
  ASSERT_TRUE(first["items"][0].contains("warnings"));
  EXPECT_NE(first["items"][0]["warnings"].dump().find("Kampania spoza"), std::string::npos);
  EXPECT_NE(run.err.find("Kampania spoza"), std::string::npos);

  std::optional<Item> item = IndexWriter(db_.string()).find_by_id("raport-2012");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->type, mediateka::ItemType::bulletin);
  EXPECT_EQ(item->title, "Raport, wydanie 1");
  EXPECT_EQ(item->year, 2012);
  EXPECT_EQ(item->campaigns,
            (std::vector<std::string>{"Aktywna integracja", "Kampania spoza słownika"}));
  EXPECT_EQ(item->source.path, "raporty/raport_2012.pdf");

  std::ofstream(manifest) << "id,source,title\nraport-2012,raporty/raport_2012.pdf,Nowy tytuł\n";
  ASSERT_EQ(run_import("--manifest " + shell_quoted(manifest.string())).status, 0);
  EXPECT_EQ(report()["updated"], 1);
  EXPECT_EQ(IndexWriter(db_.string()).find_by_id("raport-2012")->title, "Nowy tytuł");
}

TEST_F(IndexerImport, PlacesComeFromTheManifestAndTheTextAndUnknownOnesAreWarnings) {
  make_pdf(in_ / "raport.pdf", "Raport", "Projekt realizowany w powiecie wyszkowskim");
  fs::path manifest = in_ / "manifest.csv";
  std::ofstream(manifest) << "id,source,places\n"
                             "raport,raport.pdf,gmina Somianka;Atlantyda\n";
  CommandRun run = run_import("--manifest " + shell_quoted(manifest.string()));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.err.find("unknown place 'Atlantyda' (kept as written, not published until "
                         "corrected)"),
            std::string::npos)
      << run.err;
  EXPECT_NE(report()["items"][0]["warnings"].dump().find("unknown place 'Atlantyda'"),
            std::string::npos);
  std::optional<Item> item = IndexWriter(db_.string()).find_by_id("raport");
  ASSERT_TRUE(item);
  ASSERT_EQ(item->places.size(), 3u);
  EXPECT_EQ(item->places[0].name, "gmina Somianka");
  EXPECT_FALSE(item->places[0].inferred);
  EXPECT_EQ(item->places[1].name, "Atlantyda");
  EXPECT_TRUE(item->places[1].unknown);
  EXPECT_FALSE(item->places[0].unknown);
  EXPECT_EQ(item->places[2].name, "powiat wyszkowski");
  EXPECT_TRUE(item->places[2].inferred);
  EXPECT_FALSE(item->places[2].unknown);

  // A changed places cell rebuilds the item.
  std::ofstream(manifest) << "id,source,places\nraport,raport.pdf,gmina Somianka\n";
  ASSERT_EQ(run_import("--manifest " + shell_quoted(manifest.string())).status, 0);
  EXPECT_EQ(report()["updated"], 1);
  EXPECT_EQ(IndexWriter(db_.string()).find_by_id("raport")->places.size(), 2u);
}

// A misspelt place stays on its item for the librarian (show, stats, the librarian's search) and is
// published as a place by no facet, filter or public JSON, until the item is analysed again with
// a name the gazetteer knows: the row corrected, or a row changed in another column.
TEST_F(IndexerImport, AnUnknownPlaceIsKeptForTheLibrarianAndPublishedOnceItMatches) {
  make_pdf(in_ / "raport.pdf", "Raport", "Sprawozdanie z działalności");
  fs::path manifest = in_ / "manifest.csv";
  std::ofstream(manifest) << "id,source,places\nraport,raport.pdf,gmina Somianka;Atlantyda\n";
  ASSERT_EQ(run_import("--manifest " + shell_quoted(manifest.string())).status, 0);

  using mediateka::Audience;
  using mediateka::SearchRequest;
  auto search = [&](const std::vector<std::string>& places, const Audience& audience) {
    SearchRequest request = mediateka::whole_archive_request(audience);
    request.places = places;
    return mediateka::Searcher({db_.string()}, mediateka::Vocabulary()).search(request);
  };
  auto place_facet = [&](const Audience& audience) {
    std::map<std::string, std::size_t> counts;
    for (const auto& value : search({}, audience).facets.place) counts[value.value] = value.count;
    return counts;
  };
  using Counts = std::map<std::string, std::size_t>;
  // Visitors: only the known place.
  EXPECT_EQ(place_facet(Audience{}), (Counts{{"gmina Somianka", 1}}));
  EXPECT_EQ(search({"Atlantyda"}, Audience{}).total, 0u);
  EXPECT_EQ(search({"gmina Somianka"}, Audience{}).total, 1u);
  const Item stored = *IndexWriter(db_.string()).find_by_id("raport");
  EXPECT_EQ(mediateka::item_to_json(stored)["places"],
            json::parse(R"([{"name": "gmina Somianka", "kind": "gmina", "inferred": false}])"));
  // The librarian: the item keeps the name, marked; stats lists it; the librarian's search finds
  // it.
  EXPECT_EQ(mediateka::item_to_json(stored, mediateka::JsonView::librarian)["places"][1],
            json::parse(R"({"name": "Atlantyda", "kind": "powiat", "inferred": false,
                            "unknown": true})"));
  const CommandRun shown = index("show raport --db " + shell_quoted(db_.string()));
  ASSERT_EQ(shown.status, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["places"][1]["unknown"], true) << shown.out;
  EXPECT_EQ(stats()["unknown_places"], json({{"Atlantyda", 1}}));
  EXPECT_EQ(place_facet(Audience::everyone()), (Counts{{"gmina Somianka", 1}, {"Atlantyda", 1}}));
  EXPECT_EQ(search({"Atlantyda"}, Audience::everyone()).total, 1u);

  // Corrected in the manifest: a place like any other, and nothing waits for a fix.
  std::ofstream(manifest) << "id,source,places\nraport,raport.pdf,gmina Somianka;Płock\n";
  ASSERT_EQ(run_import("--manifest " + shell_quoted(manifest.string())).status, 0);
  EXPECT_EQ(report()["updated"], 1);
  EXPECT_EQ(place_facet(Audience{}), (Counts{{"gmina Somianka", 1}, {"Płock", 1}}));
  EXPECT_EQ(search({"Płock"}, Audience{}).total, 1u);
  EXPECT_EQ(stats()["unknown_places"], json::object());
  EXPECT_EQ(
      mediateka::item_to_json(*IndexWriter(db_.string()).find_by_id("raport"))["places"].size(),
      2u);

  // A name kept as unknown that the gazetteer knows by now (as after a newer gazetteer): the next
  // analysis of the item, here for a changed title, makes it a place, the stored names matched
  // again.
  {
    IndexWriter writer(db_.string());
    Item item = *writer.find_by_id("raport");
    item.places = {{"powiat wyszkowski", mediateka::PlaceKind::powiat, false, true}};
    writer.put(item);
    writer.commit();
  }
  EXPECT_EQ(place_facet(Audience{}), Counts{});
  EXPECT_EQ(stats()["unknown_places"], json({{"powiat wyszkowski", 1}}));
  std::ofstream(manifest) << "id,source,title\nraport,raport.pdf,Raport poprawiony\n";
  ASSERT_EQ(run_import("--manifest " + shell_quoted(manifest.string())).status, 0);
  EXPECT_EQ(report()["updated"], 1);
  EXPECT_EQ(place_facet(Audience{}), (Counts{{"powiat wyszkowski", 1}}));
  EXPECT_FALSE(IndexWriter(db_.string()).find_by_id("raport")->places.at(0).unknown);
  EXPECT_EQ(stats()["unknown_places"], json::object());
}

TEST_F(IndexerImport, MalformedManifestExitsTwoAndWritesNothing) {
  make_good_files();
  fs::path manifest = in_ / "manifest.csv";
  std::ofstream(manifest) << "source,title\nulotka.pdf,Ulotka\nraporty/raport_2012.pdf\n";
  CommandRun fresh = run_import("--manifest " + shell_quoted(manifest.string()));
  EXPECT_EQ(fresh.status, 2);
  EXPECT_NE(fresh.err.find("manifest.csv:3:"), std::string::npos) << fresh.err;
  EXPECT_FALSE(fs::exists(db_));

  ASSERT_EQ(run_import(shell_quoted((in_ / "ulotka.pdf").string())).status, 0);
  std::ofstream(manifest) << "source,year\nraporty/raport_2012.pdf,12\n";
  CommandRun existing = run_import("--manifest " + shell_quoted(manifest.string()) + " " +
                                   shell_quoted(in_.string()));
  EXPECT_EQ(existing.status, 2);
  EXPECT_NE(existing.err.find("manifest.csv:2: column 2 (B) 'year'"), std::string::npos)
      << existing.err;
  EXPECT_EQ(stats()["items"], 1);
}

TEST_F(IndexerImport, UsageErrorsExitTwoAndCreateNothing) {
  make_good_files();
  EXPECT_EQ(run_import("--no-such-flag " + shell_quoted(in_.string())).status, 2);
  EXPECT_EQ(run_import(shell_quoted((in_ / "missing").string())).status, 2);
  EXPECT_EQ(run_import("").status, 2);
  EXPECT_EQ(index("import --config " + shell_quoted((root_ / "missing.toml").string()) + " --db " +
                  shell_quoted(db_.string()) + " " + shell_quoted(in_.string()))
                .status,
            2);
  std::ofstream(root_ / "bad.toml") << "[index\n";
  EXPECT_EQ(index("import --config " + shell_quoted((root_ / "bad.toml").string()) + " --db " +
                  shell_quoted(db_.string()) + " " + shell_quoted(in_.string()))
                .status,
            2);
  EXPECT_EQ(index("frobnicate").status, 2);
  EXPECT_FALSE(fs::exists(db_));
}

TEST_F(IndexerImport, DryRunPlansAndWritesNothing) {
  make_good_files();
  CommandRun run = run_import("--dry-run " + shell_quoted(in_.string()));
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_NE(run.out.find("imported"), std::string::npos) << run.out;
  EXPECT_FALSE(fs::exists(db_));
}

TEST_F(IndexerImport, ParallelJobsGiveTheSameResult) {
  make_good_files();
  for (int i = 0; i < 6; ++i) {
    make_pdf(in_ / ("extra_" + std::to_string(i) + ".pdf"), "Extra " + std::to_string(i), "tekst");
  }
  std::ofstream(in_ / "empty.pdf", std::ios::binary);
  CommandRun run = run_import("--jobs 3 --quiet " + shell_quoted(in_.string()));
  EXPECT_EQ(run.status, 1);
  json result = report();
  EXPECT_EQ(result["imported"], 8);
  EXPECT_EQ(result["failed"], 1);
  EXPECT_EQ(result["items"][0]["source"].get<std::string>().find(in_.string()), 0u);
  EXPECT_EQ(run.err.find("imported 8"), std::string::npos) << "--quiet prints no summary";
  EXPECT_EQ(stats()["items"], 8);
}

// The report is written as the run goes (a large archive's would not fit in memory): with
// several reading threads it still lists every source once, in order, failures among them.
TEST_F(IndexerImport, TheReportListsEverySourceInOrderFailuresIncluded) {
  make_pdf(root_ / "model.pdf", "Wzór", "Pomoc społeczna");
  const std::string good = read_file(root_ / "model.pdf");
  std::vector<std::string> names;
  for (int i = 0; i < 24; ++i) {
    names.push_back("plik_" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ".pdf");
    std::ofstream out(in_ / names.back(), std::ios::binary);
    if (i % 3 != 1) out << good;  // every third file is empty, and fails
  }
  CommandRun run = run_import("--jobs 2 " + shell_quoted(in_.string()));
  EXPECT_EQ(run.status, 1) << run.err;
  json result = report();
  EXPECT_EQ(result["imported"], 16);
  EXPECT_EQ(result["failed"], 8);
  ASSERT_EQ(result["items"].size(), names.size());
  std::size_t last_failure_line = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const json& item = result["items"][i];
    EXPECT_EQ(item["source"], (in_ / names[i]).string());
    if (i % 3 != 1) {
      EXPECT_EQ(item["status"], "imported") << item;
      continue;
    }
    EXPECT_EQ(item["status"], "failed") << item;
    EXPECT_TRUE(item["error"].is_string()) << item;
    const std::size_t line = run.err.find("FAILED " + (in_ / names[i]).string() + ": ");
    ASSERT_NE(line, std::string::npos) << run.err;
    EXPECT_GT(line + 1, last_failure_line) << "failures are printed in source order";
    last_failure_line = line + 1;
  }
}

TEST_F(IndexerImport, PruneRemovesItemsWhoseFileIsGone) {
  make_good_files();
  ASSERT_EQ(run_import(shell_quoted(in_.string())).status, 0);
  std::string id = entry_for(report(), "ulotka.pdf")->at("id");
  fs::remove(in_ / "ulotka.pdf");

  ASSERT_EQ(run_import(shell_quoted(in_.string())).status, 0);
  EXPECT_EQ(stats()["items"], 2) << "without --prune nothing is removed";

  ASSERT_EQ(run_import("--prune " + shell_quoted(in_.string())).status, 0);
  json pruned = report();
  EXPECT_EQ(pruned["removed"], 1);
  EXPECT_EQ(entry_for(pruned, "ulotka.pdf")->at("id"), id);
  EXPECT_EQ(stats()["items"], 1);
}

TEST_F(IndexerImport, RemoveAndStats) {
  make_good_files();
  ASSERT_EQ(run_import(shell_quoted(in_.string())).status, 0);
  std::string id = report()["items"][0]["id"];

  CommandRun unknown = index("remove --db " + shell_quoted(db_.string()) + " no-such-id");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("no-such-id"), std::string::npos);

  CommandRun removed = index("remove --db " + shell_quoted(db_.string()) + " " + id);
  EXPECT_EQ(removed.status, 0) << removed.err;
  json counts = stats();
  EXPECT_EQ(counts["items"], 1);
  for (const char* key : {"by_type", "by_campaign", "by_year"}) {
    EXPECT_TRUE(counts[key].is_object()) << key;
  }
  EXPECT_EQ(counts["failed_sources"], 0);

  CommandRun table = index("stats --db " + shell_quoted(db_.string()));
  EXPECT_EQ(table.status, 0);
  EXPECT_NE(table.out.find("publication"), std::string::npos) << table.out;
}

TEST_F(IndexerImport, CoversAreRenderedAtImportAndGoWithTheirItems) {
  make_good_files();
  ASSERT_EQ(run_import(shell_quoted(in_.string())).status, 0);
  json imported = report();
  const fs::path thumbs = db_.string() + "-thumbs";
  const std::string report_id = entry_for(imported, "raport_2012.pdf")->at("id");
  const std::string leaflet_id = entry_for(imported, "ulotka.pdf")->at("id");
  for (const std::string& id : {report_id, leaflet_id}) {
    std::string png = read_file(thumbs / (id + ".png"));
    ASSERT_GT(png.size(), 8u) << id;
    EXPECT_EQ(png.substr(1, 3), "PNG") << id;
  }
  for (const auto& entry : fs::directory_iterator(thumbs)) {
    EXPECT_EQ(entry.path().filename().string().rfind(".pending", 0), std::string::npos)
        << entry.path();
  }

  ASSERT_EQ(index("remove --config " + shell_quoted(kConfig) + " --db " +
                  shell_quoted(db_.string()) + " " + report_id)
                .status,
            0);
  EXPECT_FALSE(fs::exists(thumbs / (report_id + ".png")));
  fs::remove(in_ / "ulotka.pdf");
  ASSERT_EQ(run_import("--prune " + shell_quoted(in_.string())).status, 0);
  EXPECT_EQ(report()["removed"], 1);
  EXPECT_FALSE(fs::exists(thumbs / (leaflet_id + ".png")));
}

// A source that fails after its cover was rendered (here: a manifest gives it an id another
// source holds) leaves no cover behind, published or half-made.
TEST_F(IndexerImport, ASourceFailingAfterItsCoverLeavesNoCover) {
  make_good_files();
  fs::path first = in_ / "first.csv";
  std::ofstream(first) << "id,source\nwspolny,raporty/raport_2012.pdf\n";
  ASSERT_EQ(run_import("--manifest " + shell_quoted(first.string())).status, 0);

  fs::path second = in_ / "second.csv";
  std::ofstream(second) << "id,source\nwspolny,ulotka.pdf\n";
  CommandRun run = run_import("--manifest " + shell_quoted(second.string()));
  EXPECT_EQ(run.status, 1) << run.err;
  json result = report();
  EXPECT_EQ(result["failed"], 1);
  const json* leaflet = entry_for(result, "ulotka.pdf");
  ASSERT_NE(leaflet, nullptr);
  EXPECT_EQ(leaflet->at("status"), "failed");
  EXPECT_NE(leaflet->at("error").get<std::string>().find("already belongs"), std::string::npos)
      << *leaflet;

  const fs::path thumbs = db_.string() + "-thumbs";
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(thumbs)) {
    files.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(files, std::vector<std::string>{"wspolny.png"});
}

TEST_F(IndexerImport, ACoverThatCrashesTheWorkerIsOnlyAWarning) {
  make_good_files();
  setenv("MEDIATEKA_TEST_WORKER_FAULT", "cover-crash:ulotka", 1);
  CommandRun run = run_import(shell_quoted(in_.string()));
  unsetenv("MEDIATEKA_TEST_WORKER_FAULT");
  EXPECT_EQ(run.status, 0) << run.err;
  json result = report();
  EXPECT_EQ(result["imported"], 2);
  const json* leaflet = entry_for(result, "ulotka.pdf");
  ASSERT_NE(leaflet, nullptr);
  ASSERT_TRUE(leaflet->contains("warnings")) << *leaflet;
  EXPECT_NE(leaflet->at("warnings").dump().find("no cover: extractor crashed"), std::string::npos)
      << *leaflet;
  const fs::path thumbs = db_.string() + "-thumbs";
  EXPECT_FALSE(fs::exists(thumbs / (leaflet->at("id").get<std::string>() + ".png")));
  EXPECT_TRUE(fs::exists(
      thumbs / (entry_for(result, "raport_2012.pdf")->at("id").get<std::string>() + ".png")));
  std::optional<Item> item =
      IndexWriter(db_.string()).find_by_id(leaflet->at("id").get<std::string>());
  ASSERT_TRUE(item);
  EXPECT_EQ(item->pages, 1);
}

TEST_F(IndexerImport, WithoutATerminalProgressIsPlainLinesAndTheSummaryStays) {
  make_good_files();
  CommandRun run = run_import(shell_quoted(in_.string()));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err.find('\r'), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("mediateka-index: 2/2 files, "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(", 0 failed\nimported 2, updated 0, unchanged 0, failed 0\n"),
            std::string::npos)
      << run.err;
  CommandRun quiet = run_import("--quiet " + shell_quoted(in_.string()));
  EXPECT_EQ(quiet.err, "");
}

TEST_F(IndexerImport, MetadataRemovedFromTheManifestIsNoticed) {
  make_good_files();
  fs::path manifest = in_ / "manifest.csv";
  std::ofstream(manifest) << "source,title,description,campaign\n"
                             "ulotka.pdf,Ulotka o wolontariacie,Opis z manifestu,Wolontariusze\n";
  ASSERT_EQ(run_import("--manifest " + shell_quoted(manifest.string())).status, 0);
  const std::string id = report()["items"][0]["id"];
  std::optional<Item> item = IndexWriter(db_.string()).find_by_id(id);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->description, "Opis z manifestu");
  EXPECT_EQ(item->campaigns, std::vector<std::string>{"Wolontariat"});
  EXPECT_EQ(item->source.metadata_fingerprint.size(), 32u);

  ASSERT_EQ(run_import("--manifest " + shell_quoted(manifest.string())).status, 0);
  EXPECT_EQ(report()["unchanged"], 1) << "the same row: nothing to do";

  // The description and the campaign are taken out of the row; the file did not change.
  std::ofstream(manifest) << "source,title,description,campaign\n"
                             "ulotka.pdf,Ulotka o wolontariacie,,\n";
  ASSERT_EQ(run_import("--manifest " + shell_quoted(manifest.string())).status, 0);
  json changed = report();
  EXPECT_EQ(changed["updated"], 1) << changed;
  EXPECT_EQ(changed["items"][0]["id"], id);
  item = IndexWriter(db_.string()).find_by_id(id);
  ASSERT_TRUE(item);
  EXPECT_NE(item->description, "Opis z manifestu");  // the PDF's own subject, if any
  EXPECT_TRUE(item->campaigns.empty());
  EXPECT_EQ(item->title, "Ulotka o wolontariacie");

  // Imported again without the manifest: the row has no say, the item keeps its metadata.
  ASSERT_EQ(run_import(shell_quoted((in_ / "ulotka.pdf").string())).status, 0);
  EXPECT_EQ(report()["unchanged"], 1);
  EXPECT_EQ(IndexWriter(db_.string()).find_by_id(id)->title, "Ulotka o wolontariacie");
}

// A schema upgrade means a new index: --names-from carries every link over to it.
TEST_F(IndexerImport, AnIndexRebuiltWithNamesFromTheOldOneKeepsEveryLink) {
  make_pdf(in_ / "b.pdf", "Raport", "Pomoc społeczna");
  make_pdf(in_ / "a.pdf", "Raport", "Ekonomia społeczna");
  make_pdf(in_ / "raporty" / "c.pdf", "Poradnik", "Wolontariat");
  // Imported one by one, b before a: b gets the plain slug, which a rebuild in folder order
  // would give to a.
  for (const char* file : {"b.pdf", "a.pdf", "raporty/c.pdf"}) {
    ASSERT_EQ(run_import(shell_quoted((in_ / file).string())).status, 0);
  }
  std::map<std::string, std::pair<std::string, std::string>> before;  // file → id, slug
  {
    IndexWriter old_index(db_.string());
    for (const char* file : {"b.pdf", "a.pdf", "raporty/c.pdf"}) {
      std::optional<Item> item = old_index.find_by_source((in_ / file).string());
      ASSERT_TRUE(item) << file;
      before[file] = {item->id, item->slug};
    }
  }
  ASSERT_EQ(before["b.pdf"].second, "raport");
  ASSERT_EQ(before["a.pdf"].second, "raport-2");
  {  // as an older version of the program would have left it
    Xapian::WritableDatabase old_index(mediateka::public_database(db_.string()), Xapian::DB_OPEN);
    old_index.set_metadata("mediateka:schema", "1");
    old_index.commit();
  }
  CommandRun refused = run_import(shell_quoted(in_.string()));
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("--names-from " + db_.string()), std::string::npos) << refused.err;

  fs::rename(in_ / "raporty" / "c.pdf", in_ / "c-przeniesiony.pdf");
  // New, and first in folder order: it must take no slug the earlier index gave.
  make_pdf(in_ / "0-nowy.pdf", "Raport", "Rodzina");
  const fs::path rebuilt = root_ / "db-new";
  CommandRun missing =
      index("import --config " + shell_quoted(kConfig) + " --db " + shell_quoted(rebuilt.string()) +
            " --names-from " + shell_quoted((root_ / "no-such-index").string()) + " " +
            shell_quoted(in_.string()));
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("no-such-index"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(rebuilt));

  CommandRun run =
      index("import --config " + shell_quoted(kConfig) + " --db " + shell_quoted(rebuilt.string()) +
            " --names-from " + shell_quoted(db_.string()) + " " + shell_quoted(in_.string()));
  ASSERT_EQ(run.status, 0) << run.err;
  IndexWriter index_now(rebuilt.string());
  EXPECT_EQ(index_now.stats().items, 4u);
  for (const auto& [file, names] : before) {
    const std::string now_at = file == "raporty/c.pdf" ? "c-przeniesiony.pdf" : file;
    std::optional<Item> item = index_now.find_by_source((in_ / now_at).string());
    ASSERT_TRUE(item) << now_at;
    EXPECT_EQ(item->id, names.first) << now_at;
    EXPECT_EQ(item->slug, names.second) << now_at;
  }
  std::optional<Item> added = index_now.find_by_source((in_ / "0-nowy.pdf").string());
  ASSERT_TRUE(added);
  EXPECT_EQ(added->slug, "raport-3");
}
