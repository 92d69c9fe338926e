// Marks the words of a query in text, for hit and location snippets. Uses the
// same Analyzer as indexing, so a word is marked exactly when it would match.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer.h"

namespace mediateka {

std::string html_escape(std::string_view text);

class Highlighter {
 public:
  Highlighter(const Analyzer& analyzer, std::set<std::string> lemma_keys,
              std::set<std::string> folded_forms, std::vector<std::string> folded_prefixes);

  bool empty() const;
  bool matches(std::string_view word) const;

  // The window of about `window_words` words with the most matches, HTML-escaped,
  // matches in <mark>…</mark>, "… " / " …" where text was cut. Text with no match
  // gives its beginning.
  std::string snippet(std::string_view text, size_t window_words = 30) const;

  // The window of `window_words` words that begins `skip` words after byte `from` of `text`
  // (a word boundary), reading only those words. `matched` lists, sorted, the ordinals
  // (counted from `from`) of the words known to match, from the index's positions; other
  // words are marked when they have the form of a query word or start with a query prefix.
  std::string snippet_from(std::string_view text, size_t from, size_t skip,
                           const std::vector<size_t>& matched, size_t window_words = 30) const;

 private:
  bool matches_form(const std::string& folded) const;

  struct Word {
    size_t begin, end;
    bool match;
  };
  std::string render(std::string_view text, const std::vector<Word>& words, size_t first,
                     size_t last, bool cut_before) const;

  const Analyzer& analyzer_;
  std::set<std::string> lemma_keys_;
  std::set<std::string> folded_forms_;
  std::vector<std::string> folded_prefixes_;
};

}  // namespace mediateka
