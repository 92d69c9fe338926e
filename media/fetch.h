// Downloading remote sources (http/https) to a local file with libcurl.
// Thread-safe: each call uses its own curl handle.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace mediateka::media {

struct FetchOptions {
  long max_redirects = 5;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds total_timeout{120};
  std::int64_t max_bytes = std::int64_t{2} << 30;
  std::string user_agent = "Mediateka/0.1";
};

struct FetchResult {
  std::string final_url;  // after redirects
  long http_status = 0;
  std::int64_t size = 0;
  std::string content_type;                   // as the server sent it, may be empty
  std::optional<std::int64_t> last_modified;  // seconds since epoch, from Last-Modified
  std::string etag;                           // for conditional requests later; may be empty
};

// A download that did not produce the file; what() says why, naming the URL
// ("HTTP 404 from https://...", "timed out after 120 s fetching ...").
struct FetchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Fetches `url` into `dest` (its folder must exist). The body goes to a temporary file
// beside `dest` that replaces `dest` only when the whole body arrived, so `dest` is never
// a partial download. Only http and https are followed, also in redirects. Throws FetchError.
FetchResult fetch_to_file(const std::string& url, const std::filesystem::path& dest,
                          const FetchOptions& options = {});

}  // namespace mediateka::media
