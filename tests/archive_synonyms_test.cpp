// Acronyms and full names of Polish social policy (archive/text/synonyms.h): the shipped list, the
// librarian's file and its reloading, query expansion in the searcher and what the answer says
// about it, and a labelled evaluation (recall and P@10 with and without expansion,
// docs/search-quality.md "Acronyms and full names").
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/api_json.h"
#include "api/search_parameters.h"
#include "archive/config.h"
#include "archive/index/audience_databases.h"
#include "archive/index/schema.h"
#include "archive/searcher.h"
#include "archive/text/analyzer.h"
#include "archive/text/synonyms.h"
#include "http/query_string.h"
#include "server_test_support.h"
#include "test_index.h"

namespace mediateka {
namespace {

namespace fs = std::filesystem;

// The lemma keys of a query word without the index: the dictionary's, and those of the
// dictionary words it may be without diacritics.
std::vector<std::string> dictionary_keys(std::string_view word) {
  const Analyzer& analyzer = default_analyzer();
  std::vector<std::string> keys = analyzer.lemmas(word);
  if (!analyzer.in_dictionary(word)) {
    for (const std::string& form : analyzer.restore_diacritics(fold(word))) {
      for (const std::string& key : analyzer.lemmas(form)) keys.push_back(key);
    }
  }
  return keys;
}

// "from → to1 | to2; ..." of the spans `text` expands, to compare in one line.
std::string expansions(const Synonyms& synonyms, const std::string& text) {
  std::string out;
  for (const SynonymMatch& match : synonyms.find(text, dictionary_keys)) {
    if (!out.empty()) out += "; ";
    out += text.substr(match.begin, match.end - match.begin) + " →";
    for (size_t i = 0; i < match.alternatives.size(); ++i) {
      out += (i ? " | " : " ") + match.alternatives[i]->text;
    }
  }
  return out;
}

TEST(ShippedAcronyms, ListTheInstitutionsOfTheActsAndTheEuProgrammes) {
  const Synonyms& list = *Synonyms::shipped();
  EXPECT_GE(list.entry_count(), 60u);
  for (const char* acronym :
       {"OPS",  "MOPS",   "GOPS", "MOPR", "MGOPS",  "PCPR", "ROPS", "DPS",  "ŚDS",
        "OIK",  "CIS",    "KIS",  "RDD",  "PFRON",  "WTZ",  "ZAZ",  "ZPCh", "PSZ",
        "PUP",  "WUP",    "PES",  "OWES", "KPRES",  "CUS",  "EFS",  "EFS+", "PO KL",
        "POKL", "PO WER", "FERS", "RPO",  "RPO WM", "FEM"}) {
    EXPECT_FALSE(expansions(list, acronym).empty()) << acronym;
  }
  EXPECT_EQ(expansions(list, "PCPR"), "PCPR → powiatowe centrum pomocy rodzinie");
  EXPECT_EQ(expansions(list, "pcpr"), "pcpr → powiatowe centrum pomocy rodzinie");
  // Spaced or not, and the other way round, in any case.
  EXPECT_EQ(expansions(list, "PO KL"), "PO KL → POKL | program operacyjny kapitał ludzki");
  EXPECT_EQ(expansions(list, "POKL"), "POKL → PO KL | program operacyjny kapitał ludzki");
  EXPECT_EQ(expansions(list, "Powiatowego Centrum Pomocy Rodzinie w Wyszkowie"),
            "Powiatowego Centrum Pomocy Rodzinie → PCPR");
  EXPECT_EQ(expansions(list, "miejskiego osrodka pomocy spolecznej"),
            "miejskiego osrodka pomocy spolecznej → MOPS");
  EXPECT_EQ(expansions(list, "ŚRODOWISKOWYM DOMU SAMOPOMOCY"),
            "ŚRODOWISKOWYM DOMU SAMOPOMOCY → ŚDS");
  // Two meanings: both.
  EXPECT_EQ(expansions(list, "ROPS"),
            "ROPS → regionalny ośrodek polityki społecznej | rejonowy ośrodek pomocy społecznej");
  EXPECT_EQ(expansions(list, "Rejonowego Ośrodka Pomocy Społecznej"),
            "Rejonowego Ośrodka Pomocy Społecznej → ROPS");
  // The longest name wins: MOPS, not OPS inside it.
  EXPECT_EQ(expansions(list, "Miejski Ośrodek Pomocy Społecznej"),
            "Miejski Ośrodek Pomocy Społecznej → MOPS");
  // Two spans in one query.
  EXPECT_EQ(expansions(list, "PFRON dla WTZ"),
            "PFRON → państwowy fundusz rehabilitacji osób niepełnosprawnych; WTZ → warsztat "
            "terapii zajęciowej");
}

TEST(ShippedAcronyms, WordsOfOtherLanguagesExpandOnlyInCapitalsOrBesidePolishWords) {
  const Synonyms& list = *Synonyms::shipped();
  EXPECT_EQ(expansions(list, "power"), "");
  EXPECT_EQ(expansions(list, "power supply"), "");
  EXPECT_EQ(expansions(list, "Power"), "");
  EXPECT_EQ(expansions(list, "POWER"),
            "POWER → PO WER | program operacyjny wiedza edukacja rozwój");
  EXPECT_EQ(expansions(list, "projekt power"),
            "power → PO WER | program operacyjny wiedza edukacja rozwój");
  EXPECT_EQ(expansions(list, "power województwa"),
            "power → PO WER | program operacyjny wiedza edukacja rozwój");
  EXPECT_EQ(expansions(list, "po wer"),
            "po wer → POWER | program operacyjny wiedza edukacja rozwój");
  EXPECT_EQ(expansions(list, "cis"), "");
  EXPECT_EQ(expansions(list, "CIS"), "CIS → centrum integracji społecznej");
  EXPECT_EQ(expansions(list, "sds"), "");
  EXPECT_EQ(expansions(list, "śds"), "śds → środowiskowy dom samopomocy");
  EXPECT_EQ(expansions(list, "pup"), "");
}

TEST(ShippedAcronyms, OnlyPlainWordsOfTheQueryExpand) {
  const Synonyms& list = *Synonyms::shipped();
  EXPECT_EQ(expansions(list, "\"PCPR w Wyszkowie\""), "");  // a phrase is taken as typed
  EXPECT_EQ(expansions(list, "title:PCPR"), "");
  EXPECT_EQ(expansions(list, "szkolenie -PCPR"), "");
  EXPECT_EQ(expansions(list, "PCPR*"), "");
  EXPECT_EQ(expansions(list, "PCPR NEAR Wyszków"), "");
  EXPECT_EQ(expansions(list, "MOPS OR GOPS"),
            "MOPS → miejski ośrodek pomocy społecznej; GOPS → gminny ośrodek pomocy społecznej");
  EXPECT_EQ(expansions(list, "pomoc społeczna w gminie"), "");
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mediateka-synonyms-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  fs::path dir_;
};

using LibrarianSynonyms = TempDir;

TEST_F(LibrarianSynonyms, CsvAddsMultiWordEquivalentsBothWays) {
  auto list = Synonyms::with_librarian(
      "term,equivalent\n"
      "# the centre's own words\n"
      "asystent rodziny,\"asystentka rodzinna, asystent\"\n"
      "niepełnosprawni,osoby z niepełnosprawnościami\n"
      "MCPS,Mazowieckie Centrum Polityki Społecznej\n",
      "synonyms.csv");
  EXPECT_EQ(expansions(*list, "asystentów rodziny"),
            "asystentów rodziny → asystentka rodzinna, asystent");
  EXPECT_EQ(expansions(*list, "osobom z niepelnosprawnosciami"),
            "osobom z niepelnosprawnosciami → niepełnosprawni");
  EXPECT_EQ(expansions(*list, "niepełnosprawnych"),
            "niepełnosprawnych → osoby z niepełnosprawnościami");
  // Merged with the shipped list.
  EXPECT_EQ(expansions(*list, "PCPR"), "PCPR → powiatowe centrum pomocy rodzinie");
  EXPECT_GT(list->entry_count(), Synonyms::shipped()->entry_count());
}

TEST_F(LibrarianSynonyms, ReadsPolishExcelFiles) {
  // "CSV (rozdzielany przecinkami)": Windows-1250 and ';'. "ł" is 0xB3, "ś" 0x9C there.
  auto excel = Synonyms::with_librarian(
      "opieka wytchnieniowa;opieka zast\xEApcza kr\xF3tkoterminowa\r\n", "excel.csv");
  EXPECT_EQ(expansions(*excel, "opieki wytchnieniowej"),
            "opieki wytchnieniowej → opieka zastępcza krótkoterminowa");
  // "CSV UTF-8": a BOM.
  auto utf8 = Synonyms::with_librarian("\xEF\xBB\xBFsenior,osoba starsza\n", "utf8.csv");
  EXPECT_EQ(expansions(*utf8, "seniorom"), "seniorom → osoba starsza");
}

TEST_F(LibrarianSynonyms, BadLinesAreNamedWithTheirNumber) {
  auto error_of = [](const std::string& csv) {
    try {
      Synonyms::with_librarian(csv, "synonimy.csv");
    } catch (const SynonymError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("a,b\n\nsamotny termin\n"),
            "synonimy.csv:3: expected a term, ',' and its equivalent, got \"samotny termin\"");
  EXPECT_EQ(error_of("a,\"b\n"), "synonimy.csv:1: a quote is not closed");
  EXPECT_EQ(error_of("a,b\nc,---\n"), "synonimy.csv:2: field 2 has no word");
}

TEST_F(LibrarianSynonyms, FileIsReadAgainWhenItChanges) {
  const fs::path path = dir_ / "synonimy.csv";
  SynonymSource source(path.string());  // missing: the shipped list alone
  EXPECT_EQ(source.current(), Synonyms::shipped());
  EXPECT_FALSE(source.reload_if_changed());

  write(path, "wolontariusz,ochotnik\n");
  EXPECT_TRUE(source.reload_if_changed());
  EXPECT_EQ(expansions(*source.current(), "ochotnicy"), "ochotnicy → wolontariusz");
  EXPECT_EQ(expansions(*source.current(), "PCPR"), "PCPR → powiatowe centrum pomocy rodzinie");
  EXPECT_FALSE(source.reload_if_changed());

  // A broken version keeps the list that worked, and says why.
  write(path, "wolontariusz\n");
  EXPECT_FALSE(source.reload_if_changed());
  EXPECT_NE(source.error().find("synonimy.csv:1:"), std::string::npos) << source.error();
  EXPECT_EQ(expansions(*source.current(), "ochotnicy"), "ochotnicy → wolontariusz");

  write(path, "wolontariusz,społecznik\n");
  EXPECT_TRUE(source.reload_if_changed());
  EXPECT_EQ(source.error(), "");
  EXPECT_EQ(expansions(*source.current(), "ochotnicy"), "");
  EXPECT_EQ(expansions(*source.current(), "społecznicy"), "społecznicy → wolontariusz");

  // At start a broken file is an error.
  write(path, "\"\n");
  EXPECT_THROW(SynonymSource{path.string()}, SynonymError);
}

TEST_F(LibrarianSynonyms, ConfigNamesTheFile) {
  write(dir_ / "mediateka.toml", "[search]\nsynonyms = \"synonimy.csv\"\n");
  EXPECT_EQ(load_config((dir_ / "mediateka.toml").string()).synonyms,
            (dir_ / "synonimy.csv").string());
  write(dir_ / "bad.toml", "[search]\nsynonyms = 3\n");
  EXPECT_THROW(load_config((dir_ / "bad.toml").string()), ConfigError);
}

// ---------------------------------------------------------------------------
// The searcher.

Item document(const std::string& id, const std::string& text) {
  Item item;
  item.id = id;
  item.title = "Sprawozdanie " + id;
  item.language = "pl";
  item.source.file = "/synonyms/" + id + ".txt";
  item.segments.push_back(Segment{1, 0, 0, text});
  return item;
}

class SynonymSearch : public TempDir {
 protected:
  void SetUp() override {
    TempDir::SetUp();
    test::write_index(
        dir_ / "index",
        {document("skrot", "PCPR w Wyszkowie prowadzi szkolenie dla rodzin zastępczych."),
         document("nazwa",
                  "Powiatowe Centrum Pomocy Rodzinie w Wyszkowie prowadzi szkolenie dla rodzin "
                  "zastępczych."),
         document("odmiana",
                  "Szkolenie prowadzi kadra Powiatowego Centrum Pomocy Rodzinie w Wyszkowie."),
         document("sds", "Uczestnicy ŚDS w Ostrołęce wystawili sztukę."),
         document("sds-nazwa", "Uczestnicy Środowiskowego Domu Samopomocy wystawili sztukę."),
         document("po-wer", "Projekt współfinansowany ze środków PO WER w Płocku."),
         document("english", "Renewable power for small towns: a study of energy use."),
         document("inne", "Rodziny zastępcze w powiecie wyszkowskim czekają na szkolenia."),
         document("rozproszone",
                  "Centrum miasta, dom kultury i pomoc sąsiedzka w rodzinie: wspomnienia.")});
    searcher_ = std::make_unique<Searcher>(std::vector<std::string>{(dir_ / "index").string()},
                                           vocabulary_);
  }

  SearchResult search(const std::string& q, bool expand = true) {
    SearchRequest request;
    request.q = q;
    request.expand = expand;
    request.per_page = 100;
    return searcher_->search(request);
  }

  static std::vector<std::string> ids(const SearchResult& result) {
    std::vector<std::string> out;
    for (const Hit& hit : result.hits) out.push_back(hit.item.id);
    return out;
  }

  static std::set<std::string> id_set(const SearchResult& result) {
    std::vector<std::string> list = ids(result);
    return {list.begin(), list.end()};
  }

  Vocabulary vocabulary_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(SynonymSearch, AcronymFindsTheFullNameInEveryFormTypedFormFirst) {
  SearchResult result = search("PCPR");
  EXPECT_EQ(id_set(result), (std::set<std::string>{"skrot", "nazwa", "odmiana"}));
  EXPECT_EQ(ids(result).front(), "skrot");  // the form typed first, the texts being alike
  ASSERT_EQ(result.expanded.size(), 1u);
  EXPECT_EQ(result.expanded[0].from, "PCPR");
  EXPECT_EQ(result.expanded[0].to, std::vector<std::string>{"powiatowe centrum pomocy rodzinie"});
  // The words of the name scattered over a text are not the name.
  EXPECT_EQ(id_set(search("pcpr")).count("rozproszone"), 0u);

  SearchResult as_typed = search("PCPR", false);
  EXPECT_EQ(ids(as_typed), std::vector<std::string>{"skrot"});
  EXPECT_TRUE(as_typed.expanded.empty());
}

TEST_F(SynonymSearch, FullNameInAnyCaseWithoutDiacriticsFindsTheAcronym) {
  for (const char* q :
       {"Powiatowe Centrum Pomocy Rodzinie", "powiatowemu centrum pomocy rodzinie",
        "POWIATOWYM CENTRUM POMOCY RODZINIE", "powiatowego centrum pomocy rodzinie wyszkowie"}) {
    SearchResult result = search(q);
    EXPECT_EQ(id_set(result), (std::set<std::string>{"skrot", "nazwa", "odmiana"})) << q;
    EXPECT_NE(ids(result).front(), "skrot") << q;  // a name typed in full: the name first
    ASSERT_EQ(result.expanded.size(), 1u) << q;
    EXPECT_EQ(result.expanded[0].to, std::vector<std::string>{"PCPR"});
  }
  EXPECT_EQ(id_set(search("srodowiskowego domu samopomocy")),
            (std::set<std::string>{"sds", "sds-nazwa"}));
  EXPECT_EQ(id_set(search("ŚDS")), (std::set<std::string>{"sds", "sds-nazwa"}));
  EXPECT_EQ(id_set(search("Środowiskowy Dom Samopomocy", false)),
            (std::set<std::string>{"sds-nazwa"}));
}

TEST_F(SynonymSearch, EnglishWordIsNotSwamped) {
  EXPECT_EQ(ids(search("power")), std::vector<std::string>{"english"});
  EXPECT_TRUE(search("power").expanded.empty());
  EXPECT_EQ(id_set(search("POWER")), (std::set<std::string>{"po-wer", "english"}));
  EXPECT_EQ(id_set(search("Program Operacyjny Wiedza Edukacja Rozwój")).count("po-wer"), 1u);
}

TEST_F(SynonymSearch, QueriesWithoutAcronymsAnswerExactlyAsBefore) {
  for (const char* q :
       {"szkolenie", "rodzin zastępczych", "Wyszkowie szkolenie", "\"rodzin zastępczych\"",
        "szkolen*", "uczestnicy -sztukę", "title:sprawozdanie", "pomoc OR dom", "centrum pomocy",
        "szkolenei rodzin", "-szkolenie", "power", "cis w ogrodzie"}) {
    SearchResult expanded = search(q, true);
    SearchResult plain = search(q, false);
    EXPECT_TRUE(expanded.expanded.empty()) << q;
    EXPECT_EQ(expanded.total, plain.total) << q;
    EXPECT_EQ(ids(expanded), ids(plain)) << q;
    EXPECT_EQ(expanded.suggestion, plain.suggestion) << q;
    ASSERT_EQ(expanded.hits.size(), plain.hits.size()) << q;
    for (size_t i = 0; i < plain.hits.size(); ++i) {
      EXPECT_EQ(expanded.hits[i].score, plain.hits[i].score) << q;
      EXPECT_EQ(expanded.hits[i].snippet.text, plain.hits[i].snippet.text) << q;
      EXPECT_EQ(expanded.hits[i].snippet.marks.size(), plain.hits[i].snippet.marks.size()) << q;
    }
  }
  // A misspelt query still gets its correction.
  EXPECT_TRUE(search("szkolenei").suggestion.has_value());
}

TEST_F(SynonymSearch, SnippetsMarkTheOtherForm) {
  SearchResult result = search("PCPR");
  for (const Hit& hit : result.hits) {
    if (hit.item.id != "odmiana") continue;
    ASSERT_FALSE(hit.snippet.marks.empty());
    const Snippet::Mark& mark = hit.snippet.marks.front();
    EXPECT_EQ(hit.snippet.text.substr(mark.begin, mark.end - mark.begin), "Powiatowego");
  }
}

TEST_F(SynonymSearch, LibrarianListReachesTheSearcher) {
  write(dir_ / "synonimy.csv", "rodzina zastępcza,piecza zastępcza\n");
  auto source = std::make_shared<SynonymSource>((dir_ / "synonimy.csv").string());
  searcher_->set_synonyms(source);
  SearchResult result = search("piecza zastępcza");
  EXPECT_EQ(id_set(result), (std::set<std::string>{"skrot", "nazwa", "inne"}));
  ASSERT_EQ(result.expanded.size(), 1u);
  EXPECT_EQ(result.expanded[0].to, std::vector<std::string>{"rodzina zastępcza"});
}

// The writer indexes each name of the list as one term, which the searcher uses instead of
// phrases of lemmas; an index written without them (or by another list) searches the phrases.
std::set<std::string> name_terms_of(const fs::path& index, const std::string& id) {
  Xapian::Database db(public_database(index.string()));
  Xapian::PostingIterator item = db.postlist_begin(std::string(schema::kId) + id);
  EXPECT_NE(item, db.postlist_end(std::string(schema::kId) + id)) << id;
  std::set<std::string> terms;
  if (item == db.postlist_end(std::string(schema::kId) + id)) return terms;
  Xapian::Document document = db.get_document(*item);
  for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
    if ((*term).rfind(schema::kName, 0) == 0) terms.insert(*term);
  }
  return terms;
}

TEST_F(SynonymSearch, WriterIndexesEachNameOfTheListAsOneTerm) {
  const std::set<std::string> pcpr = name_terms_of(dir_ / "index", "skrot");
  ASSERT_EQ(pcpr.size(), 1u);
  // The acronym, the name and its genitive are the same entry's term.
  EXPECT_EQ(name_terms_of(dir_ / "index", "nazwa"), pcpr);
  EXPECT_EQ(name_terms_of(dir_ / "index", "odmiana"), pcpr);
  EXPECT_EQ(name_terms_of(dir_ / "index", "sds"), name_terms_of(dir_ / "index", "sds-nazwa"));
  EXPECT_EQ(name_terms_of(dir_ / "index", "po-wer").size(), 1u);
  // Not an English "power", nor a name's words scattered, nor words that name nothing.
  EXPECT_TRUE(name_terms_of(dir_ / "index", "english").empty());
  EXPECT_TRUE(name_terms_of(dir_ / "index", "rozproszone").empty());
  EXPECT_TRUE(name_terms_of(dir_ / "index", "inne").empty());
  Xapian::Database db(public_database((dir_ / "index").string()));
  EXPECT_EQ(db.get_metadata(schema::kNamesKey), Synonyms::names_fingerprint());
}

TEST_F(SynonymSearch, IndexWithoutNameTermsFindsTheSameByPhrases) {
  const std::vector<std::string> queries{
      "PCPR",  "powiatowego centrum pomocy rodzinie", "ŚDS",
      "POWER", "srodowiskowego domu samopomocy",      "PCPR szkolenie",
      "power"};
  std::map<std::string, std::vector<std::string>> by_name_terms;
  for (const std::string& q : queries) by_name_terms[q] = ids(search(q));
  // More precise where the list marks an acronym as a word of another language: the index knows
  // that the English "power" names no programme, a phrase of the letters does not.
  const std::string po_wer = "Program Operacyjny Wiedza Edukacja Rozwój";
  EXPECT_EQ(ids(search(po_wer)), std::vector<std::string>{"po-wer"});
  {
    // As an index written before this list: no fingerprint.
    Xapian::WritableDatabase db(public_database((dir_ / "index").string()), Xapian::DB_OPEN);
    db.set_metadata(schema::kNamesKey, "");
    db.commit();
  }
  searcher_ =
      std::make_unique<Searcher>(std::vector<std::string>{(dir_ / "index").string()}, vocabulary_);
  for (const std::string& q : queries) {
    const std::vector<std::string> by_phrases = ids(search(q));
    EXPECT_EQ(std::set<std::string>(by_phrases.begin(), by_phrases.end()),
              std::set<std::string>(by_name_terms[q].begin(), by_name_terms[q].end()))
        << q;
    EXPECT_EQ(by_phrases.front(), by_name_terms[q].front()) << q;
  }
  // The name's words scattered are no name either way.
  EXPECT_EQ(id_set(search("pcpr")).count("rozproszone"), 0u);
  EXPECT_EQ(id_set(search(po_wer)), (std::set<std::string>{"po-wer", "english"}));
}

using SynonymIndex = TempDir;

TEST_F(SynonymIndex, WriterMarksOnlyTheDatabasesItMakes) {
  const fs::path index = dir_ / "index";
  test::write_index(index, {document("a", "PCPR w Wyszkowie.")});
  {
    Xapian::WritableDatabase db(public_database(index.string()), Xapian::DB_OPEN);
    db.set_metadata(schema::kNamesKey, "an older list");
    db.commit();
  }
  // Items added to a database written by an older list: it keeps its mark, so that the
  // searcher goes on searching phrases until the index is rebuilt.
  test::write_index(index, {document("b", "Powiatowe Centrum Pomocy Rodzinie w Wyszkowie.")});
  Xapian::Database db(public_database(index.string()));
  EXPECT_EQ(db.get_metadata(schema::kNamesKey), "an older list");
  Vocabulary vocabulary;
  Searcher searcher({index.string()}, vocabulary);
  SearchRequest request;
  request.q = "PCPR";
  SearchResult result = searcher.search(request);
  EXPECT_EQ(result.total, 2u);
}

// ---------------------------------------------------------------------------
// The HTTP parameter and the JSON answer.

TEST(SynonymApi, ExpandParameterAndExpandedField) {
  auto request_of = [](const std::string& query) {
    return server::parse_search_request(server::QueryParameters::parse(query));
  };
  EXPECT_TRUE(request_of("q=PCPR").expand);
  EXPECT_FALSE(request_of("q=PCPR&expand=0").expand);
  EXPECT_TRUE(request_of("q=PCPR&expand=1").expand);
  EXPECT_ANY_THROW(request_of("q=PCPR&expand=tak"));

  SearchRequest request;
  request.q = "PCPR";
  SearchResult result;
  EXPECT_EQ(server::search_result_body(request, result, 1.0).find("\"expanded\""),
            std::string::npos);
  result.expanded.push_back({"PCPR", {"powiatowe centrum pomocy rodzinie"}});
  EXPECT_NE(server::search_result_body(request, result, 1.0)
                .find("\"expanded\":[{\"from\":\"PCPR\",\"to\":[\"powiatowe centrum pomocy "
                      "rodzinie\"]}]"),
            std::string::npos)
      << server::search_result_body(request, result, 1.0);
}

// The server: the page's "Szukano też", the JSON, and the librarian's file read again while it
// runs.
TEST_F(LibrarianSynonyms, ServerExpandsSaysSoAndReadsTheFileAgain) {
  test::write_index(dir_ / "index",
                    {document("a", "Wolontariusze pomagają w schronisku dla zwierząt."),
                     document("b", "Ochotnicy z Płocka sprzątali brzeg Wisły."),
                     document("c", "Powiatowe Centrum Pomocy Rodzinie w Płocku zaprasza.")});
  write(dir_ / "synonimy.csv", "wolontariusz,ochotnik\n");
  write(dir_ / "mediateka.toml", "[search]\nsynonyms = \"synonimy.csv\"\n");
  test::ServerProcess server(dir_ / "index", {}, dir_ / "mediateka.toml");
  const int port = server.wait_until_listening();
  ASSERT_NE(port, 0);

  auto total = [&](const std::string& target) {
    const auto body = nlohmann::json::parse(test::get(port, target).body);
    return body.value("total", -1);
  };
  auto api = nlohmann::json::parse(test::get(port, "/api/search?q=ochotnicy").body);
  EXPECT_EQ(api["total"], 2);
  EXPECT_EQ(api["expanded"], nlohmann::json::parse(R"([{"from": "ochotnicy",
                                                        "to": ["wolontariusz"]}])"));
  api = nlohmann::json::parse(test::get(port, "/api/search?q=PCPR").body);
  EXPECT_EQ(api["total"], 1);
  EXPECT_EQ(api["expanded"], nlohmann::json::parse(R"([{"from": "PCPR",
                                                 "to": ["powiatowe centrum pomocy rodzinie"]}])"));
  api = nlohmann::json::parse(test::get(port, "/api/search?q=PCPR&expand=0").body);
  EXPECT_EQ(api["total"], 0);
  EXPECT_FALSE(api.contains("expanded"));

  const std::string page = test::get(port, "/?q=PCPR").body;
  EXPECT_NE(page.find("Szukano też: <strong>powiatowe centrum pomocy rodzinie</strong> (dla "
                      "„PCPR”). <a href=\"/?q=PCPR&amp;expand=0\">Szukaj tylko „PCPR”</a>"),
            std::string::npos)
      << page;
  EXPECT_EQ(test::get(port, "/?q=PCPR&expand=0").body.find("Szukano też"), std::string::npos);

  // The librarian edits the file: no restart.
  write(dir_ / "synonimy.csv", "wolontariusz,społecznik\n");
  int found = -1;
  for (int i = 0; i < 100 && found != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    found = total("/api/search?q=ochotnicy");
  }
  EXPECT_EQ(found, 1);
}

// ---------------------------------------------------------------------------
// Evaluation: a labelled set over generated documents, written apart from
// archive/text/acronyms.tsv. Each institution or programme is named in documents by its acronym
// (sometimes inflected, "MOPS-u") or by its full name in one of five cases; a document is relevant
// to a query about an institution when it names that institution in any way. The generator knows
// which it named, so judgment never passes through the list or the analyzer.

struct Institution {
  const char* acronym;           // as the documents and the visitors write it
  const char* acronym_forms[2];  // inflected acronyms some documents use (or nullptr)
  const char* names[5];          // nominative, genitive, dative, instrumental, locative
  bool foreign;                  // an English word as well: queried in capitals only
};

const Institution kInstitutions[] = {
    {"PCPR",
     {nullptr, nullptr},
     {"Powiatowe Centrum Pomocy Rodzinie", "Powiatowego Centrum Pomocy Rodzinie",
      "Powiatowemu Centrum Pomocy Rodzinie", "Powiatowym Centrum Pomocy Rodzinie",
      "Powiatowym Centrum Pomocy Rodzinie"},
     false},
    {"MOPS",
     {"MOPS-u", "MOPS-ie"},
     {"Miejski Ośrodek Pomocy Społecznej", "Miejskiego Ośrodka Pomocy Społecznej",
      "Miejskiemu Ośrodkowi Pomocy Społecznej", "Miejskim Ośrodkiem Pomocy Społecznej",
      "Miejskim Ośrodku Pomocy Społecznej"},
     false},
    {"GOPS",
     {"GOPS-u", "GOPS-ie"},
     {"Gminny Ośrodek Pomocy Społecznej", "Gminnego Ośrodka Pomocy Społecznej",
      "Gminnemu Ośrodkowi Pomocy Społecznej", "Gminnym Ośrodkiem Pomocy Społecznej",
      "Gminnym Ośrodku Pomocy Społecznej"},
     false},
    {"DPS",
     {nullptr, nullptr},
     {"Dom Pomocy Społecznej", "Domu Pomocy Społecznej", "Domowi Pomocy Społecznej",
      "Domem Pomocy Społecznej", "Domu Pomocy Społecznej"},
     true},
    {"ŚDS",
     {"ŚDS-u", "ŚDS-ie"},
     {"Środowiskowy Dom Samopomocy", "Środowiskowego Domu Samopomocy",
      "Środowiskowemu Domowi Samopomocy", "Środowiskowym Domem Samopomocy",
      "Środowiskowym Domu Samopomocy"},
     false},
    {"WTZ",
     {nullptr, nullptr},
     {"Warsztat Terapii Zajęciowej", "Warsztatu Terapii Zajęciowej",
      "Warsztatowi Terapii Zajęciowej", "Warsztatem Terapii Zajęciowej",
      "Warsztacie Terapii Zajęciowej"},
     false},
    {"ROPS",
     {nullptr, nullptr},
     {"Regionalny Ośrodek Polityki Społecznej", "Regionalnego Ośrodka Polityki Społecznej",
      "Regionalnemu Ośrodkowi Polityki Społecznej", "Regionalnym Ośrodkiem Polityki Społecznej",
      "Regionalnym Ośrodku Polityki Społecznej"},
     false},
    {"PES",
     {nullptr, nullptr},
     {"Podmiot Ekonomii Społecznej", "Podmiotu Ekonomii Społecznej",
      "Podmiotowi Ekonomii Społecznej", "Podmiotem Ekonomii Społecznej",
      "Podmiocie Ekonomii Społecznej"},
     true},
    {"CUS",
     {nullptr, nullptr},
     {"Centrum Usług Społecznych", "Centrum Usług Społecznych", "Centrum Usług Społecznych",
      "Centrum Usług Społecznych", "Centrum Usług Społecznych"},
     true},
    {"PFRON",
     {"PFRON-u", "PFRON-em"},
     {"Państwowy Fundusz Rehabilitacji Osób Niepełnosprawnych",
      "Państwowego Funduszu Rehabilitacji Osób Niepełnosprawnych",
      "Państwowemu Funduszowi Rehabilitacji Osób Niepełnosprawnych",
      "Państwowym Funduszem Rehabilitacji Osób Niepełnosprawnych",
      "Państwowym Funduszu Rehabilitacji Osób Niepełnosprawnych"},
     false},
    {"OWES",
     {nullptr, nullptr},
     {"Ośrodek Wsparcia Ekonomii Społecznej", "Ośrodka Wsparcia Ekonomii Społecznej",
      "Ośrodkowi Wsparcia Ekonomii Społecznej", "Ośrodkiem Wsparcia Ekonomii Społecznej",
      "Ośrodku Wsparcia Ekonomii Społecznej"},
     false},
    {"EFS",
     {nullptr, nullptr},
     {"Europejski Fundusz Społeczny", "Europejskiego Funduszu Społecznego",
      "Europejskiemu Funduszowi Społecznemu", "Europejskim Funduszem Społecznym",
      "Europejskim Funduszu Społecznym"},
     false},
    {"PO KL",
     {"POKL", nullptr},
     {"Program Operacyjny Kapitał Ludzki", "Programu Operacyjnego Kapitał Ludzki",
      "Programowi Operacyjnemu Kapitał Ludzki", "Programem Operacyjnym Kapitał Ludzki",
      "Programie Operacyjnym Kapitał Ludzki"},
     false},
    {"PO WER",
     {"POWER", nullptr},
     {"Program Operacyjny Wiedza Edukacja Rozwój", "Programu Operacyjnego Wiedza Edukacja Rozwój",
      "Programowi Operacyjnemu Wiedza Edukacja Rozwój",
      "Programem Operacyjnym Wiedza Edukacja Rozwój",
      "Programie Operacyjnym Wiedza Edukacja Rozwój"},
     false},
    {"FERS",
     {nullptr, nullptr},
     {"Fundusze Europejskie dla Rozwoju Społecznego",
      "Funduszy Europejskich dla Rozwoju Społecznego",
      "Funduszom Europejskim dla Rozwoju Społecznego",
      "Funduszami Europejskimi dla Rozwoju Społecznego",
      "Funduszach Europejskich dla Rozwoju Społecznego"},
     false},
};
constexpr size_t kInstitutionCount = sizeof(kInstitutions) / sizeof(kInstitutions[0]);

// Sentence frames by the case they ask for; none holds a word of a name.
const char* const kFrames[5][2] = {
    {"Organizator: %s.", "Wnioskodawca: %s."},
    {"Kierownik %s przedstawił sprawozdanie z roku.", "Zespół %s opracował nowe zasady."},
    {"Przekazano dokumenty %s w terminie.", "Podziękowania złożono %s za lata pracy."},
    {"Spotkanie z %s odbyło się w marcu.", "Porozumienie z %s podpisano jesienią."},
    {"O %s mówiono na konferencji.", "Przy %s powstała grupa wolontariuszy."},
};
const char* const kFillers[] = {"Uczestnicy omówili plan działań na kolejny rok.",
                                "Raport zawiera dane z ostatnich lat.",
                                "Wnioski trafiły do komisji.",
                                "Zajęcia prowadzono w małych grupach.",
                                "Materiał przygotowała redakcja biuletynu.",
                                "Budżet zatwierdzono bez zmian."};

struct LabelledCorpus {
  std::vector<std::string> texts;
  std::vector<std::set<size_t>> named;  // institutions each document names
};

LabelledCorpus labelled_corpus(size_t documents) {
  LabelledCorpus corpus;
  std::mt19937 random(20261206);
  auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
  for (size_t d = 0; d < documents; ++d) {
    std::string text;
    std::set<size_t> named;
    const size_t sentences = 2 + pick(3);
    for (size_t s = 0; s < sentences; ++s) {
      if (!text.empty()) text += ' ';
      if (pick(3) == 0) {
        text += kFillers[pick(std::size(kFillers))];
        continue;
      }
      const size_t which = pick(kInstitutionCount);
      const Institution& institution = kInstitutions[which];
      const size_t grammatical_case = pick(5);
      std::string name;
      const size_t way = pick(6);  // half by the acronym, half by the full name
      if (way < 2) {
        name = institution.acronym;
      } else if (way == 2) {
        const char* inflected = institution.acronym_forms[pick(2)];
        name = inflected ? inflected : institution.acronym;
      } else {
        name = institution.names[grammatical_case];
      }
      char sentence[256];
      std::snprintf(sentence, sizeof sentence, kFrames[grammatical_case][pick(2)], name.c_str());
      text += sentence;
      named.insert(which);
    }
    corpus.texts.push_back(text);
    corpus.named.push_back(std::move(named));
  }
  return corpus;
}

std::string ascii_lower(const std::string& text) { return fold(text); }

TEST(AcronymQuality, RecallAndPrecisionWithAndWithoutExpansion) {
  const fs::path root = fs::temp_directory_path() /
                        ("mediateka-acronym-quality-" + std::to_string(std::random_device{}()));
  const LabelledCorpus corpus = labelled_corpus(600);
  {
    std::vector<Item> items;
    for (size_t d = 0; d < corpus.texts.size(); ++d) {
      items.push_back(document(std::to_string(d), corpus.texts[d]));
    }
    test::write_index(root, std::move(items));
  }
  Vocabulary vocabulary;
  Searcher searcher({root.string()}, vocabulary);

  enum Group { kAcronym, kNominative, kOtherCase, kNoDiacritics, kGroups };
  const char* const names[kGroups] = {"(a) acronym", "(b) full name, nominative",
                                      "(c) full name, other cases",
                                      "(d) full name, lower case, no diacritics"};
  struct Query {
    std::string text;
    size_t institution;
  };
  std::vector<Query> groups[kGroups];
  for (size_t i = 0; i < kInstitutionCount; ++i) {
    const Institution& institution = kInstitutions[i];
    groups[kAcronym].push_back({institution.acronym, i});
    if (!institution.foreign) groups[kAcronym].push_back({lower(institution.acronym), i});
    groups[kNominative].push_back({institution.names[0], i});
    groups[kOtherCase].push_back({institution.names[1], i});
    groups[kOtherCase].push_back({institution.names[4], i});
    groups[kNoDiacritics].push_back({ascii_lower(institution.names[1]), i});
    groups[kNoDiacritics].push_back({ascii_lower(institution.names[3]), i});
  }

  struct Figures {
    double recall = 0, precision = 0;
  };
  auto run = [&](const Query& query, bool expand) {
    std::set<size_t> relevant;
    for (size_t d = 0; d < corpus.named.size(); ++d) {
      if (corpus.named[d].count(query.institution)) relevant.insert(d);
    }
    SearchRequest request;
    request.q = query.text;
    request.expand = expand;
    request.per_page = 100;
    request.facets = false;
    request.snippets = false;
    std::vector<size_t> found;
    for (;; ++request.page) {
      SearchResult result = searcher.search(request);
      for (const Hit& hit : result.hits) found.push_back(std::stoul(hit.item.id));
      if (result.hits.empty() || found.size() >= result.total) break;
    }
    size_t hits = 0;
    for (size_t d : found) hits += relevant.count(d);
    const size_t k = relevant.size() >= 10 ? 10 : std::min<size_t>(10, found.size());
    size_t top = 0;
    for (size_t i = 0; i < std::min(k, found.size()); ++i) top += relevant.count(found[i]);
    EXPECT_FALSE(relevant.empty()) << query.text;
    Figures figures;
    figures.recall = relevant.empty() ? 0 : static_cast<double>(hits) / relevant.size();
    figures.precision = k == 0 ? 0 : static_cast<double>(top) / k;
    return figures;
  };
  std::printf("%-44s %7s | %-13s | %-13s\n", "", "", "expanded", "as typed");
  std::printf("%-44s %7s | %6s %6s | %6s %6s\n", "group", "queries", "recall", "P@10", "recall",
              "P@10");
  Figures all_expanded;
  size_t all_queries = 0;
  for (int g = 0; g < kGroups; ++g) {
    Figures expanded, plain;
    for (const Query& query : groups[g]) {
      const Figures with = run(query, true), without = run(query, false);
      expanded.recall += with.recall;
      expanded.precision += with.precision;
      plain.recall += without.recall;
      plain.precision += without.precision;
      if (with.recall < 1 || with.precision < 1 || std::getenv("MEDIATEKA_QUALITY_VERBOSE")) {
        std::printf("  %-42s recall %.2f P@10 %.2f (as typed: %.2f %.2f)\n", query.text.c_str(),
                    with.recall, with.precision, without.recall, without.precision);
      }
    }
    const double n = static_cast<double>(groups[g].size());
    std::printf("%-44s %7zu | %6.3f %6.3f | %6.3f %6.3f\n", names[g], groups[g].size(),
                expanded.recall / n, expanded.precision / n, plain.recall / n, plain.precision / n);
    EXPECT_GE(expanded.recall / n, 0.95) << names[g];
    EXPECT_GE(expanded.precision / n, 0.9) << names[g];
    all_expanded.recall += expanded.recall;
    all_expanded.precision += expanded.precision;
    all_queries += groups[g].size();
  }
  std::printf("all: %zu queries, recall %.3f, P@10 %.3f with expansion\n", all_queries,
              all_expanded.recall / all_queries, all_expanded.precision / all_queries);
  fs::remove_all(root);
}

}  // namespace
}  // namespace mediateka
