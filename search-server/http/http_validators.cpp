#include "http/http_validators.h"

#include <cctype>
#include <cstdio>
#include <limits>
#include <vector>

namespace mediateka::server {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Decimal digits only; saturates at the largest int64 (a position past any file).
std::optional<std::int64_t> parse_position(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  std::int64_t value = 0;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    value = value > (kMax - digit) / 10 ? kMax : value * 10 + digit;
  }
  return value;
}

}  // namespace

std::optional<std::string> request_header(const ApiRequest& request, const std::string& name) {
  const auto found = request.headers.find(name);
  if (found == request.headers.end()) return std::nullopt;
  return found->second;
}

bool not_modified(const ApiRequest& request, const std::string& etag, std::time_t modified) {
  if (auto none_match = request_header(request, "if-none-match")) {
    return etag_list_matches(*none_match, etag);
  }
  if (auto since_text = request_header(request, "if-modified-since")) {
    const auto since = parse_http_date(*since_text);
    return since && *since <= std::time(nullptr) && modified <= *since;
  }
  return false;
}

bool range_still_valid(const ApiRequest& request, const std::string& etag, std::time_t modified) {
  const auto if_range = request_header(request, "if-range");
  if (!if_range) return true;
  const std::string_view value = trim(*if_range);
  if (!value.empty() && (value.front() == '"' || value.substr(0, 2) == "W/")) {
    return value == etag;
  }
  const auto date = parse_http_date(value);
  return date && *date == modified;
}

RangeDecision decide_range(std::string_view header, std::int64_t size) {
  RangeDecision whole;
  std::string_view value = trim(header);
  const std::size_t equals = value.find('=');
  if (equals == std::string_view::npos || !iequals(trim(value.substr(0, equals)), "bytes")) {
    return whole;
  }
  value.remove_prefix(equals + 1);
  std::vector<std::string_view> specs;
  while (true) {
    const std::size_t comma = value.find(',');
    const std::string_view spec = trim(value.substr(0, comma));
    if (!spec.empty()) specs.push_back(spec);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  // One range only; several are answered with the whole file (no multipart/byteranges).
  if (specs.size() != 1) return whole;
  const std::string_view spec = specs.front();
  const std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view first_text = trim(spec.substr(0, dash));
  const std::string_view last_text = trim(spec.substr(dash + 1));

  RangeDecision decision;
  decision.kind = RangeDecision::partial;
  if (first_text.empty()) {  // bytes=-n: the last n bytes
    const auto suffix = parse_position(last_text);
    if (!suffix) return whole;
    if (*suffix == 0 || size <= 0) return {RangeDecision::unsatisfiable, 0, 0};
    decision.first = *suffix >= size ? 0 : size - *suffix;
    decision.last = size - 1;
    return decision;
  }
  const auto first = parse_position(first_text);
  if (!first) return whole;
  std::optional<std::int64_t> last;
  if (!last_text.empty()) {
    last = parse_position(last_text);
    if (!last || *last < *first) return whole;  // syntactically invalid: ignored
  }
  if (*first >= size) return {RangeDecision::unsatisfiable, 0, 0};
  decision.first = *first;
  decision.last = last && *last < size - 1 ? *last : size - 1;
  return decision;
}

std::string http_date(std::time_t time) {
  std::tm parts{};
  gmtime_r(&time, &parts);
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[parts.tm_wday],
                parts.tm_mday, kMonths[parts.tm_mon], parts.tm_year + 1900, parts.tm_hour,
                parts.tm_min, parts.tm_sec);
  return text;
}

std::optional<std::time_t> parse_http_date(std::string_view text) {
  const std::string value(trim(text));
  // The C locale's names are the English ones these formats use.
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    std::tm parts{};
    const char* end = strptime(value.c_str(), format, &parts);
    if (end && *end == '\0') return timegm(&parts);
  }
  return std::nullopt;
}

bool etag_list_matches(std::string_view header, std::string_view etag) {
  const auto opaque = [](std::string_view tag) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    return tag;
  };
  std::string_view rest = trim(header);
  if (rest == "*") return true;
  const std::string_view wanted = opaque(etag);
  while (!rest.empty()) {
    rest = trim(rest);
    if (!rest.empty() && rest.front() == ',') {
      rest.remove_prefix(1);
      continue;
    }
    const std::size_t start = rest.substr(0, 2) == "W/" ? 2 : 0;
    if (rest.size() <= start || rest[start] != '"') return false;  // malformed: no match
    const std::size_t close = rest.find('"', start + 1);
    if (close == std::string_view::npos) return false;
    if (rest.substr(start, close - start + 1) == wanted) return true;
    rest.remove_prefix(close + 1);
  }
  return false;
}

}  // namespace mediateka::server
