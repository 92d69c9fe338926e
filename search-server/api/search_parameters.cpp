#include "api/search_parameters.h"

#include <cctype>

#include "api/api_error.h"
#include "archive/item.h"

namespace mediateka::server {

namespace {

// Echoed values are cut short: a message should not repeat a 16 KB parameter.
std::string quoted(const std::string& value) {
  if (value.size() <= 40) return "'" + value + "'";
  std::size_t cut = 40;
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return "'" + value.substr(0, cut) + "...'";
}

bool all_digits(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int integer_in_range(const QueryParameters& parameters, const char* name, int minimum, int maximum,
                     int fallback, const std::string& expectation) {
  const auto text = parameters.single(name);
  if (!text) return fallback;
  if (!all_digits(*text) || (text->size() <= 9 && std::stoi(*text) < minimum)) {
    throw bad_parameter(std::string(name) + " must be " + expectation + ", got " + quoted(*text));
  }
  if (text->size() > 9 || std::stoi(*text) > maximum) {
    throw bad_parameter(std::string(name) + " must be at most " + std::to_string(maximum) +
                        ", got " + quoted(*text));
  }
  return std::stoi(*text);
}

int parse_year(const char* name, const std::string& text) {
  if (text.size() != 4 || !all_digits(text)) {
    throw bad_parameter(std::string(name) + " must be a 4-digit year, got " + quoted(text));
  }
  return std::stoi(text);
}

std::optional<int> optional_year(const QueryParameters& parameters, const char* name) {
  const auto text = parameters.single(name);
  if (!text) return std::nullopt;
  return parse_year(name, *text);
}

SortOrder parse_sort(const QueryParameters& parameters) {
  const auto text = parameters.single("sort");
  if (!text) return SortOrder::relevance;
  if (const auto sort = parse_sort_order(*text)) return *sort;
  throw bad_parameter("sort must be one of " + names_listed(kSortOrderNames) + ", got " +
                      quoted(*text));
}

std::vector<std::string> non_empty_values(const QueryParameters& parameters, const char* name) {
  std::vector<std::string> values;
  for (auto& value : parameters.all(name)) {
    if (!value.empty()) values.push_back(std::move(value));
  }
  return values;
}

std::string query_text(const QueryParameters& parameters, const char* name) {
  auto text = parameters.single(name).value_or("");
  if (text.size() > kMaxQueryBytes) {
    throw ApiError(400, "query_too_long",
                   std::string(name) + " is " + std::to_string(text.size()) +
                       " bytes long; at most " + std::to_string(kMaxQueryBytes) + " are allowed");
  }
  return text;
}

}  // namespace

SearchRequest parse_search_request(const QueryParameters& parameters) {
  SearchRequest request;
  request.q = query_text(parameters, "q");

  for (auto& type : non_empty_values(parameters, "type")) {
    if (!parse_item_type(type)) {
      throw bad_parameter("type must be one of " + names_listed(kItemTypeNames) + ", got " +
                          quoted(type));
    }
    request.types.push_back(std::move(type));
  }
  request.campaigns = non_empty_values(parameters, "campaign");
  request.projects = non_empty_values(parameters, "project");
  request.places = non_empty_values(parameters, "place");
  for (const auto& year : non_empty_values(parameters, "year")) {
    request.years.push_back(parse_year("year", year));
  }
  request.year_from = optional_year(parameters, "year_from");
  request.year_to = optional_year(parameters, "year_to");
  if (request.year_from && request.year_to && *request.year_from > *request.year_to) {
    throw bad_parameter("year_from (" + std::to_string(*request.year_from) +
                        ") must not be after year_to (" + std::to_string(*request.year_to) + ")");
  }

  request.sort = parse_sort(parameters);
  request.page = integer_in_range(parameters, "page", 1, kMaxPage, 1, "a positive integer");
  request.per_page = integer_in_range(parameters, "per_page", 1, kMaxPerPage, kDefaultPerPage,
                                      "an integer from 1 to " + std::to_string(kMaxPerPage));
  request.expand = integer_in_range(parameters, "expand", 0, 1, 1, "0 or 1") == 1;
  return request;
}

SuggestRequest parse_suggest_request(const QueryParameters& parameters) {
  SuggestRequest request;
  request.prefix = query_text(parameters, "q");
  request.limit = static_cast<std::size_t>(
      integer_in_range(parameters, "limit", 1, kMaxSuggestions, 10,
                       "an integer from 1 to " + std::to_string(kMaxSuggestions)));
  return request;
}

}  // namespace mediateka::server
