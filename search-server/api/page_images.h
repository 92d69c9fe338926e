// GET /i/{slug}/strony/{n}.png?q=... (page_images.cpp): page n of a publication rendered by
// Poppler (media/page_image.h) 1000 px wide, the words of q marked, cached on disk.
//
// The cache: <page_images_dir>/<item id>/<n>-<hash>.png, the hash over the file's checksum,
// the width and what q's words match (QueryWords::key()), so a new import of the file or
// another query renders anew. A picture served from the cache is touched, and after each new
// picture the folder is trimmed, oldest first, to 80 % of its bound.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

namespace mediateka::server {

inline constexpr int kPageImageWidth = 1000;

class PageImageCache {
 public:
  PageImageCache(std::filesystem::path folder, std::uintmax_t max_bytes)
      : folder_(std::move(folder)), max_bytes_(max_bytes) {}

  // Where the picture of this page and key lives (its folder is made when missing).
  std::filesystem::path path_for(const std::string& item_id, int page, const std::string& key);
  // Marks `path` as just used, so that trimming keeps it longest.
  static void touch(const std::filesystem::path& path);
  // Removes the least recently used pictures while the folder holds more than its bound, down to
  // 80 % of it. Returns the bytes it holds afterwards.
  std::uintmax_t trim();

 private:
  std::filesystem::path folder_;
  std::uintmax_t max_bytes_;
  std::mutex mutex_;
};

// The process's cache for `folder` (one per folder; bound as first asked).
PageImageCache& page_image_cache(const std::string& folder, std::uintmax_t max_bytes);

}  // namespace mediateka::server
