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
  const bool first_text = position_ == first_position();
  analyzer_.tokenize(text, [&](const Token& token) {
    last = token.position;
    if (first_text && token.position % kAnchorEvery == 0) anchors_.push_back(token.begin);
    if (token.text.size() > kMaxWordBytes) return;
    Xapian::termpos position = position_ + token.position;
    std::string folded = fold(token.text);
    document_.add_term(prefix + folded, weight);
    if (prefix.empty()) {
      document_.add_term(schema::exact_form_term(folded, lower(token.text)), weight);
      words_.insert(folded);
    }
    for (const std::string& key : analyzer_.lemmas(token.text)) {
      document_.add_posting(lemma_prefix + key, position, weight);
    }
  });
  position_ += last + 1;
}

}  // namespace mediateka
