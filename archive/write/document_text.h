// Turns text into the terms of an index document, the way the searcher expects
// them (see schema.h). Internal to archive/.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "archive/text/analyzer.h"
#include "archive/text/synonyms.h"

namespace mediateka {

class DocumentText {
 public:
  // Terms go to `item`, the item's document. With `names`, body text also gets the name term of
  // each name of the list it holds (schema::kName).
  DocumentText(const Analyzer& analyzer, Xapian::Document& item, const Synonyms* names = nullptr)
      : analyzer_(analyzer), item_(item), names_(names) {}

  // Indexes `text` into the item document; words under `prefix` when it is not empty (field
  // search), `weight` times as heavy as body text.
  void add(std::string_view text, const std::string& prefix = {}, unsigned weight = 1);

  // Indexes the text of one place (a page, a cue, a chapter) into the item document, `weight`
  // times as heavy as body text. Its words get consecutive positions from `first_position`, so
  // a position of the item tells the place and the word in it. `words` are where its words
  // stand in `text`, so that snippets are cut and marked without tokenizing it again.
  struct LocationWords {
    Xapian::termpos first_position = 0;
    std::vector<WordSpan> words;
  };
  LocationWords add_location(std::string_view text, unsigned weight = 1);

  // Puts a gap in the item document's positions so that phrases do not match across pieces
  // of text.
  void break_phrase() { position_ += 100; }

  // Folded words seen, for the spelling dictionary.
  const std::unordered_set<std::string>& words() const { return words_; }

 private:
  void add_words(std::string_view text, const std::string& prefix, unsigned weight,
                 std::vector<WordSpan>* spans);

  void add_names(std::string_view text, unsigned weight);

  const Analyzer& analyzer_;
  Xapian::Document& item_;
  const Synonyms* names_;
  std::vector<NameWord> name_words_;  // of the text being added; reused, with their capacity
  std::size_t name_word_count_ = 0;
  Xapian::termpos position_ = 1;
  std::unordered_set<std::string> words_;
  std::string term_;  // reused to build terms without an allocation per word
};

}  // namespace mediateka
