#include "download_cache.h"

#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

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

namespace {

std::string url_hash(const std::string& url) {
  char name[17];
  std::snprintf(name, sizeof name, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(url.data(), url.size())));
  return name;
}

std::filesystem::path entry_file(const std::filesystem::path& cache_dir, const std::string& url) {
  return cache_dir / (url_hash(url) + ".json");
}

}  // namespace

std::filesystem::path cached_file(const std::filesystem::path& cache_dir, const std::string& url,
                                  const std::string& extension) {
  return cache_dir / (url_hash(url) + (extension.empty() ? url_extension(url) : extension));
}

std::filesystem::path download_file(const std::filesystem::path& cache_dir,
                                    const std::string& url) {
  return cache_dir / (url_hash(url) + ".download");
}

std::optional<CacheEntry> read_cache_entry(const std::filesystem::path& cache_dir,
                                           const std::string& url) {
  std::ifstream in(entry_file(cache_dir, url));
  if (!in) return std::nullopt;
  try {
    const nlohmann::json json = nlohmann::json::parse(in);
    CacheEntry entry;
    entry.url = json.at("url").get<std::string>();
    entry.file = json.at("file").get<std::string>();
    entry.etag = json.value("etag", std::string());
    if (json.contains("last_modified") && json["last_modified"].is_number_integer())
      entry.last_modified = json["last_modified"].get<std::int64_t>();
    entry.fetched = json.value("fetched", std::int64_t{0});
    entry.mime = json.value("mime", std::string());
    std::error_code error;
    if (entry.url != url || !std::filesystem::is_regular_file(entry.file, error)) {
      return std::nullopt;
    }
    return entry;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a damaged entry: fetch again without conditions
  }
}

void write_cache_entry(const std::filesystem::path& cache_dir, const CacheEntry& entry) {
  nlohmann::json json{{"url", entry.url},
                      {"file", entry.file.string()},
                      {"etag", entry.etag},
                      {"fetched", entry.fetched},
                      {"mime", entry.mime}};
  if (entry.last_modified) json["last_modified"] = *entry.last_modified;
  const std::filesystem::path target = entry_file(cache_dir, entry.url);
  std::filesystem::path partial = target;
  partial += ".part";
  {
    std::ofstream out(partial, std::ios::trunc);
    out << json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + partial.string());
  }
  std::filesystem::rename(partial, target);
}

}  // namespace mediateka::indexer
