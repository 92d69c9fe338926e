// The locations of hits (pages, cues, chapters) and their snippets, for the Searcher (internal to
// archive/). Locations come from the hits' own positions: no second search.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <vector>

#include "archive/search/highlighter.h"
#include "archive/search/query_rewriter.h"
#include "archive/search_types.h"

namespace mediateka {

// The indexes of `docids` in ascending docid order.
std::vector<size_t> docid_order(const std::vector<Xapian::docid>& docids);

// The locations of the hits' matches, from the positions of the query's words in the hits' own
// documents. Positions are read term by term in docid order, and segments in docid order, the
// orders in which Xapian stores them, so that consecutive reads share blocks. A word with a
// trailing * matches the hit's own terms that begin so.
// `docids` are the hits' docids in `db`, `location_starts` their items'
// (HitFields::location_starts); only the hits numbered in `which` (ascending by docid) are located,
// so two threads may location different hits of one `hits` at once.
void add_locations(const Xapian::Database& db, const std::vector<Xapian::docid>& docids,
                   const std::vector<std::vector<Xapian::termpos>>& location_starts,
                   const std::vector<size_t>& which, const QueryWords& words,
                   const Highlighter& highlighter, std::vector<Hit>& hits);

}  // namespace mediateka
