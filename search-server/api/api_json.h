// JSON bodies of the API, exactly as docs/api.md spells them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "archive/searcher.h"

namespace mediateka::server {

// The bodies of /api/search and /api/facets, written directly (see json_writer.h).
std::string search_result_body(const SearchRequest& request, const SearchResult& result,
                               double took_ms);
// `missing_shards`: the shards left out (SearchResult::missing_shards).
std::string facets_body(size_t total, const Facets& facets,
                        const std::vector<std::string>& missing_shards);
nlohmann::json error_to_json(const std::string& code, const std::string& message);

// Stored text may hold invalid UTF-8 (titles from old PDFs); it is replaced, not thrown about.
std::string to_body(const nlohmann::json& json);

}  // namespace mediateka::server
