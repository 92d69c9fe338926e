// Filters and multi-select facet counts for the Searcher (internal to archive/).
//
// A field's counts ignore that field's own filter. A spy on the main pass counts every field
// over the items inside all filters; for a filtered field, a pass over the items outside its
// own filter (inside the others') adds the rest of its counts, so no item is matched, nor its
// phrase checked, twice for one field.
#pragma once

#include <xapian.h>

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "schema.h"
#include "searcher.h"
#include "vocabulary.h"

namespace mediateka {

// A request's filters, one query per field that has one.
struct FieldFilters {
  std::optional<Xapian::Query> type, campaign, project, year;
};

FieldFilters field_filters(const SearchRequest& request, const Vocabulary& vocabulary);

// `query` inside every filter given.
Xapian::Query filtered(Xapian::Query query,
                       const std::vector<const std::optional<Xapian::Query>*>& filters);

enum FacetField { kTypeField, kCampaignField, kYearField, kProjectField, kFacetFieldCount };

// A count-only pass over the items outside one field's filter. The query crosses to the helper's
// thread serialised: a Xapian::Query counts its references without atomics, so two threads must
// not share one.
struct OutsidePass {
  FacetField field;
  std::string query;
  Xapian::ValueCountMatchSpy spy{schema::kSlotFacets};
};

// One pass for each filtered field; `items_matching(excluded)` is the items matching the query's
// text, less those matching `excluded`.
std::deque<OutsidePass> outside_passes(
    const FieldFilters& filters,
    const std::function<Xapian::Query(const Xapian::Query&)>& items_matching);

// Counts the facet values of every match of `query` in `db`, which holds `all` documents, in a
// pass of its own. The main match counts them itself, except over remote shards sorted by a
// value: Xapian 1.4 then counts some of a remote shard's matches twice (tested in
// archive_shards_test).
void count_matches(const Xapian::Database& db, const Xapian::Query& query,
                   Xapian::ValueCountMatchSpy& spy, Xapian::doccount all);

// Runs the passes on `db`, which holds `all` documents.
void count_outside(const Xapian::Database& db, std::deque<OutsidePass>& passes,
                   Xapian::doccount all);

// Facet counts from match spies on kSlotFacets.
class FacetCounter {
 public:
  // Adds what `spy` counted: every field's values, or only those of `field`.
  void add(const Xapian::ValueCountMatchSpy& spy, std::optional<FacetField> field = std::nullopt);
  // Years in order, other values by count.
  Facets facets() const;

 private:
  std::map<std::string, std::size_t> counts_[kFacetFieldCount];
};

}  // namespace mediateka
