// GET/HEAD /files/{id} (an indexed item's original file) and /thumbs/{id} (its
// cover): validators, conditional requests and byte ranges (RFC 7232, 7233).
//
// Which file can be reached: only the one recorded in the index for an indexed
// item, never a path from the URL (the id must be a valid identifier). The
// importer records `source.file` fully resolved (no symbolic links). A file is
// served only if opening that path now reaches a regular file whose resolved
// path (/proc/self/fd) is exactly the recorded one: a file or folder replaced by
// a symbolic link since the import is refused (404), wherever the link points.
// Covers are <thumbs_dir>/<id>.png, regular files only, not symbolic links.
//
// Items with a `source.url` are answered 302 to that URL: the original lives
// there (the indexer's download cache is a working copy, not published).
//
// Ranges: one range `bytes=a-b`, `bytes=a-` or `bytes=-n` → 206; a range that
// starts past the end (or `-0`) → 416 with `Content-Range: bytes */size`;
// several ranges, or a malformed header → the whole file, 200 (RFC 7233 lets a
// server ignore Range). HEAD ignores Range, as RFC 7233 asks.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "routes.h"

namespace mediateka::server {

Response get_file(const ApiRequest& request, ServerContext& context);
Response get_thumb(const ApiRequest& request, ServerContext& context);

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

}  // namespace mediateka::server
