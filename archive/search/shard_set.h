// The shards a Searcher reads (internal to archive/): each opened twice, once for the caller's
// thread and once for the helper's (helper_reader.h), and combined into one Xapian database of
// the shards that answer. A shard that fails is left out and tried again later; the archive
// answers from the others meanwhile and names the ones missing. Not thread-safe.
#pragma once

#include <xapian.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archive/search/shard_source.h"

namespace mediateka {

// Opens one shard; throws Xapian::Error when it cannot.
Xapian::Database open_shard(const ShardSource& source, std::chrono::milliseconds timeout);

class ShardSet {
 public:
  // Opens every shard it can. Throws IndexUnavailable (index_error.h) when none opens.
  ShardSet(std::vector<ShardSource> sources, ShardOptions options);

  // The shards that answer, as one database; a handle on the same for the helper's thread.
  const Xapian::Database& combined() const { return combined_; }
  const Xapian::Database& helper_combined() const { return helper_combined_; }
  // The helper's handles of the shards in helper_combined(), in its order.
  std::vector<Xapian::Database> helper_parts() const;
  // Counts changes of the set of shards in combined(): whoever derived something from the
  // databases (a query parser, say) derives it again when this moves.
  std::uint64_t generation() const { return generation_; }

  const std::vector<ShardSource>& sources() const { return sources_; }
  // The names of the shards left out now, in configuration order.
  std::vector<std::string> missing() const;
  // The shard (index into sources()) of a document of combined().
  std::size_t shard_of(Xapian::docid docid) const;

  // Picks up new commits of every shard; a shard that fails to is left out. True on change.
  bool reopen();
  // After a network error: finds the shards that no longer answer (or restarted: they are
  // opened again) and leaves out those that fail. Throws IndexUnavailable when none is left.
  void drop_failed();
  // Opens again the shards left out whose time to retry has come. True when one rejoined.
  bool rejoin_due();

 private:
  struct Shard {
    Xapian::Database main, helper;
    bool up = false;
    int failures = 0;  // in a row
    std::chrono::steady_clock::time_point retry_at;
    std::string last_error;
  };

  bool open(std::size_t index);
  void leave_out(std::size_t index, const std::string& error);
  void combine();

  std::vector<ShardSource> sources_;
  ShardOptions options_;
  std::vector<Shard> shards_;
  std::vector<std::size_t> up_;  // sources_ index of each sub-database of combined_
  Xapian::Database combined_, helper_combined_;
  std::uint64_t generation_ = 0;
};

}  // namespace mediateka
