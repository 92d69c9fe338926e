#include "api_json.h"

#include <cmath>

namespace mediateka::server {

namespace {

nlohmann::json facet_values_to_json(const std::vector<FacetValue>& values) {
  auto list = nlohmann::json::array();
  for (const auto& value : values) {
    list.push_back({{"value", value.value}, {"count", value.count}});
  }
  return list;
}

double rounded(double value, double unit) { return std::round(value / unit) * unit; }

}  // namespace

nlohmann::json location_to_json(const Location& location, const std::string& slug) {
  const std::string page_url = "/i/" + slug;
  if (location.page > 0) {
    return {{"page", location.page},
            {"snippet", location.snippet},
            {"url", page_url + "?page=" + std::to_string(location.page)}};
  }
  const auto start_second = static_cast<long long>(std::floor(std::max(0.0, location.t)));
  return {{"t", location.t},
          {"end", location.end},
          {"snippet", location.snippet},
          {"url", page_url + "?t=" + std::to_string(start_second)}};
}

nlohmann::json hit_to_json(const Hit& hit) {
  const Item& item = hit.item;
  auto locations = nlohmann::json::array();
  for (const auto& location : hit.locations) {
    locations.push_back(location_to_json(location, item.slug));
  }
  return {
      {"id", item.id},
      {"slug", item.slug},
      {"type", std::string(to_string(item.type))},
      {"title", item.title},
      {"year", item.year ? nlohmann::json(*item.year) : nlohmann::json(nullptr)},
      {"campaigns", item.campaigns},
      {"project", item.project.empty() ? nlohmann::json(nullptr) : nlohmann::json(item.project)},
      {"score", hit.score},
      {"snippet", hit.snippet},
      {"url", "/i/" + item.slug},
      {"locations", std::move(locations)}};
}

nlohmann::json facets_to_json(const Facets& facets) {
  return {{"type", facet_values_to_json(facets.type)},
          {"campaign", facet_values_to_json(facets.campaign)},
          {"year", facet_values_to_json(facets.year)},
          {"project", facet_values_to_json(facets.project)}};
}

nlohmann::json search_result_to_json(const SearchRequest& request, const SearchResult& result,
                                     double took_ms) {
  auto hits = nlohmann::json::array();
  for (const auto& hit : result.hits) hits.push_back(hit_to_json(hit));
  return {{"query", request.q},
          {"total", result.total},
          {"page", request.page},
          {"per_page", request.per_page},
          {"took_ms", rounded(took_ms, 0.01)},
          {"hits", std::move(hits)},
          {"facets", facets_to_json(result.facets)},
          {"suggestion",
           result.suggestion ? nlohmann::json(*result.suggestion) : nlohmann::json(nullptr)}};
}

nlohmann::json error_to_json(const std::string& code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

std::string to_body(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mediateka::server
