#include "archive/write/document_text.h"

#include "archive/index/schema.h"

namespace mediateka {

namespace {
// Longer "words" are binary noise or URLs; Xapian also caps terms at 245 bytes.
constexpr size_t kMaxWordBytes = 64;
}  // namespace

void DocumentText::add(std::string_view text, const std::string& prefix, unsigned weight) {
  add_words(text, prefix, weight, nullptr);
}

DocumentText::LocationWords DocumentText::add_location(std::string_view text, unsigned weight) {
  LocationWords place;
  place.first_position = position_;
  add_words(text, {}, weight, &place.words);
  return place;
}

void DocumentText::add_words(std::string_view text, const std::string& prefix, unsigned weight,
                             std::vector<WordSpan>* spans) {
  const std::string lemma_prefix = schema::kLemma + prefix;
  const bool names = names_ && prefix.empty();
  name_word_count_ = 0;
  unsigned last = 0;
  analyzer_.tokenize(text, [&](const Token& token) {
    last = token.position;
    if (spans) spans->push_back({token.begin, token.end});
    if (token.text.size() > kMaxWordBytes) return;
    const std::string folded = fold(token.text);
    term_.assign(prefix).append(folded);
    item_.add_term(term_, weight);
    if (prefix.empty()) {
      item_.add_term(schema::exact_form_term(folded, lower(token.text)), weight);
      words_.insert(folded);
    }
    const std::vector<std::string>& keys = analyzer_.lemmas(token.text);
    for (const std::string& key : keys) {
      term_.assign(lemma_prefix).append(key);
      item_.add_posting(term_, position_ + token.position, weight);
    }
    if (names) {
      if (name_word_count_ == name_words_.size()) name_words_.emplace_back();
      NameWord& word = name_words_[name_word_count_++];
      word.text = token.text;
      word.begin = token.begin;
      word.end = token.end;
      word.folded = folded;
      word.keys.assign(keys.begin(), keys.end());
      word.keys_known = true;
    }
  });
  if (names) add_names(text, weight);
  position_ += last + 1;
}

void DocumentText::add_names(std::string_view text, unsigned weight) {
  names_->find_names(text, name_words_, name_word_count_,
                     [&](std::size_t, const std::string& term) { item_.add_term(term, weight); });
}

}  // namespace mediateka
