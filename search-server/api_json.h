// JSON bodies of the API, exactly as shared/spec/api.md spells them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "searcher.h"

namespace mediateka::server {

nlohmann::json search_result_to_json(const SearchRequest& request, const SearchResult& result,
                                     double took_ms);
nlohmann::json hit_to_json(const Hit& hit);
nlohmann::json location_to_json(const Location& location, const std::string& slug);
nlohmann::json facets_to_json(const Facets& facets);
nlohmann::json error_to_json(const std::string& code, const std::string& message);

// Stored text may hold invalid UTF-8 (titles from old PDFs); it is replaced, not thrown about.
std::string to_body(const nlohmann::json& json);

}  // namespace mediateka::server
