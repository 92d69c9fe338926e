// Where one index of a sharded archive lives: a local directory, or a remote database served by
// Xapian's xapian-tcpsrv. The server searches several at once as one archive ([[shards]] in
// config/mediateka.toml, docs/operations.md).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace mediateka {

struct ShardSource {
  std::string name;    // names the shard in `missing_shards` and in qualified ids and slugs
  std::string db;      // a local index directory (or a Xapian stub file); or
  std::string remote;  // "HOST:PORT" of a xapian-tcpsrv
  // Where that centre's own server answers (https://host/), for the files of a remote shard.
  std::string url;

  bool is_remote() const { return !remote.empty(); }
};

struct ShardOptions {
  // A remote shard that does not answer an operation within this time is left out.
  std::chrono::milliseconds timeout{2000};
  // How long a shard left out waits before it is tried again.
  std::chrono::milliseconds retry_after{1000};
};

// Local shards named after their directories, as the single-index programs open them.
std::vector<ShardSource> local_shards(const std::vector<std::string>& directories);

// The key a shard's name gives qualified identifiers: its slug ("ROPS Olsztyn" → "rops-olsztyn").
std::string shard_key(const ShardSource& shard);

}  // namespace mediateka
