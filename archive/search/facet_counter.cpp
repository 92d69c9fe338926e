#include "archive/search/facet_counter.h"

#include <algorithm>
#include <cstdlib>

#include "archive/places/gazetteer.h"

namespace mediateka {
namespace {

using schema::boolean_term;

constexpr size_t kMaxFacetValues = 100;
// The bounds of a year range left open.
constexpr int kFirstYear = 0, kLastYear = 9999;

Xapian::Query any_of(const std::vector<std::string>& terms) {
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

template <typename Counts, typename Order>
std::vector<FacetValue> sorted(const Counts& counts, Order order) {
  std::vector<FacetValue> values;
  for (const auto& [value, count] : counts) values.push_back({value, count});
  std::stable_sort(values.begin(), values.end(), order);
  if (values.size() > kMaxFacetValues) values.resize(kMaxFacetValues);
  return values;
}

}  // namespace

FieldFilters field_filters(const SearchRequest& request, const Vocabulary& vocabulary) {
  FieldFilters filters;
  // The filter's terms, their keys kept in `keys`.
  auto terms_for = [](const char* prefix, const std::vector<std::string>& values,
                      std::vector<std::string>& keys, auto key) {
    std::vector<std::string> terms;
    for (const std::string& value : values) {
      keys.push_back(key(value));
      terms.push_back(boolean_term(prefix, keys.back()));
    }
    return any_of(terms);
  };
  FilterValues& values = filters.values;
  if (!request.types.empty()) {
    filters.type = terms_for(schema::kType, request.types, values.types,
                             [](const std::string& v) { return v; });
  }
  if (!request.campaigns.empty()) {
    filters.campaign = terms_for(
        schema::kCampaign, request.campaigns, values.campaigns,
        [&](const std::string& v) { return Vocabulary::key(vocabulary.match(v).value_or(v)); });
  }
  if (!request.projects.empty()) {
    filters.project =
        terms_for(schema::kProject, request.projects, values.projects, Vocabulary::key);
  }
  if (!request.places.empty()) {
    const Gazetteer& gazetteer = Gazetteer::instance();
    std::vector<std::string> terms;
    for (const std::string& v : request.places) {
      // A canonical name, or a name that means one place only ("wyszkowski").
      std::optional<std::size_t> place = gazetteer.by_canonical(v);
      if (!place) place = resolve_place(gazetteer, gazetteer.match(v).candidates, {});
      values.places.push_back(Vocabulary::key(place ? gazetteer.entry(*place).canonical : v));
      terms.push_back(boolean_term(schema::kPlace, values.places.back()));
      // A librarian's filter finds the names kept as written too (Place::unknown); no one
      // else's does, whatever the value.
      if (request.audience.all) {
        const std::string written = Vocabulary::key(v);
        values.places.push_back(schema::kUnknownPlaceMark + written);
        terms.push_back(boolean_term(schema::kUnknownPlace, written));
      }
    }
    filters.place = any_of(terms);
  }
  std::vector<Xapian::Query> year_parts;
  if (!request.years.empty()) {
    std::vector<std::string> years, keys;
    for (int year : request.years) years.push_back(std::to_string(year));
    year_parts.push_back(
        terms_for(schema::kYear, years, keys, [](const std::string& v) { return v; }));
    values.years = request.years;
  }
  values.year_from = request.year_from;
  values.year_to = request.year_to;
  if (request.year_from || request.year_to) {
    Xapian::Query range;
    std::string from = Xapian::sortable_serialise(request.year_from.value_or(kFirstYear));
    std::string to = Xapian::sortable_serialise(request.year_to.value_or(kLastYear));
    year_parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kSlotYear, from, to);
  }
  if (!year_parts.empty()) {
    filters.year = Xapian::Query(Xapian::Query::OP_AND, year_parts.begin(), year_parts.end());
  }
  return filters;
}

Xapian::Query filtered(Xapian::Query query,
                       const std::vector<const std::optional<Xapian::Query>*>& filters) {
  for (const auto* filter : filters) {
    if (*filter) query = Xapian::Query(Xapian::Query::OP_FILTER, query, **filter);
  }
  return query;
}

std::deque<OutsidePass> outside_passes(
    const FieldFilters& filters,
    const std::function<Xapian::Query(const Xapian::Query&)>& items_matching) {
  std::deque<OutsidePass> outside;
  const std::optional<Xapian::Query>* field_filters[kFacetFieldCount];
  field_filters[kTypeField] = &filters.type;
  field_filters[kCampaignField] = &filters.campaign;
  field_filters[kYearField] = &filters.year;
  field_filters[kProjectField] = &filters.project;
  field_filters[kPlaceField] = &filters.place;
  for (FacetField field : {kTypeField, kCampaignField, kYearField, kProjectField, kPlaceField}) {
    if (!*field_filters[field]) continue;
    std::vector<const std::optional<Xapian::Query>*> others;
    for (const auto* other : field_filters) {
      if (other != field_filters[field]) others.push_back(other);
    }
    outside.emplace_back(field,
                         filtered(items_matching(**field_filters[field]), others).serialise());
  }
  return outside;
}

std::vector<CountTarget> count_targets(const Xapian::Database& combined,
                                       const std::vector<Xapian::Database>& parts) {
  std::vector<CountTarget> targets;
  std::vector<Xapian::Database> without_table;
  for (const Xapian::Database& part : parts) {
    if (std::shared_ptr<const FacetTable> table = FacetTable::of(part)) {
      targets.push_back({part, std::move(table)});
    } else {
      without_table.push_back(part);
    }
  }
  if (without_table.size() == parts.size()) return {{combined, nullptr}};
  if (!without_table.empty()) {
    Xapian::Database rest;
    for (const Xapian::Database& part : without_table) rest.add_database(part);
    targets.push_back({rest, nullptr});
  }
  return targets;
}

Xapian::MatchSpy* SlotCount::values_spy() { return &values_.emplace(slot_); }

std::vector<std::size_t>& SlotCount::table_counts(const std::shared_ptr<const FacetTable>& table) {
  const int column = FacetTable::column_of(slot_);
  tables_.push_back({table, column, std::vector<std::size_t>(table->codes(column), 0)});
  return tables_.back().counts;
}

void SlotCount::for_each(const std::function<void(const std::string&, std::size_t)>& each) const {
  for (const TableCounts& counted : tables_) {
    for (std::uint32_t code = 1; code < counted.counts.size(); ++code) {
      if (counted.counts[code] != 0)
        each(counted.table->value(counted.column, code), counted.counts[code]);
    }
  }
  if (!values_) return;
  for (auto it = values_->values_begin(); it != values_->values_end(); ++it) {
    each(*it, it.get_termfreq());
  }
}

void SlotCount::for_each_facets(
    const std::function<void(const schema::FacetFields&, std::size_t)>& each) const {
  for (const TableCounts& counted : tables_) {
    for (std::uint32_t code = 1; code < counted.counts.size(); ++code) {
      if (counted.counts[code] != 0) each(counted.table->facet_fields(code), counted.counts[code]);
    }
  }
  if (!values_) return;
  for (auto it = values_->values_begin(); it != values_->values_end(); ++it) {
    each(schema::load_facet_fields(*it), it.get_termfreq());
  }
}

namespace {

// The number of matches of `query` in `db` (which holds at most `all` documents), every one of
// them shown to `spies`.
Xapian::doccount count_all(const Xapian::Database& db, const std::string& query,
                           const std::vector<Xapian::MatchSpy*>& spies, Xapian::doccount all) {
  Xapian::Enquire count(db);
  count.set_query(Xapian::Query::unserialise(query));
  // Counting needs no weights: Xapian then skips scoring and the ranking-only boosts.
  count.set_weighting_scheme(Xapian::BoolWeight());
  for (Xapian::MatchSpy* spy : spies) count.add_matchspy(spy);
  return count.get_mset(0, 0, all).get_matches_estimated();
}

template <typename T>
bool holds(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The filtered fields that each entry of a table's facets and places columns lies outside of, a
// bit per FacetField.
struct FilterMisses {
  FilterMisses(const FacetTable& table, const FilterValues& filters)
      : facets(table.codes(FacetTable::kFacetsColumn), 0),
        places(table.codes(FacetTable::kPlacesColumn), 0) {
    const bool by_year = !filters.years.empty() || filters.year_from || filters.year_to;
    for (std::uint32_t code = 0; code < facets.size(); ++code) {
      static const FacetTable::FacetKeys kNone;
      const FacetTable::FacetKeys& keys = code == 0 ? kNone : table.facet_keys(code);
      unsigned& missed = facets[code];
      if (!filters.types.empty() && !holds(filters.types, keys.type)) missed |= 1u << kTypeField;
      if (!filters.campaigns.empty() &&
          std::none_of(keys.campaigns.begin(), keys.campaigns.end(),
                       [&](const std::string& key) { return holds(filters.campaigns, key); })) {
        missed |= 1u << kCampaignField;
      }
      if (!filters.projects.empty() &&
          (keys.project.empty() || !holds(filters.projects, keys.project))) {
        missed |= 1u << kProjectField;
      }
      if (by_year && (!keys.year || (!filters.years.empty() && !holds(filters.years, *keys.year)) ||
                      *keys.year < filters.year_from.value_or(kFirstYear) ||
                      *keys.year > filters.year_to.value_or(kLastYear))) {
        missed |= 1u << kYearField;
      }
    }
    if (filters.places.empty()) return;
    places[0] = 1u << kPlaceField;
    for (std::uint32_t code = 1; code < places.size(); ++code) {
      const std::vector<std::string>& keys = table.place_keys(code);
      if (std::none_of(keys.begin(), keys.end(),
                       [&](const std::string& key) { return holds(filters.places, key); })) {
        places[code] = 1u << kPlaceField;
      }
    }
  }
  std::vector<unsigned> facets, places;  // by code
};

// Counts one pass over the matches of a search's text through a FacetTable: a match inside
// every filter for the total and every field, one outside one filter for that field alone.
class TablePass : public Xapian::MatchSpy {
 public:
  TablePass(const std::shared_ptr<const FacetTable>& table, MatchCount& count,
            std::deque<OutsidePass>& outside)
      : table_(*table),
        misses_(*table, count.filters),
        facets_(count.facets.table_counts(table)),
        places_(count.places.table_counts(table)),
        place_years_(count.count_place_years ? &count.place_years.table_counts(table) : nullptr) {
    for (OutsidePass& pass : outside) outside_[pass.field] = &pass.values.table_counts(table);
  }

  void operator()(const Xapian::Document& doc, double) override {
    const Xapian::docid docid = doc.get_docid();
    const std::uint32_t facets = table_.code(FacetTable::kFacetsColumn, docid);
    const std::uint32_t places = table_.code(FacetTable::kPlacesColumn, docid);
    const unsigned missed = misses_.facets[facets] | misses_.places[places];
    if (missed == 0) {
      ++inside_;
      ++facets_[facets];
      ++places_[places];
      if (place_years_) ++(*place_years_)[table_.code(FacetTable::kPlaceYearsColumn, docid)];
    } else if ((missed & (missed - 1)) == 0) {  // outside one filter only
      const int field = __builtin_ctz(missed);
      if (outside_[field]) ++(*outside_[field])[field == kPlaceField ? places : facets];
    }
  }
  Xapian::doccount inside() const { return inside_; }

 private:
  const FacetTable& table_;
  const FilterMisses misses_;
  std::vector<std::size_t>& facets_;
  std::vector<std::size_t>& places_;
  std::vector<std::size_t>* place_years_;
  std::vector<std::size_t>* outside_[kFacetFieldCount] = {};
  Xapian::doccount inside_ = 0;
};

}  // namespace

void count_matches(const std::vector<CountTarget>& targets, MatchCount& count,
                   std::deque<OutsidePass>& outside, Xapian::doccount all) {
  count.total = 0;
  for (const CountTarget& target : targets) {
    if (!count.count_facets) {
      count.total += count_all(target.db, count.query, {}, all);
    } else if (target.table) {
      TablePass pass(target.table, count, outside);
      count_all(target.db, count.text_query, {&pass}, all);
      count.total += pass.inside();
    } else {
      std::vector<Xapian::MatchSpy*> spies = {count.facets.values_spy(), count.places.values_spy()};
      if (count.count_place_years) spies.push_back(count.place_years.values_spy());
      count.total += count_all(target.db, count.query, spies, all);
      for (OutsidePass& pass : outside) {
        count_all(target.db, pass.query, {pass.values.values_spy()}, all);
      }
    }
  }
}

void FacetCounter::add(const SlotCount& counted, std::optional<FacetField> field) {
  auto wanted = [&](FacetField f) { return !field || *field == f; };
  counted.for_each_facets([&](const schema::FacetFields& fields, std::size_t count) {
    if (wanted(kTypeField)) counts_[kTypeField][fields.type] += count;
    if (wanted(kCampaignField)) {
      for (const std::string& campaign : fields.campaigns)
        counts_[kCampaignField][campaign] += count;
    }
    if (wanted(kYearField) && !fields.year.empty()) counts_[kYearField][fields.year] += count;
    if (wanted(kProjectField) && !fields.project.empty())
      counts_[kProjectField][fields.project] += count;
  });
}

namespace {

// The entry of `key` in a transparent map, made when missing.
template <typename Map>
typename Map::mapped_type& entry(Map& map, std::string_view key) {
  auto found = map.find(key);
  if (found == map.end()) found = map.emplace(std::string(key), typename Map::mapped_type()).first;
  return found->second;
}

}  // namespace

std::optional<std::string_view> FacetCounter::shown(std::string_view place) {
  if (place.empty() || place.front() != schema::kUnknownPlaceMark) return place;
  if (!unknown_places_) return std::nullopt;
  place.remove_prefix(1);
  if (unknown_.find(place) == unknown_.end()) unknown_.emplace(place);
  return place;
}

void FacetCounter::add_places(const SlotCount& counted) {
  counted.for_each([&](const std::string& places, std::size_t count) {
    schema::for_each_place(places, [&](std::string_view place) {
      if (auto name = shown(place)) entry(counts_[kPlaceField], *name) += count;
    });
  });
}

void FacetCounter::add_place_years(const SlotCount& counted) {
  counted.for_each([&](const std::string& value, std::size_t count) {
    // "<year>\x1e<places>" (schema::place_year_value).
    const std::size_t places = value.find(schema::kFieldSeparator);
    if (places == std::string::npos) return;
    const int year = std::atoi(value.c_str());
    schema::for_each_place(std::string_view(value).substr(places + 1), [&](std::string_view place) {
      if (auto name = shown(place)) entry(place_years_, *name)[year] += count;
    });
  });
}

void FacetCounter::add(const OutsidePass& pass) {
  if (pass.field == kPlaceField) {
    add_places(pass.values);
  } else {
    add(pass.values, pass.field);
  }
}

Xapian::valueno facet_slot(FacetField field) {
  return field == kPlaceField ? schema::kSlotPlaces : schema::kSlotFacets;
}

Facets FacetCounter::facets() const {
  auto year_order = [](const FacetValue& a, const FacetValue& b) {
    return std::atoi(a.value.c_str()) < std::atoi(b.value.c_str());
  };
  auto count_order = [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; };
  return {sorted(counts_[kTypeField], count_order),  sorted(counts_[kCampaignField], count_order),
          sorted(counts_[kYearField], year_order),   sorted(counts_[kProjectField], count_order),
          sorted(counts_[kPlaceField], count_order), {place_years_.begin(), place_years_.end()},
          {unknown_.begin(), unknown_.end()}};
}

}  // namespace mediateka
