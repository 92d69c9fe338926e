// The words a visitor searched for, matched as the archive matches them (its Analyzer: folded
// forms and dictionary lemmas, so "pomocy" finds "pomoc"): for marking them on page images and
// for "Szukaj w tym dokumencie", the search inside one document on its item page.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/item.h"
#include "archive/search/highlighter.h"
#include "archive/search/snippet.h"

namespace mediateka::server {

class QueryWords {
 public:
  // The words of `q` as the search box takes them; words after '-' (left out) and the operators
  // OR, AND, NOT are not searched for; "word*" is a prefix.
  explicit QueryWords(std::string_view q);

  bool empty() const { return !highlighter_; }
  // Whether any word of `text` (a word or a phrase, punctuation allowed) matches.
  bool matches(std::string_view text) const;
  // About 30 words of `text` around its matches, marked.
  Snippet snippet(std::string_view text) const;
  // What the words match, the same for queries that match alike ("Pomocy" and "pomocy"): for
  // naming cached pictures. "" when empty().
  const std::string& key() const { return key_; }

 private:
  std::optional<Highlighter> highlighter_;
  std::vector<std::string> prefixes_;  // folded
  std::string key_;
};

struct PageMatch {
  int page = 0;
  Snippet snippet;
};

// The PDF pages (segments with a page number) with a word of `words`, in page order, at most
// `limit` of them.
std::vector<PageMatch> pages_matching(const QueryWords& words, const std::vector<Segment>& segments,
                                      std::size_t limit = 100);

}  // namespace mediateka::server
