// The vocabulary of search: what a visitor asks (SearchRequest), what the archive answers
// (SearchResult, Hit, Location, Facets), and what harvesters ask and get (ChangeRequest,
// ChangePage). Plain values, shared by the Searcher façade (searcher.h) and its parts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "archive/access/access.h"
#include "archive/item.h"
#include "archive/search/shard_source.h"
#include "archive/search/snippet.h"
#include "archive/text/enum_names.h"
#include "archive/text/synonyms.h"

namespace mediateka {

// A query or parameter the client got wrong: maps to HTTP 400.
struct QueryError : std::runtime_error {
  QueryError(std::string code, const std::string& message)
      : std::runtime_error(message), code(std::move(code)) {}
  std::string code;  // short machine-readable code, e.g. "bad_query"
};

enum class SortOrder { relevance, newest, oldest };
// The names the API gives the orders, in the order forms list them.
inline constexpr NameTable<SortOrder, 3> kSortOrderNames{{{SortOrder::relevance, "relevance"},
                                                          {SortOrder::newest, "newest"},
                                                          {SortOrder::oldest, "oldest"}}};
const char* sort_order_name(SortOrder sort);
// nullopt for a name not in the table.
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

}  // namespace mediateka
