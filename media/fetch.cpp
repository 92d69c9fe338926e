#include "fetch.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

namespace mediateka::media {
namespace {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Download {
  std::FILE* out = nullptr;
  std::int64_t written = 0;
  std::int64_t max_bytes = 0;
  bool too_large = false;
  bool write_failed = false;
  std::string etag;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  size_t bytes = size * count;
  if (download->written + static_cast<std::int64_t>(bytes) > download->max_bytes) {
    download->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  if (std::fwrite(data, 1, bytes, download->out) != bytes) {
    download->write_failed = true;
    return 0;
  }
  download->written += static_cast<std::int64_t>(bytes);
  return bytes;
}

size_t read_header(char* data, size_t size, size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) download->etag.clear();  // a new response after a redirect
  const std::string name = "etag:";
  if (line.size() > name.size()) {
    std::string start = line.substr(0, name.size());
    for (char& c : start) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (start == name) {
      std::string value = line.substr(name.size());
      auto first = value.find_first_not_of(" \t");
      auto last = value.find_last_not_of(" \t\r\n");
      download->etag = first == std::string::npos ? "" : value.substr(first, last - first + 1);
    }
  }
  return size * count;
}

std::string seconds_text(std::chrono::milliseconds duration) {
  char text[32];
  if (duration.count() % 1000 == 0) {
    std::snprintf(text, sizeof text, "%lld s", static_cast<long long>(duration.count() / 1000));
  } else {
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(duration.count()) / 1000);
  }
  return text;
}

std::string describe_failure(CURLcode code, const std::string& url, const char* detail,
                             const Download& download, const FetchOptions& options) {
  if (download.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return url + " is larger than the limit of " + std::to_string(options.max_bytes) + " bytes";
  }
  if (download.write_failed) return "cannot write the download of " + url;
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return "timed out after " + seconds_text(options.total_timeout) + " fetching " + url;
  }
  if (code == CURLE_TOO_MANY_REDIRECTS) {
    return "more than " + std::to_string(options.max_redirects) + " redirects from " + url;
  }
  if (code == CURLE_UNSUPPORTED_PROTOCOL)
    return "unsupported protocol in " + url + " (http and https only)";
  std::string reason = detail[0] ? detail : curl_easy_strerror(code);
  return "cannot fetch " + url + ": " + reason;
}

// Failures worth another attempt: the server or the network may do better in a moment.
bool transient(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

bool transient_status(long status) { return status >= 500 || status == 429; }

// One request. Sets `retry` when the failure it throws is transient.
FetchResult fetch_once(const std::string& url, const std::filesystem::path& dest,
                       const FetchOptions& options, const FetchConditions& conditions,
                       bool& retry) {
  retry = false;
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw FetchError("cannot fetch " + url + ": curl_easy_init failed");

  std::filesystem::path partial = dest;
  partial += ".part";
  Download download;
  download.max_bytes = options.max_bytes;
  download.out = std::fopen(partial.c_str(), "wb");
  if (!download.out) {
    throw FetchError("cannot write " + partial.string() + " for " + url + ": " +
                     std::generic_category().message(errno));
  }

  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(nullptr, curl_slist_free_all);
  char error_detail[CURL_ERROR_SIZE] = "";
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(handle, CURLOPT_MAXREDIRS, options.max_redirects);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  curl_easy_setopt(handle, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // signals and threads do not mix
  curl_easy_setopt(handle, CURLOPT_FILETIME, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_detail);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &download);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &download);
  if (!conditions.etag.empty()) {
    headers.reset(curl_slist_append(nullptr, ("If-None-Match: " + conditions.etag).c_str()));
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  } else if (conditions.last_modified) {
    curl_easy_setopt(handle, CURLOPT_TIMECONDITION, static_cast<long>(CURL_TIMECOND_IFMODSINCE));
    curl_easy_setopt(handle, CURLOPT_TIMEVALUE_LARGE,
                     static_cast<curl_off_t>(*conditions.last_modified));
  }

  CURLcode code = curl_easy_perform(handle);
  bool closed = std::fclose(download.out) == 0;
  auto discard = [&] {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
  };
  if (code != CURLE_OK) {
    discard();
    retry = transient(code) && !download.too_large && !download.write_failed;
    throw FetchError(describe_failure(code, url, error_detail, download, options));
  }
  if (!closed) {
    discard();
    throw FetchError("cannot write the download of " + url);
  }

  FetchResult result;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result.http_status);
  if (result.http_status >= 400) {
    discard();
    retry = transient_status(result.http_status);
    throw FetchError("HTTP " + std::to_string(result.http_status) + " from " + url);
  }
  char* final_url = nullptr;
  if (curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &final_url) == CURLE_OK && final_url) {
    result.final_url = final_url;
  }
  long condition_unmet = 0;
  curl_easy_getinfo(handle, CURLINFO_CONDITION_UNMET, &condition_unmet);
  if (result.http_status == 304 || condition_unmet) {
    discard();
    result.not_modified = true;
    result.etag = download.etag.empty() ? conditions.etag : download.etag;
    result.last_modified = conditions.last_modified;
    return result;
  }
  char* content_type = nullptr;
  if (curl_easy_getinfo(handle, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type) {
    result.content_type = content_type;
  }
  curl_off_t file_time = -1;
  if (curl_easy_getinfo(handle, CURLINFO_FILETIME_T, &file_time) == CURLE_OK && file_time >= 0) {
    result.last_modified = file_time;
  }
  result.size = download.written;
  result.etag = download.etag;
  result.mime = sniff_mime(partial, result.content_type);

  std::error_code error;
  std::filesystem::rename(partial, dest, error);
  if (error) {
    discard();
    throw FetchError("cannot store the download of " + url + " as " + dest.string() + ": " +
                     error.message());
  }
  return result;
}

}  // namespace

FetchResult fetch_to_file(const std::string& url, const std::filesystem::path& dest,
                          const FetchOptions& options, const FetchConditions& conditions) {
  init_curl_once();
  const int attempts = std::max(1, options.attempts);
  std::chrono::milliseconds delay = options.retry_delay;
  for (int attempt = 1;; ++attempt) {
    bool retry = false;
    try {
      FetchResult result = fetch_once(url, dest, options, conditions, retry);
      result.attempts = attempt;
      return result;
    } catch (const FetchError& error) {
      if (!retry || attempt >= attempts) {
        if (attempt == 1) throw;
        throw FetchError(std::string(error.what()) + " (" + std::to_string(attempt) + " attempts)");
      }
    }
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
}

std::string sniff_mime(const std::filesystem::path& file, const std::string& content_type) {
  std::string head(1024, '\0');
  if (std::FILE* in = std::fopen(file.c_str(), "rb")) {
    head.resize(std::fread(head.data(), 1, head.size(), in));
    std::fclose(in);
  } else {
    head.clear();
  }
  if (head.find("%PDF-") != std::string::npos) return "application/pdf";
  std::string type = content_type.substr(0, content_type.find(';'));
  const auto first = type.find_first_not_of(" \t");
  const auto last = type.find_last_not_of(" \t");
  type = first == std::string::npos ? std::string() : type.substr(first, last - first + 1);
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

std::string extension_for_mime(const std::string& mime) {
  static const std::pair<const char*, const char*> kExtensions[] = {
      {"application/pdf", ".pdf"}, {"audio/mpeg", ".mp3"},       {"audio/mp3", ".mp3"},
      {"audio/ogg", ".ogg"},       {"audio/opus", ".opus"},      {"audio/mp4", ".m4a"},
      {"audio/x-m4a", ".m4a"},     {"audio/wav", ".wav"},        {"audio/x-wav", ".wav"},
      {"audio/flac", ".flac"},     {"audio/x-flac", ".flac"},    {"video/mp4", ".mp4"},
      {"video/x-m4v", ".m4v"},     {"video/x-matroska", ".mkv"}, {"video/webm", ".webm"},
      {"video/x-msvideo", ".avi"}, {"video/quicktime", ".mov"},
  };
  for (const auto& [type, extension] : kExtensions)
    if (mime == type) return extension;
  return {};
}

}  // namespace mediateka::media
