// libFuzzer target: an item's stored JSON (archive/item.h item_from_json), as the searcher and
// the importer read it back from the index.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "archive/item.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json json = nlohmann::json::parse(data, data + size, nullptr, false);
  if (json.is_discarded()) return 0;
  try {
    const mediateka::Item item = mediateka::item_from_json(json);
    (void)mediateka::item_to_json(item, mediateka::JsonView::stored).dump();
  } catch (const nlohmann::json::exception&) {
  }
  return 0;
}
