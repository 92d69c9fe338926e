#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "archive/text/analyzer.h"
#include "archive/text/slug.h"
#include "archive/text/vocabulary.h"

namespace mediateka {
namespace {

TEST(Slugify, TransliteratesPolishAndCollapsesPunctuation) {
  EXPECT_EQ(slugify("Łódź – reportaż"), "lodz-reportaz");
  EXPECT_EQ(slugify("Zażółć gęślą jaźń"), "zazolc-gesla-jazn");
  EXPECT_EQ(slugify("  Pomoc społeczna: 2012/2013!  "), "pomoc-spoleczna-2012-2013");
  EXPECT_EQ(slugify("ŚWIĘTO WOLONTARIUSZY"), "swieto-wolontariuszy");
  EXPECT_EQ(slugify("Mazowsze 2007–2013 „Razem”"), "mazowsze-2007-2013-razem");
}

TEST(Slugify, NeverEmptyAndBounded) {
  EXPECT_EQ(slugify(""), "item");
  EXPECT_EQ(slugify("– … –"), "item");
  std::string long_title;
  for (int i = 0; i < 40; ++i) long_title += "wolontariat ";
  std::string slug = slugify(long_title);
  EXPECT_LE(slug.size(), 80u);
  EXPECT_NE(slug.back(), '-');
  EXPECT_TRUE(is_valid_identifier(slug));
}

TEST(ItemId, StableAndWellFormed) {
  std::string id = make_item_id("/archiwum/radio/audycja.mp3");
  EXPECT_EQ(id, make_item_id("/archiwum/radio/audycja.mp3"));
  EXPECT_NE(id, make_item_id("/archiwum/radio/audycja2.mp3"));
  EXPECT_EQ(id.size(), 12u);
  EXPECT_TRUE(is_valid_identifier(id));
  // Ids are stored, never recomputed, but the function must not drift between versions:
  EXPECT_EQ(make_item_id(""), "3niihzj4ux45");
}

TEST(Identifier, RejectsWhatCannotBeInALink) {
  EXPECT_TRUE(is_valid_identifier("lodz-reportaz_2"));
  EXPECT_FALSE(is_valid_identifier(""));
  EXPECT_FALSE(is_valid_identifier("../etc/passwd"));
  EXPECT_FALSE(is_valid_identifier("Łódź"));
  EXPECT_FALSE(is_valid_identifier(std::string(121, 'a')));
}

TEST(Fold, FoldsEveryPolishLetter) {
  EXPECT_EQ(fold("ĄĆĘŁŃÓŚŹŻąćęłńóśźż"), "acelnoszzacelnoszz");
  EXPECT_EQ(fold("Społecznej"), "spolecznej");
  EXPECT_EQ(strip_diacritics("Łódź AND Żory"), "Lodz AND Zory");
  EXPECT_EQ(lower("ŁÓDŹ"), "łódź");
}

TEST(Tokenize, SplitsWordsWithOffsets) {
  std::vector<std::string> words;
  std::vector<size_t> begins;
  default_analyzer().tokenize("Pomoc społeczna, 2012 r. — ośrodki!", [&](const Token& token) {
    words.emplace_back(token.text);
    begins.push_back(token.begin);
  });
  EXPECT_EQ(words, (std::vector<std::string>{"Pomoc", "społeczna", "2012", "r", "ośrodki"}));
  EXPECT_EQ(begins[1], 6u);
}

// A sink that throws (a search meeting a shard that stopped answering) leaves the thread's
// word breaker ready for the next text, and the text closed (LeakSanitizer checks that).
TEST(Tokenize, ASinkThatThrowsLeavesTheBreakerReady) {
  int seen = 0;
  EXPECT_THROW(default_analyzer().tokenize("jeden dwa trzy",
                                           [&](const Token&) {
                                             if (++seen == 2) throw std::runtime_error("shard");
                                           }),
               std::runtime_error);
  std::vector<std::string> words;
  default_analyzer().tokenize("pomoc społeczna",
                              [&](const Token& token) { words.emplace_back(token.text); });
  EXPECT_EQ(words, (std::vector<std::string>{"pomoc", "społeczna"}));
}

TEST(Vocabulary, MatchesIgnoringCaseDiacriticsAndAliases) {
  Vocabulary vocabulary;
  vocabulary.add("Ekonomia społeczna", {"ES"});
  vocabulary.add("Przeciwdziałanie dziedziczeniu biedy", {"Dziedziczenie biedy"});
  EXPECT_EQ(vocabulary.match("ekonomia spoleczna"), "Ekonomia społeczna");
  EXPECT_EQ(vocabulary.match("  EKONOMIA   SPOŁECZNA "), "Ekonomia społeczna");
  EXPECT_EQ(vocabulary.match("es"), "Ekonomia społeczna");
  EXPECT_EQ(vocabulary.match("dziedziczenie-biedy"), "Przeciwdziałanie dziedziczeniu biedy");
  EXPECT_FALSE(vocabulary.match("Ekonomia"));
  EXPECT_EQ(vocabulary.canonical_names().size(), 2u);
}

}  // namespace
}  // namespace mediateka
