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
  std::optional<Xapian::Query> type, campaign, project, year, place;
};

FieldFilters field_filters(const SearchRequest& request, const Vocabulary& vocabulary);

// `query` inside every filter given.
Xapian::Query filtered(Xapian::Query query,
                       const std::vector<const std::optional<Xapian::Query>*>& filters);

enum FacetField {
  kTypeField,
  kCampaignField,
  kYearField,
  kProjectField,
  kPlaceField,
  kFacetFieldCount
};

// The slot whose values count `field`: kSlotPlaces for places, kSlotFacets for the others.
Xapian::valueno facet_slot(FacetField field);

// A count-only pass over the items outside one field's filter. The query crosses to the helper's
// thread serialised: a Xapian::Query counts its references without atomics, so two threads must
// not share one.
struct OutsidePass {
  OutsidePass(FacetField field, std::string query)
      : field(field), query(std::move(query)), spy(facet_slot(field)) {}
  FacetField field;
  std::string query;
  Xapian::ValueCountMatchSpy spy;
};

// One pass for each filtered field; `items_matching(excluded)` is the items matching the query's
// text, less those matching `excluded`.
std::deque<OutsidePass> outside_passes(
    const FieldFilters& filters,
    const std::function<Xapian::Query(const Xapian::Query&)>& items_matching);

// A count-only pass over every match of a search: the total and, when asked, the values of the
// facet slots. Crosses to the helper's thread like OutsidePass.
struct MatchCount {
  MatchCount(std::string query, bool facets, bool place_years)
      : query(std::move(query)), count_facets(facets), count_place_years(place_years) {}
  std::string query;
  bool count_facets, count_place_years;
  Xapian::doccount total = 0;
  Xapian::ValueCountMatchSpy facets{schema::kSlotFacets}, places{schema::kSlotPlaces},
      place_years{schema::kSlotPlaceYears};
};

// Runs `count` on `db`, which holds `all` documents.
void count_matches(const Xapian::Database& db, MatchCount& count, Xapian::doccount all);

// Runs the passes on `db`, which holds `all` documents.
void count_outside(const Xapian::Database& db, std::deque<OutsidePass>& passes,
                   Xapian::doccount all);

// Facet counts from match spies on kSlotFacets and kSlotPlaces.
class FacetCounter {
 public:
  // Adds what a spy on kSlotFacets counted: every field's values, or only those of `field`.
  void add(const Xapian::ValueCountMatchSpy& spy, std::optional<FacetField> field = std::nullopt);
  // Adds what a spy on kSlotPlaces counted.
  void add_places(const Xapian::ValueCountMatchSpy& spy);
  // Adds what a spy on kSlotPlaceYears counted, to Facets::place_years.
  void add_place_years(const Xapian::ValueCountMatchSpy& spy);
  // Adds what a pass outside one field's filter counted, of that field.
  void add(const OutsidePass& pass);
  // Years in order, other values by count.
  Facets facets() const;

 private:
  // Transparent (std::less<>): places are looked up by views into the spies' values.
  std::map<std::string, std::size_t, std::less<>> counts_[kFacetFieldCount];
  std::map<std::string, std::map<int, std::size_t>, std::less<>> place_years_;
};

}  // namespace mediateka
