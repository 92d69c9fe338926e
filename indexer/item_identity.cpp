#include "item_identity.h"

#include <filesystem>

namespace mediateka::indexer {
namespace {

bool source_vanished(const Item& item) {
  std::error_code error;
  return item.source.url.empty() && !item.source.file.empty() &&
         !std::filesystem::exists(item.source.file, error) && !error;
}

ItemIdentity keep(const Item& item, const std::string& manifest_id) {
  ItemIdentity identity;
  identity.id = item.id;
  identity.slug = item.slug;
  identity.existing = true;
  if (!manifest_id.empty() && manifest_id != item.id) {
    identity.warnings.push_back("manifest id '" + manifest_id +
                                "' ignored: the item already has id '" + item.id +
                                "', and ids never change");
  }
  return identity;
}

}  // namespace

ItemIdentity resolve_identity(const IndexWriter* index, const std::optional<Item>& stored,
                              const std::string& checksum, const std::string& manifest_id,
                              const std::set<std::string>& claimed_ids) {
  if (stored) return keep(*stored, manifest_id);
  if (index && !checksum.empty()) {
    for (const Item& candidate : index->find_by_checksum(checksum)) {
      if (source_vanished(candidate) && !claimed_ids.count(candidate.id)) {
        return keep(candidate, manifest_id);
      }
    }
  }
  ItemIdentity identity;
  if (manifest_id.empty()) return identity;
  if (claimed_ids.count(manifest_id)) {
    identity.error = "id '" + manifest_id + "' is already given to another source in this import";
    return identity;
  }
  std::optional<Item> holder = index ? index->find_by_id(manifest_id) : std::nullopt;
  if (holder && !source_vanished(*holder)) {
    identity.error =
        "id '" + manifest_id + "' already belongs to " + IndexWriter::source_key(*holder);
    return identity;
  }
  if (holder) return keep(*holder, manifest_id);
  identity.id = manifest_id;
  return identity;
}

}  // namespace mediateka::indexer
