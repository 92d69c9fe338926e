// An item analysed for the index, apart from the writer that stores it, so that analysis may
// run on any thread (the indexer's workers) and its parts (item_document.h) need not know the
// writer.
#pragma once

#include <memory>

#include "archive/item.h"

namespace mediateka {

// An item's text turned into the terms of its document, and its places (pages, cues,
// chapters) ready to be stored. Analysis is most of the work of storing an item and needs no
// database, so it may run on any thread, beside the single writer; IndexWriter::put() then stores
// it.
class AnalysedItem {
 public:
  explicit AnalysedItem(const Item& item);
  AnalysedItem(AnalysedItem&&) noexcept;
  AnalysedItem& operator=(AnalysedItem&&) noexcept;
  ~AnalysedItem();

  struct Parts;  // the document's terms and the places (archive/item_document.h)

 private:
  friend class IndexWriter;
  std::unique_ptr<Parts> parts_;
};

}  // namespace mediateka
