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
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "access.h"
#include "index_error.h"
#include "item.h"
#include "shard_source.h"
#include "snippet.h"
#include "synonyms.h"
#include "vocabulary.h"

namespace mediateka {

// A query or parameter the client got wrong: maps to HTTP 400.
struct QueryError : std::runtime_error {
  QueryError(std::string code, const std::string& message)
      : std::runtime_error(message), code(std::move(code)) {}
  std::string code;  // short machine-readable code, e.g. "bad_query"
};

enum class SortOrder { relevance, newest, oldest };
// The names the API gives the orders: "relevance", "newest", "oldest"; nullopt for another.
const char* sort_order_name(SortOrder sort);
std::optional<SortOrder> parse_sort_order(std::string_view name);

struct SearchRequest {
  std::string q;
  std::vector<std::string> types, campaigns, projects;
  std::vector<int> years;
  std::optional<int> year_from, year_to;
  std::vector<std::string> places;  // canonical place names (gazetteer.h), or names it matches
  SortOrder sort = SortOrder::relevance;
  int page = 1;       // 1-based
  int per_page = 20;  // 1..100
  bool facets = true;
  bool snippets = true;
  bool place_years = false;  // Facets::place_years too (with facets)
  // Acronyms and full names in `q` also match their other forms (synonyms.h); false: as typed.
  bool expand = true;
  // Who asks: restricted items of other groups do not exist for this search (access.h).
  Audience audience;
};

// A browse of the whole archive that asks for nothing but its total and facet counts.
SearchRequest whole_archive_request(const Audience& audience);

struct Location {
  int page = 0;  // 1-based PDF page, or 0 for a time range
  double t = 0;
  double end = 0;
  Snippet snippet;  // the matching words marked
};

struct Hit {
  Item item;  // what a hit shows: id, slug, type, title, year, campaigns, project, description
  double score = 0;
  Snippet snippet;  // the matching words marked
  std::vector<Location> locations;
};

struct FacetValue {
  std::string value;
  std::size_t count = 0;
};

struct Facets {
  std::vector<FacetValue> type, campaign, year, project, place;
  // Items by place, then by year (0: no year), inside every filter, every place (not only 100);
  // only when SearchRequest::place_years asks.
  std::map<std::string, std::map<int, std::size_t>> place_years;
  // Which names of `place` and `place_years` the gazetteer did not know (Place::unknown). Only a
  // librarian's search (Audience::all) counts such names; no other audience is shown them.
  std::set<std::string> unknown_places;
};

struct SearchResult {
  std::size_t total = 0;
  std::vector<Hit> hits;
  Facets facets;
  std::optional<std::string> suggestion;
  // What `q` was expanded with (SearchRequest::expand); empty when nothing was.
  std::vector<Expansion> expanded;
  // The shards left out of this answer because they did not answer in time (ShardSource::name).
  std::vector<std::string> missing_shards;
};

// Where an item of a remote shard lives: that centre's server holds its files.
struct RemoteItem {
  ShardSource shard;
  std::string stored_id;  // its id there
};

// An item, and the remote shard holding it if a remote one does.
struct LocatedItem {
  Item item;
  std::optional<RemoteItem> remote;
};

// What changed, for harvesters: items the audience may see and tombstones of public items that
// went away (schema.h), in the order they last changed (then by document), a page at a time.
struct ChangeRequest {
  std::optional<std::int64_t> from, until;  // seconds since the epoch, inclusive
  // At most these values of a field (OR within a field, AND across), as in SearchRequest.
  std::vector<std::string> types, campaigns, projects;
  std::string id;  // only this item (or its tombstone), when not empty
  // The position after which this page starts: ChangePage::next of the page before.
  std::optional<std::string> after;
  std::size_t limit = 100;
};

struct Change {
  std::string id;
  std::int64_t changed = 0;  // seconds since the epoch; 0 when the index did not record it
  bool deleted = false;
  // The stored item; for a deleted one only id, type, campaigns (as keys) and project (as a
  // key), for its sets.
  Item item;
};

struct ChangePage {
  std::vector<Change> changes;
  std::size_t total = 0;  // every change matching the request, whatever `after`
  // Where the next page starts (an opaque position, stable across commits); empty at the end.
  std::string next;
};

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
