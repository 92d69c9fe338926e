// Read-only search over the archive: queries, filters, multi-select facets,
// snippets and the places of matches inside items.
//
// Thread safety: a Searcher is NOT thread-safe (nor are Xapian databases); give
// each thread its own. Every method may throw Xapian::Error for a broken
// database; search() throws QueryError for a client's mistake.
#pragma once

#include <xapian.h>

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "item.h"
#include "vocabulary.h"

namespace mediateka {

// A query or parameter the client got wrong: maps to HTTP 400.
struct QueryError : std::runtime_error {
  QueryError(std::string code, const std::string& message)
      : std::runtime_error(message), code(std::move(code)) {}
  std::string code;  // short machine-readable code, e.g. "bad_query"
};

enum class SortOrder { relevance, newest, oldest };

struct SearchRequest {
  std::string q;
  std::vector<std::string> types, campaigns, projects;
  std::vector<int> years;
  std::optional<int> year_from, year_to;
  SortOrder sort = SortOrder::relevance;
  int page = 1;       // 1-based
  int per_page = 20;  // 1..100
  bool facets = true;
  bool snippets = true;
};

struct Location {
  int page = 0;  // 1-based PDF page, or 0 for a time range
  double t = 0;
  double end = 0;
  std::string snippet;  // HTML-escaped, matches in <mark>
};

struct Hit {
  Item item;  // what a hit shows: id, slug, type, title, year, campaigns, project, description
  double score = 0;
  std::string snippet;  // HTML-escaped, matches in <mark>
  std::vector<Location> locations;
};

struct FacetValue {
  std::string value;
  std::size_t count = 0;
};

struct Facets {
  std::vector<FacetValue> type, campaign, year, project;
};

struct SearchResult {
  std::size_t total = 0;
  std::vector<Hit> hits;
  Facets facets;
  std::optional<std::string> suggestion;
};

class Searcher {
 public:
  // Opens one or more databases (local directories, or stub files naming remote
  // xapian-tcpsrv shards) as one archive. Throws std::runtime_error for an index written
  // with another schema version, Xapian::Error when it cannot be opened.
  Searcher(const std::vector<std::string>& databases, const Vocabulary& campaigns);
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  SearchResult search(const SearchRequest& request);
  // Facet counts over the whole archive.
  Facets facets();
  std::optional<Item> item_by_id(const std::string& id);
  std::optional<Item> item_by_slug(const std::string& slug);
  // The item's segments (PDF pages, and subtitle cues, transcript lines and chapters of a
  // recording), ordered by page, then by start time; empty for an unknown id.
  std::vector<Segment> segments(const std::string& item_id);
  // Completions for a search box: titles, campaign names and frequent words starting with `prefix`.
  std::vector<std::string> suggest(const std::string& prefix, std::size_t limit = 10);
  std::size_t item_count();

  // Picks up the latest commit. Returns true when the database changed.
  bool reopen();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mediateka
