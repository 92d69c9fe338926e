#include "archive/search/shard_set.h"

#include <algorithm>

#include "archive/index_error.h"
#include "archive/text/slug.h"

namespace mediateka {

std::vector<ShardSource> local_shards(const std::vector<std::string>& directories) {
  std::vector<ShardSource> shards;
  for (const std::string& directory : directories) {
    ShardSource shard;
    shard.name = directory;
    shard.db = directory;
    shards.push_back(std::move(shard));
  }
  return shards;
}

std::string shard_key(const ShardSource& shard) { return slugify(shard.name); }

namespace {

// The longest a shard that keeps failing waits between attempts.
constexpr std::chrono::seconds kLongestRetryWait(10);

}  // namespace

Xapian::Database open_shard(const ShardSource& source, std::chrono::milliseconds timeout) {
  if (!source.is_remote()) return Xapian::Database(source.db);
  const std::size_t colon = source.remote.rfind(':');
  unsigned port = 0;
  if (colon != std::string::npos) {
    try {
      port = static_cast<unsigned>(std::stoul(source.remote.substr(colon + 1)));
    } catch (const std::exception&) {
      port = 0;
    }
  }
  if (colon == std::string::npos || colon == 0 || port == 0 || port > 65535) {
    throw Xapian::InvalidArgumentError("not HOST:PORT: " + source.remote);
  }
  const auto millis = static_cast<useconds_t>(timeout.count());
  return Xapian::Remote::open(source.remote.substr(0, colon), port, millis, millis);
}

ShardSet::ShardSet(std::vector<ShardSource> sources, ShardOptions options)
    : sources_(std::move(sources)), options_(options), shards_(sources_.size()) {
  if (sources_.empty()) throw IndexUnavailable("no index to search");
  for (std::size_t i = 0; i < sources_.size(); ++i) open(i);
  combine();
}

std::vector<std::string> ShardSet::missing() const {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    if (!shards_[i].up) names.push_back(sources_[i].name);
  }
  return names;
}

std::size_t ShardSet::shard_of(Xapian::docid docid) const { return up_[(docid - 1) % up_.size()]; }

bool ShardSet::open(std::size_t index) {
  Shard& shard = shards_[index];
  try {
    shard.main = open_shard(sources_[index], options_.timeout);
    shard.helper = open_shard(sources_[index], options_.timeout);
    shard.up = true;
    shard.failures = 0;
    shard.last_error.clear();
    return true;
  } catch (const Xapian::Error& error) {
    leave_out(index, error.get_description());
    return false;
  }
}

void ShardSet::leave_out(std::size_t index, const std::string& error) {
  Shard& shard = shards_[index];
  shard.up = false;
  shard.main = Xapian::Database();
  shard.helper = Xapian::Database();
  shard.last_error = error;
  // Waits double while it keeps failing, so that a shard that hangs costs little.
  const auto wait = std::min<std::chrono::milliseconds>(
      options_.retry_after * (1 << std::min(shard.failures, 5)), kLongestRetryWait);
  ++shard.failures;
  shard.retry_at = std::chrono::steady_clock::now() + wait;
}

void ShardSet::combine() {
  combined_ = Xapian::Database();
  helper_combined_ = Xapian::Database();
  up_.clear();
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    if (!shards_[i].up) continue;
    combined_.add_database(shards_[i].main);
    helper_combined_.add_database(shards_[i].helper);
    up_.push_back(i);
  }
  ++generation_;
  if (up_.empty()) {
    std::string reasons;
    for (std::size_t i = 0; i < shards_.size(); ++i) {
      if (!reasons.empty()) reasons += "; ";
      reasons += (sources_.size() > 1 ? sources_[i].name + ": " : "") + shards_[i].last_error;
    }
    throw IndexUnavailable(reasons);
  }
}

std::vector<Xapian::Database> ShardSet::helper_parts() const {
  std::vector<Xapian::Database> parts;
  for (std::size_t i : up_) parts.push_back(shards_[i].helper);
  return parts;
}

bool ShardSet::reopen() {
  bool changed = false, opened_anew = false;
  for (std::size_t i : std::vector<std::size_t>(up_)) {
    Shard& shard = shards_[i];
    try {
      // Both, even when the first changed: they must read the same revision. combined() shares
      // these handles, so it sees the new revision without being put together again.
      const bool helper_changed = shard.helper.reopen();
      changed = shard.main.reopen() || helper_changed || changed;
    } catch (const Xapian::Error&) {
      // A remote shard that restarted answers a new connection; otherwise it is left out.
      open(i);
      changed = opened_anew = true;
    }
  }
  if (opened_anew) combine();
  return changed;
}

void ShardSet::drop_failed() {
  for (std::size_t i : std::vector<std::size_t>(up_)) {
    Shard& shard = shards_[i];
    try {
      shard.helper.reopen();
      shard.main.reopen();
    } catch (const Xapian::NetworkTimeoutError& error) {
      leave_out(i, error.get_description());  // it hangs: no second wait for a new connection
    } catch (const Xapian::Error&) {
      open(i);
    }
  }
  combine();
}

bool ShardSet::rejoin_due() {
  if (up_.size() == shards_.size()) return false;
  const auto now = std::chrono::steady_clock::now();
  bool rejoined = false;
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    if (!shards_[i].up && shards_[i].retry_at <= now && open(i)) rejoined = true;
  }
  if (rejoined) combine();
  return rejoined;
}

}  // namespace mediateka
