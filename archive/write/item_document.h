// What an item's document in the index holds (schema.h): the terms and values that identify,
// filter and sort it, its text's terms and its places, for IndexWriter (internal to archive/).
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "archive/analysed_item.h"
#include "archive/item.h"
#include "archive/text/analyzer.h"

namespace mediateka {

// An item analysed (analysed_item.h): its document's text terms, and its places (pages, cues,
// chapters) ready to be stored as segment documents.
struct AnalysedItem::Parts {
  struct LocationText {
    Segment segment;
    std::vector<WordSpan> words;
  };
  Xapian::Document item_document;
  std::vector<LocationText> locations;
  std::vector<Xapian::termpos> location_starts;  // see schema::HitFields
  std::vector<std::string> words;                // folded, for the spelling dictionary
};

// What identifies, filters and sorts an item, and its stored JSON.
void add_item_fields(Xapian::Document& document, const Item& item, const std::string& source_key);
// The set terms of an item (type, campaigns, project), which tombstones keep too.
void add_set_terms(Xapian::Document& document, const Item& item);
// The value of schema::kSlotChanged for a change made now.
std::string changed_now();

}  // namespace mediateka
