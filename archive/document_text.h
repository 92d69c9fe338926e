// Turns text into the terms of an index document, the way the searcher expects
// them (see schema.h). Internal to archive/.
#pragma once

#include <xapian.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer.h"

namespace mediateka {

class DocumentText {
 public:
  DocumentText(const Analyzer& analyzer, Xapian::Document& document)
      : analyzer_(analyzer), document_(document) {}

  // Indexes `text`; words under `prefix` when it is not empty (field search),
  // `weight` times as heavy as body text.
  void add(std::string_view text, const std::string& prefix = {}, unsigned weight = 1);
  // Puts a gap in positions so that phrases do not match across pieces of text.
  void break_phrase() { position_ += 100; }

  // Folded words seen, for the spelling dictionary.
  const std::set<std::string>& words() const { return words_; }

  // Byte offsets of every kAnchorEvery-th word of the first text added: word n is found by
  // tokenizing from anchors()[n / kAnchorEvery], so snippets need not read a page from its start.
  static constexpr unsigned kAnchorEvery = 32;
  const std::vector<size_t>& anchors() const { return anchors_; }
  // The position the first word of the first text added gets (word n is at first_position() + n).
  static constexpr Xapian::termpos first_position() { return 1; }

 private:
  const Analyzer& analyzer_;
  Xapian::Document& document_;
  Xapian::termpos position_ = first_position();
  std::set<std::string> words_;
  std::vector<size_t> anchors_;
};

}  // namespace mediateka
