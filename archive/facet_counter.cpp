#include "facet_counter.h"

#include <algorithm>
#include <cstdlib>

namespace mediateka {
namespace {

using schema::boolean_term;

constexpr size_t kMaxFacetValues = 100;

Xapian::Query any_of(const std::vector<std::string>& terms) {
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

template <typename Order>
std::vector<FacetValue> sorted(const std::map<std::string, std::size_t>& counts, Order order) {
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
  for (FacetField field : {kTypeField, kCampaignField, kYearField, kProjectField}) {
    if (!*field_filters[field]) continue;
    std::vector<const std::optional<Xapian::Query>*> others;
    for (const auto* other : field_filters) {
      if (other != field_filters[field]) others.push_back(other);
    }
    outside.emplace_back().field = field;
    outside.back().query = filtered(items_matching(**field_filters[field]), others).serialise();
  }
  return outside;
}

void count_matches(const Xapian::Database& db, const Xapian::Query& query,
                   Xapian::ValueCountMatchSpy& spy, Xapian::doccount all) {
  Xapian::Enquire count(db);
  count.set_query(query);
  // Counting needs no weights: Xapian then skips scoring and the ranking-only boosts.
  count.set_weighting_scheme(Xapian::BoolWeight());
  count.add_matchspy(&spy);
  count.get_mset(0, 0, all);
}

void count_outside(const Xapian::Database& db, std::deque<OutsidePass>& passes,
                   Xapian::doccount all) {
  for (OutsidePass& pass : passes) {
    count_matches(db, Xapian::Query::unserialise(pass.query), pass.spy, all);
  }
}

void FacetCounter::add(const Xapian::ValueCountMatchSpy& spy, std::optional<FacetField> field) {
  auto wanted = [&](FacetField f) { return !field || *field == f; };
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    const schema::FacetFields fields = schema::load_facet_fields(*it);
    const std::size_t count = it.get_termfreq();
    if (wanted(kTypeField)) counts_[kTypeField][fields.type] += count;
    if (wanted(kCampaignField)) {
      for (const std::string& campaign : fields.campaigns)
        counts_[kCampaignField][campaign] += count;
    }
    if (wanted(kYearField) && !fields.year.empty()) counts_[kYearField][fields.year] += count;
    if (wanted(kProjectField) && !fields.project.empty())
      counts_[kProjectField][fields.project] += count;
  }
}

Facets FacetCounter::facets() const {
  auto year_order = [](const FacetValue& a, const FacetValue& b) {
    return std::atoi(a.value.c_str()) < std::atoi(b.value.c_str());
  };
  auto count_order = [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; };
  return {sorted(counts_[kTypeField], count_order), sorted(counts_[kCampaignField], count_order),
          sorted(counts_[kYearField], year_order), sorted(counts_[kProjectField], count_order)};
}

}  // namespace mediateka
