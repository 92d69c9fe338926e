// How an imported source finds its permanent id and slug (item.h: they never change).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "archive/index_writer.h"
#include "archive/item.h"
#include "archive/write/permanent_names.h"

namespace mediateka::indexer {

// What an import needs of the item stored under a source's key: its names and what it was made
// from. Held for every source of a run at once, so it stays small (no text, no metadata).
struct StoredItem {
  std::string id;
  std::string slug;
  std::string file;  // SourceInfo's fields of the same names
  std::string checksum;
  std::string metadata_fingerprint;
  std::int64_t size = 0;
  std::int64_t mtime = 0;

  static StoredItem of(const Item& item) {
    const SourceInfo& source = item.source;
    return {item.id,     item.slug,   source.file, source.checksum, source.metadata_fingerprint,
            source.size, source.mtime};
  }
};

struct ItemIdentity {
  std::string id,
      slug;  // both empty for a new item without a manifest id: IndexWriter derives them
  bool existing = false;  // an item is already stored for this source (or for its content, moved)
  std::string error;      // the source cannot be imported under the id the manifest asks for
  std::vector<std::string> warnings;
};

// What the source being imported is: its key (absolute path or URL), its content checksum, and
// the id its manifest row asks for (empty without one).
struct SourceIdentity {
  std::string key;
  std::string checksum;
  std::string manifest_id;
};

// In order: the item stored under the same source key; else an item with the same
// checksum whose file is gone (the file moved here); else, when this index is rebuilding an
// earlier one, the names the earlier index gave the same source (or its content, moved);
// else the item the manifest's id names, when its own file is gone; else a new item (with
// the manifest's id, if any). `claimed_ids` are the ids given to other sources in this run:
// never taken twice. `index` may be null (a dry run before the index exists), `earlier` too.
ItemIdentity resolve_identity(const IndexWriter* index, const PermanentNames* earlier,
                              const std::optional<StoredItem>& stored, const SourceIdentity& source,
                              const std::set<std::string>& claimed_ids);

}  // namespace mediateka::indexer
