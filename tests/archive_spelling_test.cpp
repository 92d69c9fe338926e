// Spelling corrections ("Czy chodziło o: …"): only words the archive does not know are corrected,
// each in the form the visitor most likely typed; a correction is offered only when it finds
// something, and, for a query that finds something already, clearly more (docs/api.md). The
// visitor's complaints of issue 31, and the typo set measured in docs/search-quality.md
// ("Spelling corrections").
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "archive/access/access.h"
#include "archive/item.h"
#include "archive/searcher.h"
#include "archive/text/vocabulary.h"
#include "test_files.h"
#include "test_index.h"

namespace mediateka {
namespace {

struct Text {
  const char* title;
  const char* body;
};

// Short texts of the centre's subjects. "społeczna" is in more items than "społecznej", so that
// a correction chosen by frequency alone gives the wrong form of `pomocy spolecznj`.
const Text kCorpus[] = {
    {"Ekonomia społeczna w powiecie",
     "Ekonomia społeczna daje pracę osobom zagrożonym wykluczeniem. Spółdzielnie socjalne działają "
     "w gminach."},
    {"Pomoc społeczna na Mazowszu",
     "Ośrodki pomocy społecznej wspierają rodziny w trudnej sytuacji. Pomoc społeczna obejmuje "
     "zasiłki i pracę socjalną."},
    {"Wolontariat seniorów",
     "Wolontariusze odwiedzają seniorów w domach pomocy. Wolontariat uczy odpowiedzialności."},
    {"Szkolenie w Mińsku Mazowieckim",
     "Szkolenie dla pracowników socjalnych odbyło się w Mińsku Mazowieckim."},
    {"Rodziny zastępcze",
     "Rodziny zastępcze przyjmują dzieci. Piecza zastępcza wymaga wsparcia koordynatorów."},
    {"Niepełnosprawność i rehabilitacja",
     "Osoby niepełnosprawne korzystają z rehabilitacji zawodowej. Warsztaty terapii zajęciowej "
     "przygotowują do zatrudnienia."},
    {"Przeciwdziałanie przemocy w rodzinie",
     "Zespół interdyscyplinarny pomaga ofiarom przemocy. Procedura Niebieskiej Karty chroni "
     "rodziny."},
    {"Bezdomność w mieście",
     "Schroniska dla bezdomnych prowadzą organizacje pozarządowe. Streetworkerzy docierają do osób "
     "bezdomnych."},
    {"Aktywizacja zawodowa bezrobotnych",
     "Urząd pracy organizuje staże i szkolenia. Bezrobotni uczestniczą w programach aktywizacji."},
    {"Partnerstwo lokalne",
     "Samorząd współpracuje ze stowarzyszeniami i fundacjami. Partnerstwo lokalne zwiększa "
     "skuteczność działań."},
    {"Integracja społeczna cudzoziemców",
     "Cudzoziemcy uczą się języka polskiego. Integracja wymaga cierpliwości."},
    {"Uzależnienia wśród młodzieży",
     "Profilaktyka uzależnień w szkołach. Terapeuci prowadzą zajęcia dla młodzieży. Uzależnienia "
     "niszczą rodziny."},
    {"Opieka nad osobami starszymi",
     "Usługi opiekuńcze świadczone w miejscu zamieszkania. Opieka dzienna w domach seniora."},
    {"Spółdzielnia socjalna w Radomiu",
     "Spółdzielnia socjalna zatrudnia dwanaście osób. Przedsiębiorstwo społeczne sprzedaje "
     "usługi."},
    {"Ubóstwo dzieci",
     "Ubóstwo dotyka rodzin wielodzietnych. Świadczenia rodzinne łagodzą jego skutki."},
    {"Mieszkania chronione",
     "Mieszkania chronione dają usamodzielnienie wychowankom domów dziecka."},
    {"Asystent rodziny", "Asystent rodziny wspiera rodziców w wychowaniu dzieci."},
    {"Fundusze europejskie", "Europejski Fundusz Społeczny finansuje projekty szkoleniowe."},
    {"Konferencja w Ostrołęce",
     "Konferencja o ekonomii społecznej odbyła się w Ostrołęce. Uczestnicy dyskutowali o "
     "przedsiębiorczości."},
    {"Wykluczenie cyfrowe",
     "Seniorzy uczą się obsługi komputera. Wykluczenie cyfrowe dotyczy też wsi."},
    {"Wolontariat w hospicjum", "Wolontariat w hospicjum wymaga przygotowania."},
};

Item document(size_t n, const Text& text) {
  Item item;
  item.id = "d" + std::to_string(n);
  item.title = text.title;
  item.language = "pl";
  item.source.file = "/spelling/d" + std::to_string(n) + ".txt";
  item.segments.push_back(Segment{1, 0, 0, text.body});
  return item;
}

class Spelling : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = new test::TemporaryFolder("archive_spelling_test.");
    std::vector<Item> items;
    for (const Text& text : kCorpus) items.push_back(document(items.size(), text));
    test::write_index(index(), std::move(items));
  }
  static void TearDownTestSuite() {
    delete folder_;
    folder_ = nullptr;
  }
  static std::string index() { return (folder_->path() / "index").string(); }

  static SearchResult search(const std::string& q) {
    SearchRequest request;
    request.q = q;
    request.per_page = 1;
    request.snippets = false;
    return Searcher({index()}, Vocabulary{}).search(request);
  }
  static std::optional<std::string> correction(const std::string& q) {
    return search(q).suggestion;
  }

  static test::TemporaryFolder* folder_;
};

test::TemporaryFolder* Spelling::folder_ = nullptr;

// ---------------------------------------------------------------------------
// The complaints of issue 31.

TEST_F(Spelling, AKnownWordKeepsItsFormBesideAMisspeltOne) {
  EXPECT_EQ(correction("ekonomia spoleczan"), "ekonomia społeczna");
}

TEST_F(Spelling, AKnownWordIsNotChangedAndTheCorrectionFindsSomething) {
  EXPECT_EQ(search("pomoc spoeczna").total, 0u);
  ASSERT_EQ(correction("pomoc spoeczna"), "pomoc społeczna");
  EXPECT_GT(search("pomoc społeczna").total, 0u);
  // The corrected word exists, but not beside the others: the correction finds nothing.
  EXPECT_EQ(search("hospicjum spoeczna").total, 0u);
  EXPECT_EQ(search("hospicjum społeczna").total, 0u);
  EXPECT_EQ(correction("hospicjum spoeczna"), std::nullopt);
}

TEST_F(Spelling, AQueryThatFindsItsItemIsNotCorrected) {
  for (const char* q : {"minsk mazowiecki", "Minsk Mazowiecki", "mińsk mazowiecki"}) {
    EXPECT_EQ(search(q).total, 1u) << q;
    EXPECT_EQ(correction(q), std::nullopt) << q;
  }
}

// ---------------------------------------------------------------------------
// More of the rules.

TEST_F(Spelling, TheFormOfTheTypedWordWinsOverTheCommonestForm) {
  // "spolecznj" is one letter from "społecznej", "społeczna" (in more items), "społeczne" and
  // "społeczny": its ending says which.
  EXPECT_EQ(correction("pomocy spolecznj"), "pomocy społecznej");
}

TEST_F(Spelling, TheVisitorsCapitalAndEverythingElseAsTyped) {
  EXPECT_EQ(correction("Wolontairat"), "Wolontariat");
  EXPECT_EQ(correction("  ekonomia   SPOLECZNA  wolontairat "),
            std::nullopt);  // finds nothing either way: no item holds all three
  EXPECT_EQ(correction("\"rodziny zastepcze\" koordynatorw"),
            "\"rodziny zastepcze\" koordynatorów");
}

TEST_F(Spelling, APlaceTypedWithoutDiacriticsIsFoundNotCorrected) {
  // "Ostrołęka" is a proper noun: the dictionary knows it capitalised only.
  for (const char* q : {"ostroleka", "Ostroleka", "ostrołęka"}) {
    EXPECT_EQ(search(q).total, 1u) << q;
    EXPECT_EQ(correction(q), std::nullopt) << q;
  }
}

TEST_F(Spelling, NoCorrectionForDictionaryWordsOrDiacriticsLeftOut) {
  for (const char* q : {"asystentka rodziny", "zrodla", "kot", "bezdomnosc", "ubostwo dzieci",
                        "wolontariuszy", "przemoc", "uzaleznienia mlodziezy", "spoldzielnie"}) {
    EXPECT_EQ(correction(q), std::nullopt) << q;
  }
}

TEST_F(Spelling, AQueryThatFindsSomethingIsCorrectedOnlyWhenTheCorrectionFindsClearlyMore) {
  // "wolontariat" is in 2 items, "rodziny" (any form) in 6, never together. A correction must
  // find at least 3 times as many items and 5 more than the query as typed.
  const SearchResult some = search("wolontariat OR rodizny");
  ASSERT_EQ(some.total, 2u);
  EXPECT_EQ(search("wolontariat OR rodziny").total, 8u);
  EXPECT_EQ(some.suggestion, "wolontariat OR rodziny");  // 8 ≥ 3 × 2 and 8 ≥ 2 + 5
  const SearchResult more = search("rodziny OR wolontairat");
  ASSERT_EQ(more.total, 6u);
  EXPECT_EQ(search("rodziny OR wolontariat").total, 8u);
  EXPECT_EQ(more.suggestion, std::nullopt);  // 8 < 3 × 6
}

// A restricted item's words are known to its readers only: they neither stop an outsider's
// correction nor shape it, and its readers get none for a word the item holds.
TEST(SpellingIsolation, ARestrictedItemsWordsCountOnlyForItsReaders) {
  test::TemporaryFolder folder("archive_spelling_isolation.");
  const std::string with = (folder.path() / "with").string();
  const std::string without = (folder.path() / "without").string();
  std::vector<Item> items;
  for (const Text& text : kCorpus) items.push_back(document(items.size(), text));
  Item restricted = document(items.size(), {"Notatka", "Pomoc spoeczna spoeczna, społecznej."});
  restricted.access = {"grupa-a"};
  test::write_index(without, items);
  items.push_back(restricted);
  test::write_index(with, items);
  const auto search = [](const std::string& db, const std::string& q, const Audience& audience) {
    SearchRequest request;
    request.q = q;
    request.audience = audience;
    return Searcher({db}, Vocabulary{}).search(request);
  };
  for (const char* q : {"pomoc spoeczna", "pomocy spolecznj", "ekonomia spoleczan"}) {
    EXPECT_EQ(search(with, q, {}).suggestion, search(without, q, {}).suggestion) << q;
  }
  EXPECT_EQ(search(with, "pomoc spoeczna", {}).suggestion, "pomoc społeczna");
  const SearchResult reader = search(with, "pomoc spoeczna", Audience{{"grupa-a"}});
  EXPECT_EQ(reader.total, 1u);
  EXPECT_EQ(reader.suggestion, std::nullopt);
}

// ---------------------------------------------------------------------------
// The typo set: each query with the correction a person would offer, or none.

struct Typo {
  const char* query;
  const char* expected;  // nullptr: no correction
  const char* kind;
};

const Typo kTypos[] = {
    // Two neighbouring letters swapped.
    {"ekonomia spoleczan", "ekonomia społeczna", "swapped"},
    {"wolontairat", "wolontariat", "swapped"},
    {"spółdzeilnia socjalna", "spółdzielnia socjalna", "swapped"},
    {"rodizny zastępcze", "rodziny zastępcze", "swapped"},
    {"rehabilitacij", "rehabilitacji", "swapped"},
    {"przemcoy", "przemocy", "swapped"},
    {"schorniska", "schroniska", "swapped"},
    {"partnesrtwo lokalne", "partnerstwo lokalne", "swapped"},
    {"integarcja", "integracja", "swapped"},
    {"uzależneinia", "uzależnienia", "swapped"},
    {"opeika", "opieka", "swapped"},
    {"ubóstow", "ubóstwo", "swapped"},
    {"mieszkaina chronione", "mieszkania chronione", "swapped"},
    {"asystnet rodziny", "asystent rodziny", "swapped"},
    {"konfernecja", "konferencja", "swapped"},
    {"wykluczenei cyfrowe", "wykluczenie cyfrowe", "swapped"},
    {"osoby niepełnosprawen", "osoby niepełnosprawne", "swapped"},
    // A letter missing.
    {"pomoc spoeczna", "pomoc społeczna", "missing"},
    {"wolontriusze", "wolontariusze", "missing"},
    {"rodzny zastępcze", "rodziny zastępcze", "missing"},
    {"bezrobtni", "bezrobotni", "missing"},
    {"niepełnosprawe", "niepełnosprawne", "missing"},
    {"stowarzyszeniam", "stowarzyszeniami", "missing"},
    {"fundacjam", "fundacjami", "missing"},
    {"terapeuc", "terapeuci", "missing"},
    {"cudzoziemy", "cudzoziemcy", "missing"},
    {"przedsiębiorstwo spoeczne", "przedsiębiorstwo społeczne", "missing"},
    {"samorzd", "samorząd", "missing"},
    {"koordynatorw", "koordynatorów", "missing"},
    {"pomocy spolecznj", "pomocy społecznej", "missing"},
    // A letter doubled.
    {"wolontariatt", "wolontariat", "doubled"},
    {"ekonommia społeczna", "ekonomia społeczna", "doubled"},
    {"pommoc społeczna", "pomoc społeczna", "doubled"},
    {"schroniskka", "schroniska", "doubled"},
    {"bezdommnych", "bezdomnych", "doubled"},
    {"profilaktykka", "profilaktyka", "doubled"},
    {"integracjja", "integracja", "doubled"},
    {"świadczennia rodzinne", "świadczenia rodzinne", "doubled"},
    // A wrong letter.
    {"wilontariat", "wolontariat", "wrong letter"},
    {"spółdzielbia socjalna", "spółdzielnia socjalna", "wrong letter"},
    {"rehsbilitacji", "rehabilitacji", "wrong letter"},
    {"ośrodki pomocy spoełcznej", "ośrodki pomocy społecznej", "swapped"},
    {"Wolontairat", "Wolontariat", "swapped"},
    // Right as typed: diacritics left out (search folds them), other forms of archive words,
    // dictionary words the archive lacks, and queries that find their items.
    {"ekonomia spoleczna", nullptr, "no diacritics"},
    {"pomoc spoleczna", nullptr, "no diacritics"},
    {"minsk mazowiecki", nullptr, "no diacritics"},
    {"spoldzielnia socjalna", nullptr, "no diacritics"},
    {"mlodziezy", nullptr, "no diacritics"},
    {"bezdomnosc", nullptr, "no diacritics"},
    {"ubostwo dzieci", nullptr, "no diacritics"},
    {"swiadczenia rodzinne", nullptr, "no diacritics"},
    {"uzaleznienia", nullptr, "no diacritics"},
    {"osoby niepelnosprawne", nullptr, "no diacritics"},
    {"ostroleka", nullptr, "no diacritics"},
    {"ekonomia społeczna", nullptr, "as written"},
    {"pomoc społeczna", nullptr, "as written"},
    {"Mińsk Mazowiecki", nullptr, "as written"},
    {"wolontariuszy", nullptr, "other form"},
    {"rodzina", nullptr, "other form"},
    {"przemoc", nullptr, "other form"},
    {"stowarzyszenia", nullptr, "other form"},
    {"niepełnosprawni", nullptr, "other form"},
    {"Radom", nullptr, "other form"},
    {"asystentka rodziny", nullptr, "dictionary word"},
    {"źródła", nullptr, "dictionary word"},
    {"zrodla", nullptr, "dictionary word"},
    {"kot", nullptr, "dictionary word"},
};

TEST_F(Spelling, TypoSet) {
  size_t typos = 0, right = 0, wrong = 0, missing = 0, correct_queries = 0, spurious = 0;
  const bool verbose = std::getenv("MEDIATEKA_QUALITY_VERBOSE") != nullptr;
  for (const Typo& typo : kTypos) {
    const std::optional<std::string> got = correction(typo.query);
    const char* verdict = "";
    if (typo.expected) {
      ++typos;
      if (!got) {
        ++missing;
        verdict = "missing";
      } else if (*got == typo.expected) {
        ++right;
      } else {
        ++wrong;
        verdict = "wrong";
      }
    } else {
      ++correct_queries;
      if (got) {
        ++spurious;
        verdict = "spurious";
      }
    }
    if (*verdict || verbose) {
      std::printf("  %-14s %-28s → %-30s expected %s %s\n", typo.kind, typo.query,
                  got ? got->c_str() : "(none)", typo.expected ? typo.expected : "(none)", verdict);
    }
  }
  std::printf(
      "typos %zu: right %zu, wrong %zu, missing %zu; queries right as typed %zu: "
      "spurious %zu\n",
      typos, right, wrong, missing, correct_queries, spurious);
  EXPECT_GE(typos, 40u);
  EXPECT_GE(static_cast<double>(right) / static_cast<double>(typos), 0.9);
  EXPECT_EQ(wrong, 0u);
  EXPECT_EQ(spurious, 0u);
}

}  // namespace
}  // namespace mediateka
