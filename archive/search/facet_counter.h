// Filters and multi-select facet counts for the Searcher (internal to archive/).
//
// A field's counts ignore that field's own filter: they are over the items inside every other
// field's filter. The items inside all filters count for the total and every field; those
// outside one field's filter only add to that field's counts. Through a facet table one pass
// over the text's matches tells the two apart; otherwise each filtered field takes a pass of its
// own (see CountTarget).
#pragma once

#include <xapian.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "archive/index/schema.h"
#include "archive/search/facet_table.h"
#include "archive/search_types.h"
#include "archive/text/vocabulary.h"

namespace mediateka {

// A request's filters as the keys their terms hold (Vocabulary keys for campaigns, projects and
// places), to test the entries of a facet table against; an empty list filters nothing.
struct FilterValues {
  std::vector<std::string> types, campaigns, projects, places;
  std::vector<int> years;
  std::optional<int> year_from, year_to;
};

// A request's filters, one query per field that has one, and the same as values.
struct FieldFilters {
  std::optional<Xapian::Query> type, campaign, project, year, place;
  FilterValues values;
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

// What a count-only pass reads: each local shard by itself, with its FacetTable (facet_table.h);
// and the shards without a table (remote ones, or a stub file listing several indexes) all as
// one, with Xapian's ValueCountMatchSpy, the one spy xapian-tcpsrv can run on the shard's side.
// (A spy of ours cannot tell the shards of one database apart: Xapian 1.4 shows it each
// document with its docid in its own shard.)
//
// With a table, one pass over the matches of the text counts everything: a match inside every
// filter counts for the total and every field, one outside a single field's filter for that
// field alone, told apart by its table entries. Without, each filtered field takes a pass of its
// own over the matches outside its filter (OutsidePass).
struct CountTarget {
  Xapian::Database db;
  std::shared_ptr<const FacetTable> table;  // null: count with ValueCountMatchSpy
};

// The targets for counting over `combined`, whose sub-databases are `parts` in order (none:
// count `combined` with Xapian's spies). Handles read by the counting thread alone.
std::vector<CountTarget> count_targets(const Xapian::Database& combined,
                                       const std::vector<Xapian::Database>& parts);

// Counts the values one slot holds among the matches of a pass, over its targets.
class SlotCount {
 public:
  explicit SlotCount(Xapian::valueno slot) : slot_(slot) {}
  // Xapian's spy, for a pass over a target without a table.
  Xapian::MatchSpy* values_spy();
  // Counts by code of this slot's column of `table`, for a pass over the table's index to add
  // to.
  std::vector<std::size_t>& table_counts(const std::shared_ptr<const FacetTable>& table);
  // Calls each(value, count) for every value counted, over every target.
  void for_each(const std::function<void(const std::string&, std::size_t)>& each) const;
  // The same for a count of kSlotFacets, each value read into its fields.
  void for_each_facets(
      const std::function<void(const schema::FacetFields&, std::size_t)>& each) const;

 private:
  struct TableCounts {
    std::shared_ptr<const FacetTable> table;
    int column;
    std::vector<std::size_t> counts;  // by code (0: no value)
  };
  Xapian::valueno slot_;
  std::optional<Xapian::ValueCountMatchSpy> values_;
  std::deque<TableCounts> tables_;  // a deque: counts stay where a pass adds to them
};

// A count-only pass over the items outside one field's filter. The query crosses to the helper's
// thread serialised: a Xapian::Query counts its references without atomics, so two threads must
// not share one.
struct OutsidePass {
  OutsidePass(FacetField field, std::string query)
      : field(field), query(std::move(query)), values(facet_slot(field)) {}
  FacetField field;
  std::string query;
  SlotCount values;
};

// One pass for each filtered field; `items_matching(excluded)` is the items matching the query's
// text, less those matching `excluded`.
std::deque<OutsidePass> outside_passes(
    const FieldFilters& filters,
    const std::function<Xapian::Query(const Xapian::Query&)>& items_matching);

// A count-only pass over every match of a search: the total and, when asked, the values of the
// facet slots. Crosses to the helper's thread like OutsidePass. `query` is the matches inside
// every filter, `text_query` the same before the filters, which `filters` hold as values.
struct MatchCount {
  MatchCount(std::string query, std::string text_query, FilterValues filters, bool facets,
             bool place_years)
      : query(std::move(query)),
        text_query(std::move(text_query)),
        filters(std::move(filters)),
        count_facets(facets),
        count_place_years(place_years) {}
  std::string query, text_query;
  FilterValues filters;
  bool count_facets, count_place_years;
  Xapian::doccount total = 0;
  SlotCount facets{schema::kSlotFacets}, places{schema::kSlotPlaces},
      place_years{schema::kSlotPlaceYears};
};

// Counts `count` and, of each filtered field, what lies outside its filter (`outside`: one
// OutsidePass per filtered field, or none when facets are not counted) over `targets`, which
// hold at most `all` documents each.
void count_matches(const std::vector<CountTarget>& targets, MatchCount& count,
                   std::deque<OutsidePass>& outside, Xapian::doccount all);

// Facet counts from the counts of kSlotFacets, kSlotPlaces and kSlotPlaceYears.
class FacetCounter {
 public:
  // `unknown_places`: count the places the gazetteer did not know too (a librarian's search),
  // listing them in Facets::unknown_places; otherwise they are not counted at all.
  explicit FacetCounter(bool unknown_places = false) : unknown_places_(unknown_places) {}
  // Adds what was counted of kSlotFacets: every field's values, or only those of `field`.
  void add(const SlotCount& counted, std::optional<FacetField> field = std::nullopt);
  // Adds what was counted of kSlotPlaces.
  void add_places(const SlotCount& counted);
  // Adds what was counted of kSlotPlaceYears, to Facets::place_years.
  void add_place_years(const SlotCount& counted);
  // Adds what a pass outside one field's filter counted, of that field.
  void add(const OutsidePass& pass);
  // Years in order, other values by count.
  Facets facets() const;

 private:
  // The name of a place as counted (its mark removed), or nullopt when it is not counted.
  std::optional<std::string_view> shown(std::string_view place);

  bool unknown_places_;
  // Transparent (std::less<>): places are looked up by views into the counted values.
  std::map<std::string, std::size_t, std::less<>> counts_[kFacetFieldCount];
  std::map<std::string, std::map<int, std::size_t>, std::less<>> place_years_;
  std::set<std::string, std::less<>> unknown_;
};

}  // namespace mediateka
