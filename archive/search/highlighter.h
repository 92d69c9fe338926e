// Marks the words of a query in text, for hit and location snippets (snippet.h). Uses the
// same Analyzer as indexing, so a word is marked exactly when it would match.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "archive/search/snippet.h"
#include "archive/text/analyzer.h"

namespace mediateka {

class Highlighter {
 public:
  Highlighter(const Analyzer& analyzer, std::set<std::string> lemma_keys,
              std::set<std::string> folded_forms, std::vector<std::string> folded_prefixes);

  bool empty() const;
  bool matches(std::string_view word) const;

  // The window of about `window_words` words with the most matches, its matches marked, cut
  // where the window ends. Text with no match gives its beginning.
  Snippet snippet(std::string_view text, size_t window_words = 30) const;

  // The window of `window_words` words from word `first` of `text`, whose words stand at
  // `words` (stored at indexing, so nothing is tokenized; the words after the window need
  // not be given, but one more tells that the text goes on). `matched` lists, sorted, the
  // ordinals of the words that match, from the index's positions; a word is also marked when
  // it starts with a query prefix.
  Snippet snippet_of(std::string_view text, const std::vector<WordSpan>& words, size_t first,
                     const std::vector<size_t>& matched, size_t window_words = 30) const;

 private:
  bool matches_form(const std::string& folded) const;
  bool matches_prefix(std::string_view word) const;
  bool has_query_prefix(const std::string& folded) const;

  struct Word {
    size_t begin, end;
    bool match;
  };
  // Words [first, last) of `words` (all of `text` around them when they are all its words).
  static Snippet cut(std::string_view text, const std::vector<Word>& words, size_t first,
                     size_t last, bool cut_before);

  const Analyzer& analyzer_;
  std::set<std::string> lemma_keys_;
  std::set<std::string> folded_forms_;
  std::vector<std::string> folded_prefixes_;
};

}  // namespace mediateka
