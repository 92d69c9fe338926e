// Turns text into the terms of an index document, the way the searcher expects
// them (see schema.h). Internal to archive/.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "analyzer.h"

namespace mediateka {

class DocumentText {
 public:
  // Terms go to `item`, the item's document; segment documents are passed to add_segment().
  DocumentText(const Analyzer& analyzer, Xapian::Document& item)
      : analyzer_(analyzer), item_(item) {}

  // Indexes `text` into the item document; words under `prefix` when it is not empty (field
  // search), `weight` times as heavy as body text.
  void add(std::string_view text, const std::string& prefix = {}, unsigned weight = 1);

  // Indexes body text into the item document (`weight` times as heavy) and, in the same pass,
  // into `segment`, the document of the page or cue it comes from, with positions counted from
  // first_position(). Returns the segment's word anchors: the byte offsets of every
  // kAnchorEvery-th word, so that word n is found by tokenizing from anchors[n / kAnchorEvery]
  // and snippets need not read a page from its start.
  std::vector<size_t> add_segment(std::string_view text, Xapian::Document& segment,
                                  unsigned weight = 1);

  // Puts a gap in the item document's positions so that phrases do not match across pieces
  // of text.
  void break_phrase() { position_ += 100; }

  // Folded words seen, for the spelling dictionary.
  const std::unordered_set<std::string>& words() const { return words_; }

  static constexpr unsigned kAnchorEvery = 32;
  // The position the first word of a segment gets (word n is at first_position() + n).
  static constexpr Xapian::termpos first_position() { return 1; }

 private:
  const Analyzer& analyzer_;
  Xapian::Document& item_;
  Xapian::termpos position_ = first_position();
  std::unordered_set<std::string> words_;
  std::string term_;  // reused to build terms without an allocation per word
};

}  // namespace mediateka
