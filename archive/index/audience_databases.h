// Where an archive keeps its items: one Xapian database per audience (docs/access.md).
//
// An archive folder holds `public/`, the database of the public items (with the archive's
// metadata: schema version, failed sources, tokens), and `groups/<key>/`, one database for each
// distinct set of access groups that some item has ever had. A request is answered from the
// databases its audience may see, combined: term statistics, spelling, completions, document
// ids, slugs and positions of one audience then cannot shape another's answers.
#pragma once

#include <string>
#include <vector>

#include "archive/access/access.h"
#include "archive/search/shard_source.h"

namespace mediateka {

// The folder names inside an archive folder.
inline constexpr const char* kPublicDatabase = "public";
inline constexpr const char* kGroupDatabases = "groups";

std::string public_database(const std::string& archive);
// The database of items with exactly these access groups (any order, not empty).
std::string group_database(const std::string& archive, const std::vector<std::string>& access);
// The name of that database: its groups sorted and joined by '+'; a long set is cut and told
// apart by a hash of the whole (its groups are then read from the database's metadata).
std::string access_key(std::vector<std::string> access);
// Database metadata of a group database: its groups joined by ','.
inline constexpr const char* kAccessMetadataKey = "mediateka:access";

struct GroupDatabase {
  std::string path;
  std::vector<std::string> access;  // sorted
};
// Every group database of an archive, by key.
std::vector<GroupDatabase> group_databases(const std::string& archive);

// Whether `path` is an archive folder (else a plain Xapian database or stub file).
bool is_archive_folder(const std::string& path);

// The databases of `shard` that `audience` may see, as shards of their own (with the shard's
// name): for an archive folder its public database and the group databases of the audience's
// groups; anything else (a remote database, a plain database, a stub file) as it is.
std::vector<ShardSource> audience_databases(const ShardSource& shard,
                                            const std::vector<GroupDatabase>& groups,
                                            const Audience& audience);
// The database a writer's commits always reach: what a watcher of the archive watches.
ShardSource watched_database(const ShardSource& shard);

}  // namespace mediateka
