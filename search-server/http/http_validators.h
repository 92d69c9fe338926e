// The HTTP rules the file and page handlers share: byte ranges (RFC 7233), HTTP dates
// (RFC 7231), entity tags and conditional requests (RFC 7232). No file system, no index.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "server_types.h"

namespace mediateka::server {

// A request header's value (names in lower case), if the request has it.
std::optional<std::string> request_header(const ApiRequest& request, const std::string& name);

struct RangeDecision {
  enum Kind { whole, partial, unsatisfiable };
  Kind kind = whole;
  std::int64_t first = 0;  // inclusive, for `partial`
  std::int64_t last = 0;   // inclusive
};

// The answer to a `Range` header for a representation of `size` bytes.
RangeDecision decide_range(std::string_view header, std::int64_t size);

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 7231 IMF-fixdate).
std::string http_date(std::time_t time);
// IMF-fixdate, and the obsolete RFC 850 and asctime forms; nullopt when none fits.
std::optional<std::time_t> parse_http_date(std::string_view text);

// Whether an If-None-Match value ("*" or a list of entity tags) matches `etag` (weak comparison).
bool etag_list_matches(std::string_view header, std::string_view etag);

// Whether a GET may be answered 304: If-None-Match (when present) matches `etag`, else
// If-Modified-Since is no earlier than `modified`.
bool not_modified(const ApiRequest& request, const std::string& etag, std::time_t modified);

// If-Range: the Range applies only while the client's validator is still the current one
// (an entity tag compared strongly, or exactly the Last-Modified date).
bool range_still_valid(const ApiRequest& request, const std::string& etag, std::time_t modified);

}  // namespace mediateka::server
