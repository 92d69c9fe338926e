#include "api/document_search.h"

#include <set>

#include "archive/text/analyzer.h"

namespace mediateka::server {

QueryWords::QueryWords(std::string_view q) {
  const Analyzer& analyzer = default_analyzer();
  std::set<std::string> lemma_keys, folded_forms;
  std::vector<std::string> prefixes;
  analyzer.tokenize(q, [&](const Token& token) {
    const bool excluded = token.begin > 0 && q[token.begin - 1] == '-' &&
                          (token.begin == 1 || q[token.begin - 2] == ' ' ||
                           q[token.begin - 2] == '(' || q[token.begin - 2] == '"');
    if (excluded || token.text == "OR" || token.text == "AND" || token.text == "NOT") return;
    if (token.end < q.size() && q[token.end] == '*') {
      prefixes.push_back(fold(token.text));
      return;
    }
    folded_forms.insert(fold(token.text));
    for (const std::string& key : analyzer.lemmas(token.text)) lemma_keys.insert(key);
  });
  if (folded_forms.empty() && prefixes.empty()) return;
  for (const std::string& key : lemma_keys) key_ += "l:" + key + ' ';
  for (const std::string& form : folded_forms) key_ += "f:" + form + ' ';
  for (const std::string& prefix : std::set<std::string>(prefixes.begin(), prefixes.end()))
    key_ += "p:" + prefix + ' ';
  prefixes_ = prefixes;
  highlighter_.emplace(analyzer, std::move(lemma_keys), std::move(folded_forms),
                       std::move(prefixes));
}

bool QueryWords::matches(std::string_view text) const {
  if (!highlighter_) return false;
  bool found = false;
  default_analyzer().tokenize(text, [&](const Token& token) {
    if (found) return;
    if (highlighter_->matches(token.text)) {
      found = true;
      return;
    }
    const std::string folded = fold(token.text);
    for (const std::string& prefix : prefixes_) found = found || starts_with(folded, prefix);
  });
  return found;
}

Snippet QueryWords::snippet(std::string_view text) const {
  if (!highlighter_) return {};
  return highlighter_->snippet(text);
}

std::vector<PageMatch> pages_matching(const QueryWords& words, const std::vector<Segment>& segments,
                                      std::size_t limit) {
  std::vector<PageMatch> pages;
  if (words.empty()) return pages;
  for (const Segment& segment : segments) {
    if (segment.page <= 0 || segment.text.empty()) continue;
    Snippet snippet = words.snippet(segment.text);
    if (snippet.marks.empty()) continue;
    pages.push_back({segment.page, std::move(snippet)});
    if (pages.size() >= limit) break;
  }
  return pages;
}

}  // namespace mediateka::server
