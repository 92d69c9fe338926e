#include "item_identity.h"

#include <filesystem>

#include "source_list.h"

namespace mediateka::indexer {
namespace {

bool file_gone(const std::string& file) {
  std::error_code error;
  return !file.empty() && !std::filesystem::exists(file, error) && !error;
}

bool source_vanished(const Item& item) {
  return item.source.url.empty() && file_gone(item.source.file);
}

bool source_vanished(const PermanentNames::Name& name) {
  return !is_url(name.source_key) && file_gone(name.file);
}

ItemIdentity keep(const std::string& id, const std::string& slug, bool existing,
                  const std::string& manifest_id) {
  ItemIdentity identity;
  identity.id = id;
  identity.slug = slug;
  identity.existing = existing;
  if (!manifest_id.empty() && manifest_id != id) {
    identity.warnings.push_back("manifest id '" + manifest_id +
                                "' ignored: the item already has id '" + id +
                                "', and ids never change");
  }
  return identity;
}

ItemIdentity keep(const Item& item, const std::string& manifest_id) {
  return keep(item.id, item.slug, true, manifest_id);
}

// The earlier index's names for the source, unless this index already gave its id to another.
std::optional<ItemIdentity> earlier_names(const IndexWriter* index, const PermanentNames& earlier,
                                          const SourceIdentity& source,
                                          const std::set<std::string>& claimed_ids) {
  auto free = [&](const PermanentNames::Name& name) {
    return !claimed_ids.count(name.id) && !(index && index->find_by_id(name.id));
  };
  if (const PermanentNames::Name* name = earlier.by_source(source.key); name && free(*name)) {
    return keep(name->id, name->slug, false, source.manifest_id);
  }
  if (source.checksum.empty()) return std::nullopt;
  for (const PermanentNames::Name* name : earlier.by_checksum(source.checksum)) {
    if (name->source_key != source.key && source_vanished(*name) && free(*name))
      return keep(name->id, name->slug, false, source.manifest_id);
  }
  return std::nullopt;
}

}  // namespace

ItemIdentity resolve_identity(const IndexWriter* index, const PermanentNames* earlier,
                              const std::optional<StoredItem>& stored,
                              const SourceIdentity& source,
                              const std::set<std::string>& claimed_ids) {
  if (stored) return keep(stored->id, stored->slug, true, source.manifest_id);
  if (index && !source.checksum.empty()) {
    for (const Item& candidate : index->find_by_checksum(source.checksum)) {
      if (source_vanished(candidate) && !claimed_ids.count(candidate.id)) {
        return keep(candidate, source.manifest_id);
      }
    }
  }
  if (earlier) {
    if (std::optional<ItemIdentity> kept = earlier_names(index, *earlier, source, claimed_ids)) {
      return *kept;
    }
  }
  ItemIdentity identity;
  const std::string& manifest_id = source.manifest_id;
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
  const PermanentNames::Name* named = earlier ? earlier->by_id(manifest_id) : nullptr;
  if (named && !source_vanished(*named)) {
    identity.error = "id '" + manifest_id + "' belongs to " + named->source_key +
                     " in the index whose names this one keeps";
    return identity;
  }
  identity.id = manifest_id;
  if (named) identity.slug = named->slug;
  return identity;
}

}  // namespace mediateka::indexer
