#include "download_cache.h"

#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace mediateka::indexer {
namespace {

// ".pdf" for "https://host/a/b.PDF?x=1", or "" when the last path part has no short extension.
std::string url_extension(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  auto slash = path.rfind('/');
  auto dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string extension = path.substr(dot);
  if (extension.size() > 6 || !std::all_of(extension.begin() + 1, extension.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c));
      })) {
    return {};
  }
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

}  // namespace

std::filesystem::path download_cache_dir(const std::filesystem::path& db) {
  std::filesystem::path folder = db.lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();  // "var/index/"
  folder += ".cache";
  return folder;
}

std::filesystem::path cached_file(const std::filesystem::path& cache_dir, const std::string& url) {
  char name[17];
  std::snprintf(name, sizeof name, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(url.data(), url.size())));
  return cache_dir / (std::string(name) + url_extension(url));
}

}  // namespace mediateka::indexer
