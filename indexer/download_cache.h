// Where remote sources are kept once fetched: a folder beside the index, "<db>.cache/",
// so the Xapian folder holds only Xapian's files. The server serves /files/{id} of a
// remote item from here (its source.file).
#pragma once

#include <filesystem>
#include <string>

namespace mediateka::indexer {

std::filesystem::path download_cache_dir(const std::filesystem::path& db);

// The file for `url` in the cache: a hash of the URL plus the extension of its path,
// which keeps one file per URL and gives extractors a hint of the kind.
std::filesystem::path cached_file(const std::filesystem::path& cache_dir, const std::string& url);

}  // namespace mediateka::indexer
