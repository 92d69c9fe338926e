#include "fetch.h"

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <system_error>

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

std::string describe_failure(CURLcode code, const std::string& url, const char* detail,
                             const Download& download, const FetchOptions& options) {
  if (download.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return url + " is larger than the limit of " + std::to_string(options.max_bytes) + " bytes";
  }
  if (download.write_failed) return "cannot write the download of " + url;
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return "timed out after " + std::to_string(options.total_timeout.count()) + " s fetching " +
           url;
  }
  if (code == CURLE_TOO_MANY_REDIRECTS) {
    return "more than " + std::to_string(options.max_redirects) + " redirects from " + url;
  }
  if (code == CURLE_UNSUPPORTED_PROTOCOL)
    return "unsupported protocol in " + url + " (http and https only)";
  std::string reason = detail[0] ? detail : curl_easy_strerror(code);
  return "cannot fetch " + url + ": " + reason;
}

}  // namespace

FetchResult fetch_to_file(const std::string& url, const std::filesystem::path& dest,
                          const FetchOptions& options) {
  init_curl_once();
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

  char error_detail[CURL_ERROR_SIZE] = "";
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(handle, CURLOPT_MAXREDIRS, options.max_redirects);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT,
                   static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(options.total_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  curl_easy_setopt(handle, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // signals and threads do not mix
  curl_easy_setopt(handle, CURLOPT_FILETIME, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_detail);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &download);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &download);

  CURLcode code = curl_easy_perform(handle);
  bool closed = std::fclose(download.out) == 0;
  auto discard = [&] {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
  };
  if (code != CURLE_OK) {
    discard();
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
    throw FetchError("HTTP " + std::to_string(result.http_status) + " from " + url);
  }
  char* final_url = nullptr;
  if (curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &final_url) == CURLE_OK && final_url) {
    result.final_url = final_url;
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

  std::error_code error;
  std::filesystem::rename(partial, dest, error);
  if (error) {
    discard();
    throw FetchError("cannot store the download of " + url + " as " + dest.string() + ": " +
                     error.message());
  }
  return result;
}

}  // namespace mediateka::media
