// Read-only search over the archive: queries, filters, multi-select facets,
// snippets and the places of matches inside items.
//
// Thread safety: a Searcher is NOT thread-safe (nor are Xapian databases); give
// each thread its own. Every method may throw IndexError (index_error.h) for a broken
// database, IndexUnavailable when it cannot be opened, after retrying a read that met a
// commit; search() throws QueryError for a client's mistake.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "archive/index_error.h"
#include "archive/search_types.h"
#include "archive/text/synonyms.h"
#include "archive/text/vocabulary.h"

namespace mediateka {

class Searcher {
 public:
  // Opens one or more local archives (archive folders, audience_databases.h; or plain databases
  // and stub files, all of whose items are then public) as one archive. Throws
  // SchemaVersionError for an index written with another schema version, IndexUnavailable
  // when none can be opened.
  Searcher(const std::vector<std::string>& databases, const Vocabulary& campaigns);
  // Opens shards, local or remote (xapian-tcpsrv), as one archive: the same totals, facets,
  // ranking and pages as one index holding everything. A shard that does not answer (at start,
  // or within `options.timeout` later) is left out, named by missing_shards(), and tried again
  // after `options.retry_after`. Ids and slugs that two shards share are told apart as
  // NAME--SHARDKEY for the later shard's item (shard_names.h).
  Searcher(const std::vector<ShardSource>& shards, ShardOptions options,
           const Vocabulary& campaigns);
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Every method answers for an audience (access.h) from the databases it may see, combined
  // (audience_databases.h): a restricted item that the audience may not see does not exist for
  // it, and cannot shape its answers (term statistics, spelling, completions, positions). An
  // item shows a reader only the reader's own groups. The default audience is anonymous: public
  // items only.
  SearchResult search(const SearchRequest& request);
  // Facet counts over the whole archive.
  Facets facets(const Audience& audience = {});
  std::optional<Item> item_by_id(const std::string& id, const Audience& audience = {});
  std::optional<Item> item_by_slug(const std::string& slug, const Audience& audience = {});
  // The item and where it lives, in one look-up.
  std::optional<LocatedItem> locate_item(const std::string& id, const Audience& audience = {});
  // Whether `name` (an id or a slug) is an item that the audience saw and that is gone: removed,
  // or moved out of the audience's sight (a tombstone, schema.h) — a 410 rather than a 404.
  bool is_gone(const std::string& name, const Audience& audience = {});
  // The shards left out now (they did not answer), by name; empty when all answer.
  std::vector<std::string> missing_shards() const;
  // The item's segments (PDF pages, and subtitle cues, transcript lines and chapters of a
  // recording), ordered by page, then by start time; empty for an unknown id.
  std::vector<Segment> segments(const std::string& item_id, const Audience& audience = {});
  // Completions for a search box: titles, campaign names and frequent words starting with `prefix`.
  std::vector<std::string> suggest(const std::string& prefix, const Audience& audience = {},
                                   std::size_t limit = 10);
  std::size_t item_count(const Audience& audience = {});
  // Throws QueryError("bad_parameter") for an `after` that is no position of ours.
  ChangePage changes(const ChangeRequest& request, const Audience& audience = {});
  // When the earliest change recorded happened (seconds; 0 for items older than the record).
  std::int64_t earliest_change(const Audience& audience = {});

  // Picks up the latest commit. Returns true when the database changed.
  bool reopen();

  // Where searches take their acronyms and synonyms from (default: the shipped list alone);
  // each search uses the list current when it starts.
  void set_synonyms(std::shared_ptr<const SynonymSource> synonyms);

 private:
  struct View;
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mediateka
