#include "document_text.h"

#include "schema.h"

namespace mediateka {

namespace {
// Longer "words" are binary noise or URLs; Xapian also caps terms at 245 bytes.
constexpr size_t kMaxWordBytes = 64;
}  // namespace

void DocumentText::add(std::string_view text, const std::string& prefix, unsigned weight) {
  const std::string lemma_prefix = schema::kLemma + prefix;
  unsigned last = 0;
  analyzer_.tokenize(text, [&](const Token& token) {
    last = token.position;
    if (token.text.size() > kMaxWordBytes) return;
    const std::string folded = fold(token.text);
    term_.assign(prefix).append(folded);
    item_.add_term(term_, weight);
    if (prefix.empty()) {
      item_.add_term(schema::exact_form_term(folded, lower(token.text)), weight);
      words_.insert(folded);
    }
    for (const std::string& key : analyzer_.lemmas(token.text)) {
      term_.assign(lemma_prefix).append(key);
      item_.add_posting(term_, position_ + token.position, weight);
    }
  });
  position_ += last + 1;
}

// Segment documents carry no exact-form terms: exact forms rank items (see the searcher's
// exact_form_boost) and feed completions, both read from item documents.
std::vector<size_t> DocumentText::add_segment(std::string_view text, Xapian::Document& segment,
                                              unsigned weight) {
  std::vector<size_t> anchors;
  unsigned last = 0;
  analyzer_.tokenize(text, [&](const Token& token) {
    last = token.position;
    if (token.position % kAnchorEvery == 0) anchors.push_back(token.begin);
    if (token.text.size() > kMaxWordBytes) return;
    const std::string folded = fold(token.text);
    item_.add_term(folded, weight);
    segment.add_term(folded);
    item_.add_term(schema::exact_form_term(folded, lower(token.text)), weight);
    words_.insert(folded);
    for (const std::string& key : analyzer_.lemmas(token.text)) {
      term_.assign(schema::kLemma).append(key);
      item_.add_posting(term_, position_ + token.position, weight);
      segment.add_posting(term_, first_position() + token.position);
    }
  });
  position_ += last + 1;
  return anchors;
}

}  // namespace mediateka
