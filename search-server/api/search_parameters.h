// The parameters of GET /api/search and /api/suggest, validated. Every rule
// violated is an ApiError with a message that names the parameter and the value.
#pragma once

#include <cstddef>
#include <string>

#include "archive/searcher.h"
#include "http/query_string.h"

namespace mediateka::server {

inline constexpr std::size_t kMaxQueryBytes = 1000;
inline constexpr int kMaxPerPage = 100;
inline constexpr int kDefaultPerPage = 20;
// Keeps (page - 1) * per_page far from int overflow.
inline constexpr int kMaxPage = 1000000;
inline constexpr int kMaxSuggestions = 50;

SearchRequest parse_search_request(const QueryParameters& parameters);

struct SuggestRequest {
  std::string prefix;
  std::size_t limit = 10;
};
SuggestRequest parse_suggest_request(const QueryParameters& parameters);

}  // namespace mediateka::server
