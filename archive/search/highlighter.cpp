#include "archive/search/highlighter.h"

#include <algorithm>

namespace mediateka {

Highlighter::Highlighter(const Analyzer& analyzer, std::set<std::string> lemma_keys,
                         std::set<std::string> folded_forms,
                         std::vector<std::string> folded_prefixes)
    : analyzer_(analyzer),
      lemma_keys_(std::move(lemma_keys)),
      folded_forms_(std::move(folded_forms)),
      folded_prefixes_(std::move(folded_prefixes)) {}

bool Highlighter::empty() const {
  return lemma_keys_.empty() && folded_forms_.empty() && folded_prefixes_.empty();
}

bool Highlighter::has_query_prefix(const std::string& folded) const {
  for (const std::string& prefix : folded_prefixes_) {
    if (folded.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

bool Highlighter::matches_form(const std::string& folded) const {
  return folded_forms_.count(folded) || has_query_prefix(folded);
}

bool Highlighter::matches(std::string_view word) const {
  if (empty()) return false;
  if (matches_form(fold(word))) return true;
  if (lemma_keys_.empty()) return false;
  for (const std::string& key : analyzer_.lemmas(word)) {
    if (lemma_keys_.count(key)) return true;
  }
  return false;
}

Snippet Highlighter::snippet(std::string_view text, size_t window_words) const {
  std::vector<Word> words;
  analyzer_.tokenize(text, [&](const Token& token) {
    words.push_back({token.begin, token.end, matches(token.text)});
  });
  if (words.empty()) return Snippet{std::string(text.substr(0, 200)), {}, false, false};

  // Slide a window over the words and keep the first one with the most matches.
  size_t best_start = 0, best_count = 0, count = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    count += words[i].match;
    if (i >= window_words) count -= words[i - window_words].match;
    size_t start = i + 1 >= window_words ? i + 1 - window_words : 0;
    if (count > best_count) {
      best_count = count;
      best_start = start;
    }
  }
  // Start a little before the first match so it has some context.
  if (best_count > 0) {
    while (best_start < words.size() && !words[best_start].match) ++best_start;
    best_start = best_start >= 5 ? best_start - 5 : 0;
  }
  size_t best_end = std::min(words.size(), best_start + window_words);
  return cut(text, words, best_start, best_end, best_start > 0);
}

bool Highlighter::matches_prefix(std::string_view word) const {
  return !folded_prefixes_.empty() && has_query_prefix(fold(word));
}

Snippet Highlighter::snippet_of(std::string_view text, const std::vector<WordSpan>& words,
                                size_t first, const std::vector<size_t>& matched,
                                size_t window_words) const {
  if (first >= words.size()) return snippet(text, window_words);
  // The window's words and the one after it, if any (it tells that the text goes on).
  const size_t last = std::min(words.size(), first + window_words);
  std::vector<Word> marked;
  marked.reserve(last - first + 1);
  size_t previous_end = 0;
  for (size_t i = first; i < std::min(words.size(), last + 1); ++i) {
    const WordSpan& word = words[i];
    // Spans from another text than this one: do without them.
    if (word.begin < previous_end || word.end < word.begin || word.end > text.size()) {
      return snippet(text, window_words);
    }
    previous_end = word.end;
    marked.push_back({word.begin, word.end, false});
  }
  auto next_matched = std::lower_bound(matched.begin(), matched.end(), first);
  for (size_t i = first; i < last; ++i) {
    while (next_matched != matched.end() && *next_matched < i) ++next_matched;
    Word& word = marked[i - first];
    word.match = (next_matched != matched.end() && *next_matched == i) ||
                 matches_prefix(text.substr(word.begin, word.end - word.begin));
  }
  return cut(text, marked, 0, last - first, first > 0);
}

Snippet Highlighter::cut(std::string_view text, const std::vector<Word>& words, size_t first,
                         size_t last, bool cut_before) {
  Snippet snippet;
  snippet.cut_before = cut_before || first > 0;
  snippet.cut_after = last != words.size();
  const size_t begin = snippet.cut_before ? words[first].begin : 0;
  const size_t end = snippet.cut_after ? words[last - 1].end : text.size();
  snippet.text.assign(text.substr(begin, end - begin));
  for (size_t i = first; i < last; ++i) {
    if (words[i].match) snippet.marks.push_back({words[i].begin - begin, words[i].end - begin});
  }
  return snippet;
}

}  // namespace mediateka
