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
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{120'000};  // per attempt
  std::int64_t max_bytes = std::int64_t{2} << 30;
  std::string user_agent = "Mediateka/0.1";
  // Transient failures are tried again: HTTP 5xx and 429, time-outs, refused or dropped
  // connections, unresolved host names. Not 4xx, redirect loops, too large bodies.
  int attempts = 3;
  std::chrono::milliseconds retry_delay{500};  // before the second attempt; doubles after that
};

// A conditional request: when the server answers 304 Not Modified, `dest` is left alone.
struct FetchConditions {
  std::string etag;                           // sent as If-None-Match
  std::optional<std::int64_t> last_modified;  // sent as If-Modified-Since (when no etag)
};

struct FetchResult {
  std::string final_url;  // after redirects
  long http_status = 0;
  bool not_modified = false;  // 304 to a conditional request: nothing was written
  std::int64_t size = 0;
  std::string content_type;  // as the server sent it, may be empty
  std::string mime;  // what the body is: sniffed (%PDF- is application/pdf), else the header's type
  std::optional<std::int64_t> last_modified;  // seconds since epoch, from Last-Modified
  std::string etag;                           // for conditional requests later; may be empty
  int attempts = 1;                           // how many requests it took
};

// A download that did not produce the file; what() says why, naming the URL
// ("HTTP 404 from https://...", "timed out after 120 s fetching ...").
struct FetchError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Fetches `url` into `dest` (its folder must exist). The body goes to a temporary file
// beside `dest` that replaces `dest` only when the whole body arrived, so `dest` is never
// a partial download. Only http and https are followed, also in redirects. Transient failures
// are retried (FetchOptions::attempts). Throws FetchError; after several attempts its message
// ends with "(N attempts)".
FetchResult fetch_to_file(const std::string& url, const std::filesystem::path& dest,
                          const FetchOptions& options = {}, const FetchConditions& conditions = {});

// The media type of a downloaded file: "application/pdf" when it starts with %PDF- (within its
// first KiB, as Poppler allows), else the Content-Type header without parameters, lower-cased
// ("" when there is none).
std::string sniff_mime(const std::filesystem::path& file, const std::string& content_type);

// ".pdf" for application/pdf, ".mp3" for audio/mpeg, ... ; "" for a type not imported.
std::string extension_for_mime(const std::string& mime);

}  // namespace mediateka::media
