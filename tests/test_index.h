// An index written for a test: the items put and committed in one go.
#pragma once

#include <filesystem>
#include <vector>

#include "archive/index_writer.h"
#include "archive/item.h"

namespace mediateka::test {

inline void write_index(const std::filesystem::path& dir, std::vector<Item> items) {
  IndexWriter writer(dir.string());
  for (Item& item : items) writer.put(item);
  writer.commit();
}

}  // namespace mediateka::test
