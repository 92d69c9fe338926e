#include "archive/index/audience_databases.h"

#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>

namespace mediateka {
namespace {

constexpr std::size_t kLongestKey = 120;

std::vector<std::string> split_groups(const std::string& joined, char separator) {
  std::vector<std::string> groups;
  for (std::size_t start = 0; start <= joined.size();) {
    std::size_t end = joined.find(separator, start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) groups.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  std::sort(groups.begin(), groups.end());
  return groups;
}

}  // namespace

std::string public_database(const std::string& archive) {
  return (std::filesystem::path(archive) / kPublicDatabase).string();
}

std::string access_key(std::vector<std::string> access) {
  std::sort(access.begin(), access.end());
  access.erase(std::unique(access.begin(), access.end()), access.end());
  std::string key;
  for (const std::string& group : access) key += (key.empty() ? "" : "+") + group;
  if (key.size() <= kLongestKey) return key;
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a: stable across runs and machines
  for (const char c : key) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  char digits[17];
  std::snprintf(digits, sizeof digits, "%016llx", static_cast<unsigned long long>(hash));
  return key.substr(0, kLongestKey - 17) + "~" + digits;
}

std::string group_database(const std::string& archive, const std::vector<std::string>& access) {
  return (std::filesystem::path(archive) / kGroupDatabases / access_key(access)).string();
}

std::vector<GroupDatabase> group_databases(const std::string& archive) {
  std::vector<GroupDatabase> databases;
  std::error_code error;
  const std::filesystem::path folder = std::filesystem::path(archive) / kGroupDatabases;
  for (auto it = std::filesystem::directory_iterator(folder, error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (!it->is_directory(error)) continue;
    const std::string key = it->path().filename().string();
    GroupDatabase database{it->path().string(), {}};
    if (key.find('~') == std::string::npos) {
      database.access = split_groups(key, '+');
    } else {
      try {
        database.access =
            split_groups(Xapian::Database(database.path).get_metadata(kAccessMetadataKey), ',');
      } catch (const Xapian::Error&) {
        continue;  // not yet committed: nothing in it to see
      }
    }
    if (!database.access.empty()) databases.push_back(std::move(database));
  }
  std::sort(databases.begin(), databases.end(),
            [](const GroupDatabase& a, const GroupDatabase& b) { return a.path < b.path; });
  return databases;
}

bool is_archive_folder(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_directory(public_database(path), error);
}

std::vector<ShardSource> audience_databases(const ShardSource& shard,
                                            const std::vector<GroupDatabase>& groups,
                                            const Audience& audience) {
  if (shard.is_remote() || !is_archive_folder(shard.db)) return {shard};
  std::vector<ShardSource> databases;
  ShardSource part = shard;
  part.db = public_database(shard.db);
  databases.push_back(part);
  for (const GroupDatabase& group : groups) {
    if (!audience.sees(group.access)) continue;
    part.db = group.path;
    databases.push_back(part);
  }
  return databases;
}

ShardSource watched_database(const ShardSource& shard) {
  if (shard.is_remote() || !is_archive_folder(shard.db)) return shard;
  ShardSource watched = shard;
  watched.db = public_database(shard.db);
  return watched;
}

}  // namespace mediateka
