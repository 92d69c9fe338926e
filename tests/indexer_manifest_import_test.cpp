// mediateka-index with the librarian's manifests, end to end: Polish Excel's Windows-1250 and
// ';', rows that change only what they name (access above all), the report's old → new, a dry
// run that predicts the import, and `replaces`, which keeps an item's id, slug and links.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "archive/index_writer.h"
#include "test_files.h"

namespace fs = std::filesystem;
using mediateka::IndexWriter;
using mediateka::Item;
using mediateka::test::read_file;
using nlohmann::json;

namespace {

const std::string kConfig = MEDIATEKA_SOURCE_DIR "/config/mediateka.toml";

std::string quoted(const std::string& text) {
  std::string result = "'";
  for (char c : text) result += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return result + "'";
}

// `utf8` in Windows-1250: ASCII and the Polish letters, as Polish Excel saves a CSV.
std::string to_windows1250(const std::string& utf8) {
  static const std::pair<const char*, char> kLetters[] = {
      {"ą", '\xB9'}, {"ć", '\xE6'}, {"ę", '\xEA'}, {"ł", '\xB3'}, {"ń", '\xF1'}, {"ó", '\xF3'},
      {"ś", '\x9C'}, {"ź", '\x9F'}, {"ż", '\xBF'}, {"Ą", '\xA5'}, {"Ć", '\xC6'}, {"Ę", '\xCA'},
      {"Ł", '\xA3'}, {"Ń", '\xD1'}, {"Ó", '\xD3'}, {"Ś", '\x8C'}, {"Ź", '\x8F'}, {"Ż", '\xAF'}};
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    if (static_cast<unsigned char>(utf8[i]) < 0x80) {
      out += utf8[i++];
      continue;
    }
    bool found = false;
    for (const auto& [letter, byte] : kLetters) {
      const std::string_view text(letter);
      if (utf8.compare(i, text.size(), text) == 0) {
        out += byte;
        i += text.size();
        found = true;
        break;
      }
    }
    if (!found) throw std::invalid_argument("not a Polish letter at byte " + std::to_string(i));
  }
  return out;
}

void make_pdf(const fs::path& file, const std::string& title, const std::string& text) {
  const std::string script =
      "import sys\n"
      "from reportlab.pdfgen import canvas\n"
      "c = canvas.Canvas(sys.argv[1])\n"
      "c.setTitle(sys.argv[2])\n"
      "c.drawString(72, 720, sys.argv[3])\n"
      "c.showPage()\n"
      "c.save()\n";
  const std::string command = "/usr/bin/python3 -c " + quoted(script) + " " +
                              quoted(file.string()) + " " + quoted(title) + " " + quoted(text);
  ASSERT_EQ(std::system(command.c_str()), 0) << "needs python3-reportlab";
}

struct CommandRun {
  int status = -1;
  std::string out, err;
};

class ManifestImport : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = folder_.path() / "in";
    db_ = folder_.path() / "db";
    manifest_ = in_ / "lista.csv";
    fs::create_directories(in_);
  }

  // mediateka-index with `arguments` (shell-quoted where needed).
  CommandRun index(const std::string& arguments) {
    const fs::path out = folder_.path() / "stdout", err = folder_.path() / "stderr";
    const std::string command = std::string(MEDIATEKA_INDEX_BIN) + " " + arguments + " >" +
                                quoted(out.string()) + " 2>" + quoted(err.string());
    const int status = std::system(command.c_str());
    CommandRun run;
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = read_file(out);
    run.err = read_file(err);
    return run;
  }
  // mediateka-index import with `arguments`, its report in report.json.
  CommandRun import(const std::string& arguments) {
    return index("import --config " + quoted(kConfig) + " --db " + quoted(db_.string()) +
                 " --report " + quoted((folder_.path() / "report.json").string()) + " " +
                 arguments);
  }
  CommandRun import_manifest(const std::string& extra = "") {
    return import(extra + " --manifest " + quoted(manifest_.string()));
  }
  json report() { return json::parse(read_file(folder_.path() / "report.json")); }

  void write_manifest(const std::string& bytes) {
    std::ofstream(manifest_, std::ios::binary | std::ios::trunc) << bytes;
  }
  Item item(const std::string& id) {
    std::optional<Item> found = IndexWriter(db_.string()).find_by_id(id);
    EXPECT_TRUE(found) << id;
    return found.value_or(Item{});
  }

  // The parts of a report's items that a dry run must predict: all but what only reading the
  // file tells (warnings, pages read by OCR or repaired).
  static json predicted(const json& report) {
    json items = json::array();
    for (const json& item : report["items"]) {
      json copy = item;
      for (const char* read_from_file : {"warnings", "ocr_pages", "repaired_pages"})
        copy.erase(read_from_file);
      items.push_back(copy);
    }
    return items;
  }

  mediateka::test::TemporaryFolder folder_{"mediateka-manifest-",
                                           mediateka::test::FolderPath::canonical};
  fs::path in_, db_;
  fs::path manifest_;
};

const std::string kTitleA = "Zażółć gęślą jaźń";
const std::string kTitleB = "Łódź; Śląsk i Żywiec";
const std::string kTitleC = "ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż";

}  // namespace

TEST_F(ManifestImport, PolishExcelManifestImportsAndItsDryRunPredictsTheImport) {
  make_pdf(in_ / "a.pdf", "Plik A", "Pomoc społeczna");
  make_pdf(in_ / "b.pdf", "Plik B", "Wolontariat");
  make_pdf(in_ / "c.pdf", "Plik C", "Ekonomia społeczna");
  write_manifest(
      to_windows1250("id;source;title;campaign;year;access\r\n"
                     "raport-a;a.pdf;" +
                     kTitleA +
                     ";Aktywna integracja;2012;\r\n"
                     "raport-b;b.pdf;\"" +
                     kTitleB +
                     "\";\"Wolontariat;Aktywna integracja\";2013;partnerzy-rops\r\n"
                     "raport-c;c.pdf;" +
                     kTitleC + ";;2014;public\r\n"));

  const CommandRun dry = import_manifest("--dry-run");
  ASSERT_EQ(dry.status, 0) << dry.err;
  EXPECT_FALSE(fs::exists(db_));
  const json planned = report();
  const CommandRun run = import_manifest();
  ASSERT_EQ(run.status, 0) << run.err;
  const json done = report();
  EXPECT_EQ(predicted(planned), predicted(done));
  EXPECT_EQ(done["imported"], 3);
  EXPECT_EQ(planned["imported"], 3);

  EXPECT_EQ(item("raport-a").title, kTitleA);
  EXPECT_EQ(item("raport-b").title, kTitleB);
  EXPECT_EQ(item("raport-c").title, kTitleC);
  EXPECT_EQ(item("raport-b").campaigns,
            (std::vector<std::string>{"Wolontariat", "Aktywna integracja"}));
  EXPECT_EQ(item("raport-b").access, std::vector<std::string>{"partnerzy-rops"});
  EXPECT_TRUE(item("raport-a").access.empty());
  EXPECT_EQ(item("raport-a").slug, "zazolc-gesla-jazn");

  // The librarian edits the sheet: new titles, A restricted, B opened, C's year.
  write_manifest(
      to_windows1250("id;source;title;campaign;year;access\r\n"
                     "raport-a;a.pdf;Żółte źdźbła;Aktywna integracja;2012;partnerzy-rops\r\n"
                     "raport-b;b.pdf;\"" +
                     kTitleB +
                     "\";\"Wolontariat;Aktywna integracja\";2013;public\r\n"
                     "raport-c;c.pdf;" +
                     kTitleC + ";;2015;\r\n"));
  const CommandRun dry_again = import_manifest("--dry-run");
  ASSERT_EQ(dry_again.status, 0) << dry_again.err;
  const json planned_again = report();
  EXPECT_NE(dry_again.out.find("\ttitle: " + kTitleA + " → Żółte źdźbła\n"), std::string::npos)
      << dry_again.out;
  EXPECT_NE(dry_again.out.find("\taccess: partnerzy-rops → public\n"), std::string::npos)
      << dry_again.out;
  EXPECT_NE(dry_again.err.find("access changed 2 (dry run)"), std::string::npos) << dry_again.err;
  EXPECT_EQ(item("raport-a").title, kTitleA) << "a dry run writes nothing";

  const CommandRun again = import_manifest();
  ASSERT_EQ(again.status, 0) << again.err;
  const json done_again = report();
  EXPECT_EQ(predicted(planned_again), predicted(done_again));
  EXPECT_EQ(done_again["updated"], 3);
  EXPECT_EQ(done_again["access_changes"], 2);
  EXPECT_NE(again.err.find("updated 3, unchanged 0, failed 0, access changed 2"), std::string::npos)
      << again.err;
  const json expected_a = json::parse(R"([
      {"field": "title", "old": "Zażółć gęślą jaźń", "new": "Żółte źdźbła"},
      {"field": "access", "old": "public", "new": "partnerzy-rops"}])");
  EXPECT_EQ(done_again["items"][0]["changes"], expected_a) << done_again.dump(2);
  EXPECT_EQ(done_again["items"][2]["changes"],
            json::parse(R"([{"field": "year", "old": "2014", "new": "2015"}])"));
  EXPECT_EQ(item("raport-a").access, std::vector<std::string>{"partnerzy-rops"});
  EXPECT_EQ(item("raport-a").slug, "zazolc-gesla-jazn") << "slugs never change";
  EXPECT_TRUE(item("raport-b").access.empty());
}

TEST_F(ManifestImport, ATitleOnlyManifestChangesOnlyTitlesAndAccessOnlyWhenNamed) {
  make_pdf(in_ / "raport.pdf", "Raport", "Pomoc społeczna");
  write_manifest(
      "id,source,title,campaign,year,project,description,access\n"
      "raport,raport.pdf,Raport roczny,Aktywna integracja,2012,Razem,Opis z "
      "listy,partnerzy-rops\n");
  ASSERT_EQ(import_manifest().status, 0);

  write_manifest("source,title\nraport.pdf,Raport roczny 2012\n");
  const CommandRun retitled = import_manifest();
  ASSERT_EQ(retitled.status, 0) << retitled.err;
  EXPECT_EQ(report()["items"][0]["changes"],
            json::parse(R"([{"field": "title", "old": "Raport roczny",
                             "new": "Raport roczny 2012"}])"));
  EXPECT_EQ(report()["access_changes"], 0);
  Item kept = item("raport");
  EXPECT_EQ(kept.title, "Raport roczny 2012");
  EXPECT_EQ(kept.campaigns, std::vector<std::string>{"Aktywna integracja"});
  EXPECT_EQ(kept.year, 2012);
  EXPECT_EQ(kept.project, "Razem");
  EXPECT_EQ(kept.description, "Opis z listy");
  EXPECT_EQ(kept.access, std::vector<std::string>{"partnerzy-rops"});

  // An empty access cell leaves access alone; an empty project cell clears the project.
  write_manifest("source,project,access\nraport.pdf,,\n");
  ASSERT_EQ(import_manifest().status, 0);
  EXPECT_EQ(item("raport").access, std::vector<std::string>{"partnerzy-rops"});
  EXPECT_EQ(item("raport").project, "");
  EXPECT_EQ(item("raport").title, "Raport roczny 2012");

  // Imported without a manifest after the file changed: nothing named, nothing opened.
  make_pdf(in_ / "raport.pdf", "Raport (poprawiony)", "Pomoc społeczna i wolontariat");
  ASSERT_EQ(import(quoted((in_ / "raport.pdf").string())).status, 0);
  EXPECT_EQ(report()["updated"], 1);
  EXPECT_EQ(item("raport").access, std::vector<std::string>{"partnerzy-rops"});
  EXPECT_EQ(item("raport").title, "Raport roczny 2012");

  // Only `public` opens it.
  write_manifest("source,access\nraport.pdf,public\n");
  const CommandRun opened = import_manifest();
  ASSERT_EQ(opened.status, 0) << opened.err;
  EXPECT_NE(opened.err.find("access changed 1"), std::string::npos) << opened.err;
  EXPECT_EQ(report()["items"][0]["changes"],
            json::parse(R"([{"field": "access", "old": "partnerzy-rops", "new": "public"}])"));
  EXPECT_TRUE(item("raport").access.empty());
  EXPECT_EQ(item("raport").year, 2012);

  // `remove` says what stops answering.
  const CommandRun removed = index("remove --db " + quoted(db_.string()) + " raport");
  EXPECT_EQ(removed.status, 0) << removed.err;
  EXPECT_NE(removed.err.find("warning: raport: its public page /i/raport-roczny"),
            std::string::npos)
      << removed.err;
}

TEST_F(ManifestImport, ReplacesKeepsIdSlugAndLinksAndIsNoRemoval) {
  fs::create_directories(in_ / "audycje");
  make_pdf(in_ / "audycje" / "stara.pdf", "Audycja", "Przemoc domowa pierwsza wersja");
  write_manifest(
      "source,title,campaign,access\n"
      "audycje/stara.pdf,Przemoc domowa: gdzie szukać pomocy,Aktywna integracja,\n");
  ASSERT_EQ(import_manifest().status, 0);
  const std::string id = report()["items"][0]["id"];
  const Item before = item(id);
  ASSERT_EQ(before.slug, "przemoc-domowa-gdzie-szukac-pomocy");

  // A better file under a new name takes the item over, named by its slug (the address bar's).
  fs::remove(in_ / "audycje" / "stara.pdf");
  make_pdf(in_ / "audycje" / "nowa-lepsza.pdf", "Inny tytuł pliku", "Przemoc domowa lepsza wersja");
  write_manifest("source,replaces\naudycje/nowa-lepsza.pdf," + before.slug + "\n");
  const CommandRun dry = import_manifest("--prune --dry-run");
  ASSERT_EQ(dry.status, 0) << dry.err;
  EXPECT_EQ(report()["removed"], 0) << report().dump(2);
  EXPECT_NE(dry.out.find("updated\t" + (in_ / "audycje" / "nowa-lepsza.pdf").string() + "\t" + id +
                         "\n\ttakes over " + id),
            std::string::npos)
      << dry.out;
  const json planned = report();

  const CommandRun run = import_manifest("--prune");
  ASSERT_EQ(run.status, 0) << run.err;
  const json done = report();
  EXPECT_EQ(predicted(planned), predicted(done));
  EXPECT_EQ(done["removed"], 0);
  EXPECT_EQ(done["updated"], 1);
  EXPECT_EQ(done["items"][0]["id"], id);
  EXPECT_EQ(done["items"][0]["took_over"], id + " (was " + before.source.file + ")");
  EXPECT_EQ(done["items"][0]["changes"],
            json::parse(R"([{"field": "source", "old": "audycje/stara.pdf",
                             "new": "audycje/nowa-lepsza.pdf"}])"));
  EXPECT_EQ(run.err.find("removed"), std::string::npos) << run.err;
  const Item after = item(id);
  EXPECT_EQ(after.slug, before.slug);
  EXPECT_EQ(after.title, before.title) << "no title column: the title stays";
  EXPECT_EQ(after.campaigns, before.campaigns);
  EXPECT_EQ(after.source.path, "audycje/nowa-lepsza.pdf");
  EXPECT_NE(after.source.checksum, before.source.checksum);
  EXPECT_EQ(IndexWriter(db_.string()).stats().items, 1u);

  // The same row again: nothing to do.
  ASSERT_EQ(import_manifest("--prune").status, 0);
  EXPECT_EQ(report()["unchanged"], 1);

  // Its file gone, --prune removes it, and says what stops answering.
  fs::remove(in_ / "audycje" / "nowa-lepsza.pdf");
  write_manifest("source\n");
  const CommandRun pruned = import(" --prune " + quoted(in_.string()));
  ASSERT_EQ(pruned.status, 0) << pruned.err;
  EXPECT_EQ(report()["removed"], 1);
  EXPECT_NE(pruned.err.find("its public page /i/" + before.slug), std::string::npos) << pruned.err;
  EXPECT_NE(report()["items"][0]["warnings"].dump().find("'replaces'"), std::string::npos);
}

TEST_F(ManifestImport, AFailureOfTheRowIsTriedAgainWhenTheRowChanges) {
  make_pdf(in_ / "nowy.pdf", "Nowy", "Treść");
  write_manifest("source,replaces\nnowy.pdf,nie-ma-takiego\n");
  const CommandRun first = import_manifest();
  EXPECT_EQ(first.status, 1);
  EXPECT_NE(first.err.find("no item has the id or slug 'nie-ma-takiego'"), std::string::npos)
      << first.err;
  const CommandRun same = import_manifest();
  EXPECT_EQ(same.status, 1);
  EXPECT_NE(same.err.find("failed before and unchanged since"), std::string::npos) << same.err;

  write_manifest("source,title\nnowy.pdf,Nowy materiał\n");
  const CommandRun fixed = import_manifest();
  ASSERT_EQ(fixed.status, 0) << fixed.err;
  EXPECT_EQ(report()["imported"], 1);
  EXPECT_EQ(IndexWriter(db_.string()).failures().size(), 0u);
}

TEST_F(ManifestImport, BadCellsStopTheImportWithEveryLineAndColumn) {
  make_pdf(in_ / "a.pdf", "A", "Treść");
  write_manifest(
      to_windows1250("source;title;year;access\r\n"
                     "a.pdf;Żółw;12;\r\n"
                     "b.pdf;Łoś;2012;zła grupa\r\n"));
  for (const char* mode : {"--dry-run", ""}) {
    const CommandRun run = import_manifest(mode);
    EXPECT_EQ(run.status, 2) << mode;
    EXPECT_NE(run.err.find("lista.csv:2: column 3 (C) 'year': '12' is not a 4-digit year"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("lista.csv:3: column 4 (D) 'access': 'zła grupa'"), std::string::npos)
        << run.err;
  }
  EXPECT_FALSE(fs::exists(db_));
}
