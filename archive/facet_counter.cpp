#include "facet_counter.h"

#include <algorithm>
#include <cstdlib>

#include "gazetteer.h"

namespace mediateka {
namespace {

using schema::boolean_term;

constexpr size_t kMaxFacetValues = 100;

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
  auto terms_for = [](const char* prefix, const std::vector<std::string>& values, auto key) {
    std::vector<std::string> terms;
    for (const std::string& value : values) terms.push_back(boolean_term(prefix, key(value)));
    return any_of(terms);
  };
  if (!request.types.empty()) {
    filters.type = terms_for(schema::kType, request.types, [](const std::string& v) { return v; });
  }
  if (!request.campaigns.empty()) {
    filters.campaign = terms_for(schema::kCampaign, request.campaigns, [&](const std::string& v) {
      return Vocabulary::key(vocabulary.match(v).value_or(v));
    });
  }
  if (!request.projects.empty()) {
    filters.project = terms_for(schema::kProject, request.projects, Vocabulary::key);
  }
  if (!request.places.empty()) {
    filters.place = terms_for(schema::kPlace, request.places, [](const std::string& v) {
      // A canonical name, or a name that means one place only ("wyszkowski").
      const Gazetteer& gazetteer = Gazetteer::instance();
      std::optional<std::size_t> place = gazetteer.by_canonical(v);
      if (!place) place = resolve_place(gazetteer, gazetteer.match(v).candidates, {});
      return Vocabulary::key(place ? gazetteer.entry(*place).canonical : v);
    });
  }
  std::vector<Xapian::Query> year_parts;
  if (!request.years.empty()) {
    std::vector<std::string> years;
    for (int year : request.years) years.push_back(std::to_string(year));
    year_parts.push_back(terms_for(schema::kYear, years, [](const std::string& v) { return v; }));
  }
  if (request.year_from || request.year_to) {
    Xapian::Query range;
    std::string from = Xapian::sortable_serialise(request.year_from.value_or(0));
    std::string to = Xapian::sortable_serialise(request.year_to.value_or(9999));
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

// Counts the codes of one FacetTable column among the matches of a pass over that table's index.
class SlotCount::TableSpy : public Xapian::MatchSpy {
 public:
  TableSpy(int column, std::shared_ptr<const FacetTable> table)
      : column_(column), table_(std::move(table)), counts_(table_->codes(column), 0) {}

  void operator()(const Xapian::Document& doc, double) override {
    ++counts_[table_->code(column_, doc.get_docid())];
  }

  void for_each(const std::function<void(const std::string&, std::size_t)>& each) const {
    for (std::uint32_t code = 1; code < counts_.size(); ++code) {
      if (counts_[code] != 0) each(table_->value(column_, code), counts_[code]);
    }
  }

 private:
  const int column_;
  const std::shared_ptr<const FacetTable> table_;
  std::vector<std::size_t> counts_;  // by code (0: no value)
};

std::vector<CountTarget> count_targets(const Xapian::Database& combined,
                                       const std::vector<Xapian::Database>& local_parts) {
  std::vector<CountTarget> targets;
  for (const Xapian::Database& part : local_parts) {
    std::shared_ptr<const FacetTable> table = FacetTable::of(part);
    if (!table) break;
    targets.push_back({part, std::move(table)});
  }
  if (local_parts.empty() || targets.size() != local_parts.size()) return {{combined, nullptr}};
  return targets;
}

Xapian::MatchSpy* SlotCount::spy(const CountTarget& target) {
  if (!target.table) return &values_.emplace(slot_);
  tables_.push_back(std::make_shared<TableSpy>(FacetTable::column_of(slot_), target.table));
  return tables_.back().get();
}

void SlotCount::for_each(const std::function<void(const std::string&, std::size_t)>& each) const {
  for (const auto& table : tables_) table->for_each(each);
  if (!values_) return;
  for (auto it = values_->values_begin(); it != values_->values_end(); ++it) {
    each(*it, it.get_termfreq());
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

}  // namespace

void count_matches(const std::vector<CountTarget>& targets, MatchCount& count,
                   Xapian::doccount all) {
  count.total = 0;
  for (const CountTarget& target : targets) {
    std::vector<Xapian::MatchSpy*> spies;
    if (count.count_facets) spies = {count.facets.spy(target), count.places.spy(target)};
    if (count.count_place_years) spies.push_back(count.place_years.spy(target));
    count.total += count_all(target.db, count.query, spies, all);
  }
}

void count_outside(const std::vector<CountTarget>& targets, std::deque<OutsidePass>& passes,
                   Xapian::doccount all) {
  for (OutsidePass& pass : passes) {
    for (const CountTarget& target : targets) {
      count_all(target.db, pass.query, {pass.values.spy(target)}, all);
    }
  }
}

void FacetCounter::add(const SlotCount& counted, std::optional<FacetField> field) {
  auto wanted = [&](FacetField f) { return !field || *field == f; };
  counted.for_each([&](const std::string& value, std::size_t count) {
    const schema::FacetFields fields = schema::load_facet_fields(value);
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

// Calls `each` with every name of "<place>\x1f<place>..." (schema::place_value), read in place.
template <typename Each>
void for_each_place(std::string_view places, Each each) {
  for (std::size_t start = 0; start < places.size();) {
    std::size_t end = places.find(schema::kMultiValueSeparator, start);
    if (end == std::string_view::npos) end = places.size();
    each(places.substr(start, end - start));
    start = end + 1;
  }
}

// The entry of `key` in a transparent map, made when missing.
template <typename Map>
typename Map::mapped_type& entry(Map& map, std::string_view key) {
  auto found = map.find(key);
  if (found == map.end()) found = map.emplace(std::string(key), typename Map::mapped_type()).first;
  return found->second;
}

}  // namespace

void FacetCounter::add_places(const SlotCount& counted) {
  counted.for_each([&](const std::string& places, std::size_t count) {
    for_each_place(places,
                   [&](std::string_view place) { entry(counts_[kPlaceField], place) += count; });
  });
}

void FacetCounter::add_place_years(const SlotCount& counted) {
  counted.for_each([&](const std::string& value, std::size_t count) {
    // "<year>\x1e<places>" (schema::place_year_value).
    const std::size_t places = value.find(schema::kFieldSeparator);
    if (places == std::string::npos) return;
    const int year = std::atoi(value.c_str());
    for_each_place(std::string_view(value).substr(places + 1),
                   [&](std::string_view place) { entry(place_years_, place)[year] += count; });
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
          sorted(counts_[kPlaceField], count_order), {place_years_.begin(), place_years_.end()}};
}

}  // namespace mediateka
