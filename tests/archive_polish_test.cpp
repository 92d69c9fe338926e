// Polish analysis: inflection, diacritics, negation, ranking of forms.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

#include "archive/index_writer.h"
#include "archive/searcher.h"
#include "archive/text/analyzer.h"

namespace mediateka {
namespace {

namespace fs = std::filesystem;

bool has(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

TEST(PolishLemmas, InflectedFormsShareAKey) {
  const Analyzer& analyzer = default_analyzer();
  ASSERT_TRUE(analyzer.has_dictionary()) << "hunspell-pl is not installed";
  EXPECT_TRUE(has(analyzer.lemmas("społecznej"), "spoleczny"));
  EXPECT_TRUE(has(analyzer.lemmas("społecznemu"), "spoleczny"));
  EXPECT_TRUE(has(analyzer.lemmas("pomocy"), "pomoc"));
  EXPECT_TRUE(has(analyzer.lemmas("rodzinom"), "rodzina"));
  EXPECT_TRUE(has(analyzer.lemmas("źródeł"), "zrodlo"));
  EXPECT_TRUE(has(analyzer.lemmas("Mazowszu"), "mazowsze"));
  EXPECT_TRUE(has(analyzer.lemmas("mazowszu"), "mazowsze"));  // proper noun typed in lower case
}

TEST(PolishLemmas, NegationIsKept) {
  const Analyzer& analyzer = default_analyzer();
  for (const std::string& key : analyzer.lemmas("niepełnosprawnych")) {
    EXPECT_EQ(key.rfind("nie", 0), 0u) << key;
  }
  EXPECT_FALSE(has(analyzer.lemmas("niepełnosprawni"), "pelnosprawny"));
}

TEST(PolishLemmas, UnknownWordsGetALightStem) {
  const Analyzer& analyzer = default_analyzer();
  EXPECT_EQ(analyzer.lemmas("Kooperacjix"), analyzer.lemmas("kooperacjixach"));
  EXPECT_EQ(analyzer.lemmas("2012"), std::vector<std::string>{"2012"});
}

// Importing threads analyse side by side and share what the dictionary said.
TEST(PolishLemmas, ThreadsAnalysingTogetherAgree) {
  const Analyzer& analyzer = default_analyzer();
  ASSERT_TRUE(analyzer.has_dictionary()) << "hunspell-pl is not installed";
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&analyzer, &wrong, t] {
      for (int round = 0; round < 50; ++round) {
        if (!has(analyzer.lemmas("społecznej"), "spoleczny")) ++wrong;
        if (!has(analyzer.lemmas("rodzinom"), "rodzina")) ++wrong;
        // Words no thread saw before: each is computed once and shared.
        std::string unknown = "kooperacjix";
        for (char digit : std::to_string(round * 4 + t)) unknown += "bcdfghjklm"[digit - '0'];
        if (analyzer.lemmas(unknown) != analyzer.lemmas(unknown + "ach")) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(PolishLemmas, RestoresDiacriticsOfDictionaryWords) {
  std::vector<std::string> words = default_analyzer().restore_diacritics("zrodel");
  EXPECT_TRUE(has(words, "źródeł"));
}

class PolishSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mediateka-pl-" + std::to_string(std::random_device{}()));
    IndexWriter writer(dir_.string());
    add(writer, "Ośrodki pomocy społecznej wspierają rodziny.");  // 0
    add(writer, "Pomoc społeczna to system wsparcia.");           // 1
    add(writer, "Gazeta spoleczna pisze o pomocy.");              // 2 (typed without diacritics)
    add(writer, "Szukamy źródła finansowania dla spółdzielni.");  // 3
    add(writer, "Osoby niepełnosprawne pracują w kawiarni.");     // 4
    add(writer, "Pełnosprawni sportowcy biegają.");               // 5
    add(writer, "Projekt realizowany na Mazowszu przez wolontariuszy.");  // 6
    add(writer, "To nie jest proste, ale jest możliwe.");                 // 7
    writer.commit();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void add(IndexWriter& writer, const std::string& text) {
    Item item;
    item.title = "Dokument " + std::to_string(count_);
    item.source.file = "/pl/" + std::to_string(count_++) + ".pdf";
    item.segments.push_back(Segment{1, 0, 0, text});
    writer.put(item);
  }

  std::vector<std::string> titles(const std::string& q) {
    Vocabulary vocabulary;
    Searcher searcher({dir_.string()}, vocabulary);
    SearchRequest request;
    request.q = q;
    std::vector<std::string> out;
    for (const Hit& hit : searcher.search(request).hits) out.push_back(hit.item.title);
    return out;
  }

  fs::path dir_;
  int count_ = 0;
};

TEST_F(PolishSearch, EveryFormWithOrWithoutDiacritics) {
  for (std::string q : {"pomoc społeczna", "pomocy społecznej", "pomoc spoleczna",
                        "pomocy spolecznej", "pomocą społeczną"}) {
    std::vector<std::string> found = titles(q);
    EXPECT_TRUE(has(found, "Dokument 0")) << q;
    EXPECT_TRUE(has(found, "Dokument 1")) << q;
  }
  EXPECT_TRUE(has(titles("zrodel"), "Dokument 3"));
  EXPECT_TRUE(has(titles("źródłom"), "Dokument 3"));
  EXPECT_TRUE(has(titles("mazowsze"), "Dokument 6"));
  EXPECT_TRUE(has(titles("wolontariusz"), "Dokument 6"));
}

TEST_F(PolishSearch, PhrasesMatchInflectedFormsInOrder) {
  std::vector<std::string> found = titles("\"pomoc społeczna\"");
  EXPECT_TRUE(has(found, "Dokument 0"));  // "pomocy społecznej"
  EXPECT_TRUE(has(found, "Dokument 1"));
  EXPECT_FALSE(has(titles("\"społeczna pomoc\""), "Dokument 1"));
  // Stop words stay inside phrases.
  EXPECT_EQ(titles("\"nie jest\""), std::vector<std::string>{"Dokument 7"});
}

TEST_F(PolishSearch, NegatedWordsDoNotMatchTheirOpposite) {
  EXPECT_EQ(titles("niepełnosprawni"), std::vector<std::string>{"Dokument 4"});
  EXPECT_EQ(titles("pełnosprawni"), std::vector<std::string>{"Dokument 5"});
}

TEST_F(PolishSearch, ExactFormFirstThenFoldedThenOtherForms) {
  // "społeczna": exact in 1, folded in 2 ("spoleczna"), another form in 0 ("społecznej").
  std::vector<std::string> found = titles("społeczna");
  ASSERT_GE(found.size(), 3u);
  EXPECT_EQ(found[0], "Dokument 1");
  EXPECT_EQ(found[1], "Dokument 2");
  EXPECT_EQ(found[2], "Dokument 0");
}

// Without the dictionary inflected forms would quietly stop finding each other: a missing
// hunspell-pl is an error naming the package, and running without it must be asked for.
TEST(PolishDictionary, MissingIsAnErrorNamingThePackage) {
  const fs::path empty = fs::temp_directory_path() / "mediateka-no-dictionary";
  fs::create_directories(empty);
  try {
    Analyzer analyzer(empty.string());
    ADD_FAILURE() << "an analyzer without its dictionary was made";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("hunspell-pl"), std::string::npos) << message;
    EXPECT_NE(message.find("MEDIATEKA_NO_DICTIONARY=1"), std::string::npos) << message;
  }
  fs::remove_all(empty);
}

TEST(PolishDictionary, RunsWithoutItOnlyWhenAskedTo) {
  ASSERT_EQ(std::getenv("MEDIATEKA_NO_DICTIONARY"), nullptr);
  EXPECT_EQ(load_default_analyzer(), "");  // with hunspell-pl: nothing to warn about
  setenv("MEDIATEKA_NO_DICTIONARY", "1", 1);
  const Analyzer analyzer("/nonexistent");
  unsetenv("MEDIATEKA_NO_DICTIONARY");
  EXPECT_FALSE(analyzer.has_dictionary());
  EXPECT_FALSE(analyzer.lemmas("pomocy").empty());
}

}  // namespace
}  // namespace mediateka
