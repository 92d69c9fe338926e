#include "api/page_images.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "api/api_error.h"
#include "api/document_search.h"
#include "api/file_responses.h"
#include "api/item_media.h"
#include "archive/text/slug.h"
#include "http/http_validators.h"
#include "page_image.h"
#include "pages/pages.h"

namespace mediateka::server {

namespace fs = std::filesystem;

fs::path PageImageCache::path_for(const std::string& item_id, int page, const std::string& key) {
  const fs::path folder = folder_ / item_id;
  std::error_code error;
  fs::create_directories(folder, error);
  return folder / (std::to_string(page) + "-" + key + ".png");
}

void PageImageCache::touch(const fs::path& path) {
  std::error_code error;
  fs::last_write_time(path, fs::file_time_type::clock::now(), error);
}

std::uintmax_t PageImageCache::trim() {
  std::lock_guard<std::mutex> lock(mutex_);
  struct Entry {
    fs::file_time_type used;
    std::uintmax_t size;
    fs::path path;
  };
  std::vector<Entry> entries;
  std::uintmax_t total = 0;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(folder_, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    std::error_code ignored;
    if (!it->is_regular_file(ignored)) continue;
    const std::uintmax_t size = it->file_size(ignored);
    if (ignored) continue;
    entries.push_back({it->last_write_time(ignored), size, it->path()});
    total += size;
  }
  if (total <= max_bytes_) return total;
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.used < b.used; });
  const std::uintmax_t goal = max_bytes_ / 10 * 8;
  for (const Entry& entry : entries) {
    if (total <= goal) break;
    std::error_code removed;
    if (fs::remove(entry.path, removed)) total -= entry.size;
  }
  return total;
}

PageImageCache& page_image_cache(const std::string& folder, std::uintmax_t max_bytes) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<PageImageCache>> caches;
  std::lock_guard<std::mutex> lock(mutex);
  auto& cache = caches[folder];
  if (!cache) cache = std::make_unique<PageImageCache>(folder, max_bytes);
  return *cache;
}

namespace {

std::string hex64(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

// The page number of "7" (1..99999), else nullopt.
std::optional<int> page_number(const std::string& text) {
  if (text.empty() || text.size() > 5 || text.front() == '0') return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  return std::stoi(text);
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad() || bytes.empty()) return std::nullopt;
  return bytes;
}

// A folder of this process for pictures rendered when no cache is configured.
fs::path scratch_png() {
  static std::atomic<unsigned long> counter{0};
  return fs::temp_directory_path() / ("mediateka-page-" + std::to_string(::getpid()) + "-" +
                                      std::to_string(counter++) + ".png");
}

}  // namespace

Response get_page_image(const ApiRequest& request, ServerContext& context) {
  Searcher& searcher = context.index.searcher();
  // The same look-ups as the item page and /files: an item this audience may not see is not here.
  const auto found = find_item(searcher, request.path_parameters.at("slug"), request.audience);
  if (!found || found->by_id || !is_pdf(found->item))
    throw not_found("no publication with this slug");
  const Item& item = found->item;
  const auto number = page_number(request.path_parameters.at("number"));
  if (!number || (item.pages && *number > *item.pages))
    throw not_found("the publication has no such page");
  const auto located = searcher.locate_item(item.id, request.audience);
  if (!located || located->remote || !stored_file_is_intact(item.source.file))
    throw not_found("the publication's file is not on this server");

  std::string q;
  try {
    q = request.query.single("q").value_or("");
  } catch (const std::exception&) {
    throw bad_parameter("q may be given only once");
  }
  if (q.size() > 1024) throw bad_parameter("q is longer than 1024 bytes");
  const QueryWords words(q);
  const std::string etag =
      "\"" +
      hex64(fnv1a_64(item.source.checksum + '\n' + std::to_string(*number) + '\n' +
                     std::to_string(kPageImageWidth) + '\n' + words.key())) +
      "\"";
  std::vector<std::pair<std::string, std::string>> headers = {
      {"ETag", etag},
      {"Cache-Control", item.access.empty() ? "public, max-age=3600" : "private, no-store"},
      {"X-Content-Type-Options", "nosniff"}};
  const auto condition = request_header(request, "if-none-match");
  if (condition && etag_list_matches(*condition, etag))
    return Response{304, "image/png", "", std::move(headers)};

  const bool cached = !context.page_images_dir.empty();
  PageImageCache* cache =
      cached ? &page_image_cache(context.page_images_dir, context.page_images_bytes) : nullptr;
  const fs::path path =
      cached ? cache->path_for(item.id, *number, etag.substr(1, 16)) : scratch_png();
  if (cached) {
    if (auto bytes = read_file(path)) {
      PageImageCache::touch(path);
      headers.emplace_back("X-Page-Cache", "hit");
      return Response{200, "image/png", std::move(*bytes), std::move(headers)};
    }
  }
  try {
    // Nothing to mark: no marker, so that a scan is not read by OCR for nothing.
    std::function<bool(std::string_view)> marks;
    if (!words.empty()) marks = [&words](std::string_view word) { return words.matches(word); };
    media::render_page_image(item.source.file, *number, kPageImageWidth, marks, path, &context.ocr);
  } catch (const media::NoSuchPage& error) {
    throw not_found(error.what());
  } catch (const media::ExtractionError& error) {
    spdlog::error("page {} of {} cannot be rendered: {}", *number, item.id, error.what());
    throw ApiError(500, "internal_error", "the page cannot be rendered");
  }
  auto bytes = read_file(path);
  if (!cached) {
    std::error_code ignored;
    fs::remove(path, ignored);
  } else {
    cache->trim();
  }
  if (!bytes) throw ApiError(500, "internal_error", "the rendered page cannot be read");
  headers.emplace_back("X-Page-Cache", "miss");
  return Response{200, "image/png", std::move(*bytes), std::move(headers)};
}

}  // namespace mediateka::server
