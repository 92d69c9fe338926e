// mediateka-index as a librarian uses it day to day (docs/indexer.md): finding, showing and
// removing items by id or slug, the history of imports, `stats` saying what waits for a fix,
// where the configuration comes from, and tokens that could never work. The real binary, on
// small generated archives.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "archive/config.h"
#include "archive/index_writer.h"
#include "archive/text/analyzer.h"
#include "test_files.h"

namespace fs = std::filesystem;
using mediateka::test::read_file;
using mediateka::test::TemporaryFolder;
using mediateka::test::write_file;
using nlohmann::json;

namespace {

const std::string kConfig = MEDIATEKA_SOURCE_DIR "/config/mediateka.toml";

struct CommandRun {
  int status = -1;
  std::string out, err;
};

std::string quoted(const std::string& text) {
  std::string result = "'";
  for (char c : text) result += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return result + "'";
}

void make_pdf(const fs::path& file, const std::string& title, const std::string& text,
              bool locked = false) {
  const std::string script =
      "import sys\n"
      "from reportlab.pdfgen import canvas\n"
      "c = canvas.Canvas(sys.argv[1], encrypt=('secret' if sys.argv[4] == '1' else None))\n"
      "c.setTitle(sys.argv[2])\n"
      "c.drawString(72, 720, sys.argv[3])\n"
      "c.showPage()\n"
      "c.save()\n";
  fs::create_directories(file.parent_path());
  const std::string command = "/usr/bin/python3 -c " + quoted(script) + " " +
                              quoted(file.string()) + " " + quoted(title) + " " + quoted(text) +
                              " " + (locked ? "1" : "0");
  ASSERT_EQ(std::system(command.c_str()), 0) << "needs python3-reportlab";
}

class Librarian : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = folder_.path() / "zbiory";
    db_ = folder_.path() / "indeks";
    work_ = folder_.path() / "praca";
    fs::create_directories(work_);
  }

  // Runs mediateka-index in `work_` (no config/ there), with $MEDIATEKA_CONFIG unset unless
  // `environment` sets it, and USER=bibliotekarka.
  CommandRun index(const std::string& arguments, const std::string& environment = "") {
    const fs::path out = folder_.path() / "stdout", err = folder_.path() / "stderr";
    const std::string command = "cd " + quoted(work_.string()) +
                                " && env -u MEDIATEKA_CONFIG USER=bibliotekarka " + environment +
                                " " + MEDIATEKA_INDEX_BIN + " " + arguments + " >" +
                                quoted(out.string()) + " 2>" + quoted(err.string());
    const int status = std::system(command.c_str());
    CommandRun run;
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = read_file(out);
    run.err = read_file(err);
    return run;
  }
  // The same with the repository's configuration and this test's index.
  CommandRun indexed(const std::string& arguments) {
    return index(arguments + " --config " + quoted(kConfig) + " --db " + quoted(db_.string()));
  }

  // Two publications, one restricted to a group, and a locked PDF that cannot be read.
  void make_archive() {
    make_pdf(in_ / "przemoc.pdf", "Przemoc domowa", "Gdzie szukać pomocy w gminie.");
    make_pdf(in_ / "raport.pdf", "Raport", "Ubóstwo dzieci na Mazowszu w liczbach.");
    make_pdf(in_ / "zamkniety.pdf", "Zamknięty", "Nie do odczytania.", /*locked=*/true);
    write_file(in_ / "manifest.csv",
               "source,title,campaign,year,places,access\n"
               "przemoc.pdf,Przemoc domowa – gdzie szukać pomocy,Wspieranie rodziny,2019,"
               "powiat wyszkowski,\n"
               "raport.pdf,Raport o ubóstwie dzieci,Kampania Zapomniana,2021,Atlantyda,"
               "zarzad\n"
               "zamkniety.pdf,Zamknięty raport,,2020,,\n");
  }
  CommandRun import_archive() {
    return indexed("import --quiet --manifest " + quoted((in_ / "manifest.csv").string()));
  }

  TemporaryFolder folder_{"mediateka-librarian-"};
  fs::path in_, db_, work_;
};

TEST_F(Librarian, FindListsTitlesInAnyFormRestrictedItemsIncluded) {
  make_archive();
  ASSERT_EQ(import_archive().status, 1);  // the locked PDF fails

  CommandRun found = indexed("find przemocy");  // an inflected form of a title's word
  ASSERT_EQ(found.status, 0) << found.err;
  EXPECT_NE(found.out.find("przemoc-domowa-gdzie-szukac-pomocy  Przemoc domowa – gdzie szukać "
                           "pomocy  2019\n"),
            std::string::npos)
      << found.out;
  EXPECT_EQ(found.out.find("Raport"), std::string::npos) << found.out;

  CommandRun restricted = indexed("find --json ubóstwa dzieci");
  ASSERT_EQ(restricted.status, 0) << restricted.err;
  const json list = json::parse(restricted.out);
  ASSERT_EQ(list.size(), 1u) << restricted.out;
  EXPECT_EQ(list[0]["title"], "Raport o ubóstwie dzieci");
  EXPECT_EQ(list[0]["year"], 2021);
  // A restricted item's slug is its title's and its id (docs/access.md, "Slugs").
  EXPECT_EQ(list[0]["id"].get<std::string>().size(), 12u);
  EXPECT_EQ(list[0]["slug"], "raport-o-ubostwie-dzieci-" + list[0]["id"].get<std::string>());

  // Words of the text but of no title find nothing.
  CommandRun text_only = indexed("find gminie");
  EXPECT_EQ(text_only.status, 0);
  EXPECT_EQ(text_only.out, "");
  EXPECT_NE(text_only.err.find("no title has every word of: gminie"), std::string::npos);
}

TEST_F(Librarian, ShowAndRemoveTakeAnIdOrASlug) {
  make_archive();
  ASSERT_EQ(import_archive().status, 1);

  CommandRun by_slug = indexed("show przemoc-domowa-gdzie-szukac-pomocy");
  ASSERT_EQ(by_slug.status, 0) << by_slug.err;
  const json item = json::parse(by_slug.out);
  EXPECT_EQ(item["title"], "Przemoc domowa – gdzie szukać pomocy");
  const std::string id = item["id"];
  CommandRun by_id = indexed("show " + id);
  ASSERT_EQ(by_id.status, 0) << by_id.err;
  EXPECT_EQ(by_id.out, by_slug.out);
  // A restricted item is shown too: the librarian sees everything.
  const json found = json::parse(indexed("find --json ubóstwa dzieci").out);
  ASSERT_EQ(found.size(), 1u);
  CommandRun restricted = indexed("show " + found[0]["slug"].get<std::string>());
  ASSERT_EQ(restricted.status, 0) << restricted.err;
  EXPECT_EQ(json::parse(restricted.out)["access"], json::array({"zarzad"}));

  CommandRun unknown = indexed("show nie-ma-takiego");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("unknown id or slug: nie-ma-takiego"), std::string::npos);

  CommandRun removed = indexed("remove przemoc-domowa-gdzie-szukac-pomocy nie-ma-takiego");
  EXPECT_EQ(removed.status, 1);
  EXPECT_EQ(removed.out, "removed " + id + "\n");
  EXPECT_NE(removed.err.find("unknown id or slug: nie-ma-takiego"), std::string::npos);
  EXPECT_EQ(indexed("show " + id).status, 1);
  EXPECT_EQ(indexed("find przemoc").out, "");
}

TEST_F(Librarian, EveryImportIsKeptWithItsFailuresAndStatsSaysWhatWaits) {
  make_archive();
  ASSERT_EQ(import_archive().status, 1);
  ASSERT_EQ(import_archive().status, 1);  // nothing changed; the locked PDF still fails
  // A dry run writes nothing, its report neither.
  ASSERT_EQ(
      indexed("import --dry-run --quiet --manifest " + quoted((in_ / "manifest.csv").string()))
          .status,
      1);

  CommandRun runs = indexed("runs");
  ASSERT_EQ(runs.status, 0) << runs.err;
  EXPECT_NE(runs.out.find("     1  "), std::string::npos) << runs.out;
  EXPECT_NE(runs.out.find("  bibliotekarka  imported 2, updated 0, unchanged 0, failed 1\n"),
            std::string::npos)
      << runs.out;
  EXPECT_NE(runs.out.find("     2  "), std::string::npos) << runs.out;
  EXPECT_NE(runs.out.find("imported 0, updated 0, unchanged 2, failed 1\n"), std::string::npos)
      << runs.out;
  EXPECT_EQ(runs.out.find("     3  "), std::string::npos) << runs.out;

  const json list = json::parse(indexed("runs --json").out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["run"], 1);
  EXPECT_EQ(list[0]["user"], "bibliotekarka");
  EXPECT_EQ(list[0]["imported"], 2);
  EXPECT_EQ(list[1]["unchanged"], 2);
  EXPECT_EQ(list[1]["failed"], 1);
  EXPECT_EQ(list[1]["started"].get<std::string>().size(), 20u);  // 2026-12-06T10:20:00Z

  // The file beside the index is what `runs show` prints.
  const fs::path file = db_ / "runs" / "000002.json";
  ASSERT_TRUE(fs::exists(file));
  CommandRun shown = indexed("runs show 2");
  ASSERT_EQ(shown.status, 0) << shown.err;
  EXPECT_EQ(shown.out, read_file(file));
  const json report = json::parse(shown.out);
  EXPECT_EQ(report["run"], 2);
  EXPECT_EQ(report["user"], "bibliotekarka");
  EXPECT_EQ(report["manifest"], fs::absolute(in_ / "manifest.csv").lexically_normal().string());
  EXPECT_EQ(report["unchanged"], 2);
  ASSERT_EQ(report["items"].size(), 1u) << report.dump(2);  // the unchanged ones are counted only
  EXPECT_EQ(report["items"][0]["status"], "failed");
  EXPECT_EQ(report["items"][0]["source"], (in_ / "zamkniety.pdf").string());
  EXPECT_FALSE(report["items"][0]["error"].get<std::string>().empty());
  EXPECT_EQ(json::parse(indexed("runs show 1").out)["items"].size(), 3u);
  CommandRun missing = indexed("runs show 7");
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("no run 7"), std::string::npos);

  // stats names the failed source and why, and the names no vocabulary knows.
  CommandRun stats = indexed("stats");
  ASSERT_EQ(stats.status, 0) << stats.err;
  const std::string error = report["items"][0]["error"];
  EXPECT_NE(stats.out.find("failed sources  1\n"), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("  " + fs::canonical(in_ / "zamkniety.pdf").string() + "\n"),
            std::string::npos)
      << stats.out;
  EXPECT_NE(stats.out.find(error.substr(0, 20)), std::string::npos) << stats.out;
  EXPECT_NE(stats.out.find("campaigns the configuration does not know (kept as written)\n"
                           "  Kampania Zapomniana  1\n"),
            std::string::npos)
      << stats.out;
  EXPECT_NE(stats.out.find("places the gazetteer does not know (kept as written, not published)\n"
                           "  Atlantyda  1\n"),
            std::string::npos)
      << stats.out;
  EXPECT_EQ(stats.out.find("Wspieranie rodziny  1\n  "), std::string::npos);
  const json stats_json = json::parse(indexed("stats --json").out);
  ASSERT_EQ(stats_json["failures"].size(), 1u);
  EXPECT_EQ(stats_json["failures"][0]["source"], fs::canonical(in_ / "zamkniety.pdf").string());
  EXPECT_FALSE(stats_json["failures"][0]["error"].get<std::string>().empty());
  EXPECT_EQ(stats_json["unknown_campaigns"], json({{"Kampania Zapomniana", 1}}));
  EXPECT_EQ(stats_json["unknown_places"], json({{"Atlantyda", 1}}));

  // While an import holds the index the failures wait; the rest is answered.
  const mediateka::IndexWriter writer(db_.string());
  CommandRun busy = indexed("stats");
  EXPECT_EQ(busy.status, 0) << busy.err;
  EXPECT_NE(busy.out.find("  (an import is running; ask again when it is done)\n"),
            std::string::npos)
      << busy.out;
  EXPECT_TRUE(json::parse(indexed("stats --json").out)["failures"].is_null());
  EXPECT_EQ(indexed("runs --json").status, 0);
}

TEST_F(Librarian, NoNewIndexInAPlaceNobodyNamed) {
  if (fs::exists(mediateka::kSystemConfig)) GTEST_SKIP() << mediateka::kSystemConfig << " exists";
  make_pdf(in_ / "a.pdf", "A", "Tekst.");
  CommandRun refused = index("import " + quoted(in_.string()));
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("no configuration file (looked for config/mediateka.toml, "
                             "$MEDIATEKA_CONFIG, /etc/mediateka/mediateka.toml); using built-in "
                             "defaults"),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("not making a new index at " + (work_ / "var/index").string()),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(work_ / "var"));
  // --db names the place.
  CommandRun named =
      index("import --quiet --db " + quoted(db_.string()) + " " + quoted(in_.string()));
  EXPECT_EQ(named.status, 0) << named.err;
  EXPECT_TRUE(fs::exists(db_));
  // stats of an index nobody named says where it looked instead of a silent "items 0".
  CommandRun stats = index("stats");
  EXPECT_EQ(stats.status, 0);
  EXPECT_NE(stats.err.find("there is no index at var/index (no configuration and no --db "
                           "named one)"),
            std::string::npos)
      << stats.err;
}

TEST_F(Librarian, ConfigurationFromTheVariableWhenTheFolderHasNone) {
  make_pdf(in_ / "a.pdf", "A", "Tekst.");
  const fs::path config = folder_.path() / "etc" / "mediateka.toml";
  write_file(config, "[index]\ndb = \"archiwum\"\n");
  CommandRun run = index("import " + quoted(in_.string()), "MEDIATEKA_CONFIG=" + quoted(config));
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.err.rfind("mediateka-index: info: configuration " + config.string() + "\n", 0), 0u)
      << run.err;
  EXPECT_TRUE(fs::exists(config.parent_path() / "archiwum"));  // relative to the file
  EXPECT_NE(index("stats", "MEDIATEKA_CONFIG=" + quoted(config)).out.find("items           1\n"),
            std::string::npos);

  // A variable naming no file is a mistake, not a reason to fall back.
  CommandRun missing = index("stats", "MEDIATEKA_CONFIG=/nie/ma/mediateka.toml");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("/nie/ma/mediateka.toml: no such configuration file (named by "
                             "$MEDIATEKA_CONFIG)"),
            std::string::npos)
      << missing.err;

  // config/mediateka.toml in the working folder comes first, as before.
  write_file(work_ / "config" / "mediateka.toml", "[index]\ndb = \"../lokalny\"\n");
  CommandRun local = index("stats", "MEDIATEKA_CONFIG=" + quoted(config));
  EXPECT_NE(local.err.find("mediateka-index: info: configuration config/mediateka.toml\n"),
            std::string::npos)
      << local.err;
  EXPECT_NE(local.err.find("there is no index at lokalny\n"),  // config/../lokalny
            std::string::npos)
      << local.err;
}

TEST(ConfigLookup, NamedThenLocalThenVariableThenSystem) {
  TemporaryFolder folder("mediateka-config-");
  const fs::path system = folder.path() / "system.toml";
  const fs::path variable = folder.path() / "variable.toml";
  const fs::path previous = fs::current_path();
  fs::current_path(folder.path());
  unsetenv("MEDIATEKA_CONFIG");
  EXPECT_EQ(mediateka::find_config("", system.string()), "");
  write_file(system, "");
  EXPECT_EQ(mediateka::find_config("", system.string()), system.string());
  setenv("MEDIATEKA_CONFIG", variable.c_str(), 1);
  EXPECT_EQ(mediateka::find_config("", system.string()), variable.string());  // even if absent
  write_file(folder.path() / "config" / "mediateka.toml", "");
  EXPECT_EQ(mediateka::find_config("", system.string()), "config/mediateka.toml");
  EXPECT_EQ(mediateka::find_config("named.toml", system.string()), "named.toml");
  unsetenv("MEDIATEKA_CONFIG");
  fs::current_path(previous);
}

TEST_F(Librarian, TokensThatCouldNeverWorkAreRefusedOrWarnedOf) {
  make_archive();
  ASSERT_EQ(import_archive().status, 1);

  CommandRun past = indexed("token create --group zarzad --label 'Zarząd' --expires 2020-01-01");
  EXPECT_EQ(past.status, 2);
  EXPECT_EQ(past.out, "");
  EXPECT_NE(past.err.find("--expires 2020-01-01 is already past"), std::string::npos) << past.err;
  EXPECT_NE(indexed("token list").out.find("no tokens"), std::string::npos);

  CommandRun unused =
      indexed("token create --group zarzad --group zarzadd --label 'Zarząd' --expires 2999-12-31");
  ASSERT_EQ(unused.status, 0) << unused.err;
  EXPECT_TRUE(json::parse(unused.out).contains("token"));
  EXPECT_NE(unused.err.find("warning: no item has the group 'zarzadd'"), std::string::npos)
      << unused.err;
  EXPECT_EQ(unused.err.find("group 'zarzad'"), std::string::npos) << unused.err;
}

// The folding of diacritics is ICU's Latin-ASCII transliteration, written out as a table so that
// no program pays for making the transliterator at start (~20 ms of CPU): the two must agree.
TEST(StartUpCost, FoldingTableIsIcusLatinAscii) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> to_ascii(
      icu::Transliterator::createInstance("Latin-ASCII", UTRANS_FORWARD, status));
  ASSERT_TRUE(U_SUCCESS(status));
  for (UChar32 c = 0x80; c < 0x250; ++c) {
    icu::UnicodeString text(c);
    std::string original;
    text.toUTF8String(original);
    to_ascii->transliterate(text);
    std::string expected;
    text.toUTF8String(expected);
    EXPECT_EQ(mediateka::strip_diacritics(original), expected) << "U+" << std::hex << c;
  }
  EXPECT_EQ(mediateka::fold("Łódź ŻÓŁW Æsir"), "lodz zolw aesir");
}

// The Polish dictionary is read at the first word looked up, not when the analyzer is made: a
// no-change re-import, which analyses nothing, does not pay the ~0.3 s of reading it.
TEST(StartUpCost, DictionaryReadAtTheFirstWordNotBefore) {
  if (!fs::exists("/usr/share/hunspell/pl_PL.dic")) GTEST_SKIP() << "needs hunspell-pl";
  TemporaryFolder folder("mediateka-dictionary-");
  fs::copy_file("/usr/share/hunspell/pl_PL.aff", folder.path() / "pl_PL.aff");
  write_file(folder.path() / "pl_PL.dic", "0\n");  // present, so the analyzer can be made
  const mediateka::Analyzer analyzer(folder.path().string());
  // Only now the real word list: an analyzer that had read the file would know no word.
  fs::copy_file("/usr/share/hunspell/pl_PL.dic", folder.path() / "pl_PL.dic",
                fs::copy_options::overwrite_existing);
  const std::vector<std::string>& lemmas = analyzer.lemmas("domów");
  EXPECT_NE(std::find(lemmas.begin(), lemmas.end(), "dom"), lemmas.end());
  EXPECT_TRUE(analyzer.in_dictionary("społecznej"));
}

}  // namespace
