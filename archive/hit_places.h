// The places of hits (pages, cues, chapters) and their snippets, for the Searcher (internal to
// archive/). Places come from the hits' own positions: no second search.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <vector>

#include "highlighter.h"
#include "query_rewriter.h"
#include "searcher.h"

namespace mediateka {

// The indexes of `docids` in ascending docid order.
std::vector<size_t> docid_order(const std::vector<Xapian::docid>& docids);

// The places of the hits' matches, from the positions of the query's words in the hits' own
// documents. Positions are read term by term in docid order, and segments in docid order, the
// orders in which Xapian stores them, so that consecutive reads share blocks. A word with a
// trailing * matches the hit's own terms that begin so.
// `docids` are the hits' docids in `db`, `place_starts` their items' (HitFields::place_starts);
// only the hits numbered in `which` (ascending by docid) are placed, so two threads may place
// different hits of one `hits` at once.
void add_locations(const Xapian::Database& db, const std::vector<Xapian::docid>& docids,
                   const std::vector<std::vector<Xapian::termpos>>& place_starts,
                   const std::vector<size_t>& which, const QueryWords& words,
                   const Highlighter& highlighter, std::vector<Hit>& hits);

}  // namespace mediateka
