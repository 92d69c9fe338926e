// Where remote sources are kept once fetched: a folder beside the index, "<db>.cache/",
// so the Xapian folder holds only Xapian's files. The server serves /files/{id} of a
// remote item from here (its source.file).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace mediateka::indexer {

std::filesystem::path download_cache_dir(const std::filesystem::path& db);

// The file for `url` in the cache: a hash of the URL plus `extension` (that of the media type
// the server sent or the body showed, media::extension_for_mime), else the extension of the
// URL's path. One file per URL; extractors and the server get the right kind from the name.
std::filesystem::path cached_file(const std::filesystem::path& cache_dir, const std::string& url,
                                  const std::string& extension = {});

// Where a download lands before its kind is known: <hash>.download.
std::filesystem::path download_file(const std::filesystem::path& cache_dir, const std::string& url);

// What the cache remembers of a URL beside its copy (<hash>.json), for conditional requests.
struct CacheEntry {
  std::string url;
  std::filesystem::path file;  // the copy
  std::string etag;
  std::optional<std::int64_t> last_modified;
  std::int64_t fetched = 0;  // seconds since epoch, when the copy was downloaded
  std::string mime;
};

// nullopt when the URL was never fetched into this cache, or its copy is gone.
std::optional<CacheEntry> read_cache_entry(const std::filesystem::path& cache_dir,
                                           const std::string& url);
// Written atomically (temporary file, rename). Throws std::runtime_error when it cannot be.
void write_cache_entry(const std::filesystem::path& cache_dir, const CacheEntry& entry);

}  // namespace mediateka::indexer
