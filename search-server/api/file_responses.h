// GET/HEAD /files/{id} (an indexed item's original file) and /thumbs/{id} (its
// cover), with validators, conditional requests and byte ranges (http_validators.h).
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

#include <string>

#include "archive/search_types.h"
#include "server_types.h"

namespace mediateka::server {

// <thumbs_dir>/<id>.png, where an item's cover is; "" when no thumbs_dir is set.
std::string cover_path(const ServerContext& context, const std::string& id);
// Whether the item has a cover to show (a regular file there), for the pages.
bool has_cover(const ServerContext& context, const std::string& id);

// Whether `stored` (an item's source.file) is still exactly the regular file recorded, by the
// rule /files follows: what other readers of the file (the page images) check first.
bool stored_file_is_intact(const std::string& stored);

// The item the path's `:id` names, as the request's audience sees it, and the shard holding it.
// Throws ApiError: 410 for a removed item, 404 for no such item (or an id that cannot be one).
LocatedItem requested_item(const ApiRequest& request, ServerContext& context);

Response get_file(const ApiRequest& request, ServerContext& context);
Response get_thumb(const ApiRequest& request, ServerContext& context);

}  // namespace mediateka::server
