// Ids and slugs across shards (internal to archive/). Each index keeps its own ids and slugs
// unique, but two centres' indexes may both hold, say, the slug "raport-2012". Searched as one
// archive, the item of the first shard (in configuration order) that the audience may see keeps
// the bare name; an item of a later shard whose name an earlier one also holds is known as
// NAME--SHARDKEY ("raport-2012--olsztyn"; slugify and ids never make "--").
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

#include "archive/access/access.h"
#include "archive/item.h"
#include "archive/search/shard_set.h"

namespace mediateka {

// An item found by a name, with the document that holds it.
struct NamedItem {
  Xapian::docid docid = 0;
  std::size_t shard = 0;  // index into ShardSet::sources()
  Item item;              // its id and slug as the archive gives them (qualified when shadowed)
  std::string stored_id;  // its id in its own shard
};

// The item whose id (prefix schema::kId) or slug (schema::kSlug) is `name`, bare or qualified,
// if the audience may see it.
std::optional<NamedItem> find_named_item(const ShardSet& shards, const char* prefix,
                                         const std::string& name, const Audience& audience);

// Gives the hits' items (`docids[i]` holds `items[i]`) their qualified names where an earlier
// shard's item that `visible` admits holds the same id or slug. Costs one boolean query over the
// shards when hits come from a later shard, nothing with one shard.
void qualify_shadowed_names(const ShardSet& shards, const Xapian::Query& visible,
                            const std::vector<Xapian::docid>& docids, std::vector<Item*> items);

// The name a shard stores for a name the archive gives (the bare part of a qualified one).
std::string stored_name(const std::string& name);

}  // namespace mediateka
