#include "api/file_responses.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <vector>

#include "api/api_error.h"
#include "api/routes.h"
#include "archive/item.h"
#include "archive/text/slug.h"
#include "http/file_stream.h"
#include "http/http_validators.h"

namespace mediateka::server {

namespace fs = std::filesystem;

namespace {

// Files and covers of public items may be kept by shared caches, but only briefly: an item made
// restricted (or replaced on a new import, with the same id) must leave them soon, so after a
// minute a cache asks again (If-None-Match, a 304 while nothing changed) and is answered 404
// once the item is hidden (docs/access.md, "Caching").
constexpr const char* kFileCacheControl = "public, max-age=60, must-revalidate";
constexpr const char* kThumbCacheControl = "public, max-age=60, must-revalidate";
constexpr const char* kOctetStream = "application/octet-stream";

// The stored MIME type if it is a plain "type/subtype[; params]" in printable ASCII.
std::string safe_mime(const std::string& mime) {
  if (mime.empty() || mime.size() > 200 || mime.find('/') == std::string::npos) {
    return kOctetStream;
  }
  for (unsigned char c : mime) {
    if (c < 0x20 || c >= 0x7f) return kOctetStream;
  }
  return mime;
}

// Hex digits and letters of the checksum only, so the ETag needs no escaping.
std::string etag_of(const std::string& checksum, const struct stat& status) {
  std::string tag = "\"";
  for (char c : checksum) {
    if (std::isalnum(static_cast<unsigned char>(c)) && tag.size() < 33) tag += c;
  }
  char suffix[64];
  std::snprintf(suffix, sizeof suffix, "-%llx-%llx%09ld\"",
                static_cast<unsigned long long>(status.st_size),
                static_cast<unsigned long long>(status.st_mtim.tv_sec),
                static_cast<long>(status.st_mtim.tv_nsec));
  return tag + suffix;
}

// An RFC 5987 filename for Content-Disposition: the last path segment, percent-encoded.
std::string disposition_filename(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  std::string encoded;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded += static_cast<char>(c);
    } else {
      char escape[4];
      std::snprintf(escape, sizeof escape, "%%%02X", c);
      encoded += escape;
    }
  }
  return encoded;
}

// Types a browser would run as a page of this site are offered as downloads instead.
bool active_content(const std::string& mime) {
  for (const char* risky : {"html", "xml", "javascript", "ecmascript"}) {
    if (mime.find(risky) != std::string::npos) return true;
  }
  return false;
}

struct OpenFile {
  int fd = -1;
  struct stat status {};
};

void close_quietly(int fd) {
  if (fd >= 0) ::close(fd);
}

// Opens `path` read-only without blocking (FIFOs) and without following a final symbolic link;
// only regular files. Returns nullopt and says why in `reason`.
std::optional<OpenFile> open_regular_file(const std::string& path, std::string& reason) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    reason = errno == ELOOP ? "is a symbolic link"
                            : std::string("cannot be opened: ") + std::strerror(errno);
    return std::nullopt;
  }
  OpenFile file;
  file.fd = fd;
  if (::fstat(fd, &file.status) != 0 || !S_ISREG(file.status.st_mode)) {
    close_quietly(fd);
    reason = "is not a regular file";
    return std::nullopt;
  }
  return file;
}

// The item's recorded file, if it is still exactly there (see the header's rule).
std::optional<OpenFile> open_stored_file(const std::string& stored, std::string& reason) {
  const fs::path recorded(stored);
  if (stored.empty() || !recorded.is_absolute() || recorded.lexically_normal() != recorded) {
    reason = "is not an absolute, normalised path";
    return std::nullopt;
  }
  auto file = open_regular_file(stored, reason);
  if (!file) return std::nullopt;
  // What the kernel actually opened: a folder on the way replaced by a link shows here.
  std::error_code error;
  fs::path opened = fs::read_symlink("/proc/self/fd/" + std::to_string(file->fd), error);
  if (error) opened = fs::canonical(recorded, error);
  if (error || opened != recorded) {
    close_quietly(file->fd);
    reason = "resolves elsewhere (a symbolic link on the way)";
    return std::nullopt;
  }
  return file;
}

// The answer for an open file once the handler has decided what it is.
Response file_response(const ApiRequest& request, OpenFile file, std::string content_type,
                       const std::string& etag, const char* cache_control,
                       std::vector<std::pair<std::string, std::string>> extra_headers) {
  auto body_fd = std::make_shared<FileBody>(file.fd, 0, 0);  // owns the descriptor from here
  const std::int64_t size = file.status.st_size;
  const std::time_t modified = file.status.st_mtim.tv_sec;

  Response response;
  response.content_type = std::move(content_type);
  response.headers = {{"Accept-Ranges", "bytes"},
                      {"ETag", etag},
                      {"Last-Modified", http_date(modified)},
                      {"Cache-Control", cache_control}};

  if (not_modified(request, etag, modified)) {
    response.status = 304;
    return response;
  }
  for (auto& extra : extra_headers) response.headers.push_back(std::move(extra));

  RangeDecision range;
  const auto range_header = request_header(request, "range");
  if (range_header && !request.head && range_still_valid(request, etag, modified)) {
    range = decide_range(*range_header, size);
  }
  if (range.kind == RangeDecision::unsatisfiable) {
    Response refused =
        json_error(416, "range_not_satisfiable",
                   "the requested range is outside the file's " + std::to_string(size) + " bytes");
    refused.headers = {{"Accept-Ranges", "bytes"},
                       {"Content-Range", "bytes */" + std::to_string(size)},
                       {"ETag", etag}};
    return refused;
  }
  if (range.kind == RangeDecision::partial) {
    response.status = 206;
    response.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                       std::to_string(range.last) + "/" +
                                                       std::to_string(size));
    body_fd->offset = range.first;
    body_fd->length = range.last - range.first + 1;
  } else {
    body_fd->length = size;
  }
  response.file = std::move(body_fd);
  return response;
}

bool is_http_url(const std::string& url) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return false;
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f) return false;  // nothing that could break the header
  }
  return true;
}

// The file or cover (`kind`: "files", "thumbs") of an item of a remote shard is served by that
// centre's own server: a redirect there, when the configuration says where it is.
std::optional<Response> remote_shard_answer(const LocatedItem& located, const std::string& kind) {
  const Item& item = located.item;
  const std::optional<RemoteItem>& remote = located.remote;
  if (!remote) return std::nullopt;
  std::string base = remote->shard.url;
  if (base.empty() || !is_http_url(base)) {
    throw not_found("the " + std::string(kind == "files" ? "file" : "cover") + " of item '" +
                    item.id + "' is kept by the archive " + remote->shard.name);
  }
  if (base.back() != '/') base += '/';
  Response redirect{
      302, "text/plain; charset=utf-8", "", {{"Location", base + kind + "/" + remote->stored_id}}};
  redirect.headers.emplace_back("Cache-Control", kFileCacheControl);
  return redirect;
}

}  // namespace

LocatedItem requested_item(const ApiRequest& request, ServerContext& context) {
  const std::string& id = request.path_parameters.at("id");
  std::optional<LocatedItem> item;
  if (is_valid_identifier(id)) item = context.index.searcher().locate_item(id, request.audience);
  if (!item && is_valid_identifier(id) && context.index.searcher().is_gone(id, request.audience))
    throw gone("item '" + id + "' was removed");
  if (!item) throw not_found("no item with id '" + id.substr(0, 120) + "'");
  return std::move(*item);
}

bool stored_file_is_intact(const std::string& stored) {
  std::string reason;
  auto file = open_stored_file(stored, reason);
  if (!file) return false;
  close_quietly(file->fd);
  return true;
}

Response get_file(const ApiRequest& request, ServerContext& context) {
  const LocatedItem located = requested_item(request, context);
  if (auto elsewhere = remote_shard_answer(located, "files")) return *elsewhere;
  const Item& item = located.item;
  if (!item.source.url.empty()) {
    if (!is_http_url(item.source.url)) throw not_found("item '" + item.id + "' has no file");
    Response redirect{302, "text/plain; charset=utf-8", "", {{"Location", item.source.url}}};
    redirect.headers.emplace_back("Cache-Control", kFileCacheControl);
    return redirect;
  }
  std::string reason;
  auto file = open_stored_file(item.source.file, reason);
  if (!file) {
    spdlog::warn("/files/{}: not served: {} {}", item.id, item.source.file, reason);
    throw not_found("the file of item '" + item.id + "' is not available");
  }
  const std::string mime = safe_mime(item.source.mime);
  const std::string name =
      disposition_filename(item.source.path.empty() ? item.source.file : item.source.path);
  std::vector<std::pair<std::string, std::string>> extra = {
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Disposition",
       std::string(active_content(mime) ? "attachment" : "inline") + "; filename*=UTF-8''" + name}};
  const std::string etag = etag_of(item.source.checksum, file->status);
  return file_response(request, *file, mime, etag, kFileCacheControl, std::move(extra));
}

std::string cover_path(const ServerContext& context, const std::string& id) {
  return context.thumbs_dir.empty() ? std::string()
                                    : (fs::path(context.thumbs_dir) / (id + ".png")).string();
}

bool has_cover(const ServerContext& context, const std::string& id) {
  const std::string path = cover_path(context, id);
  std::error_code ignored;
  return !path.empty() && fs::is_regular_file(path, ignored);
}

Response get_thumb(const ApiRequest& request, ServerContext& context) {
  const LocatedItem located = requested_item(request, context);
  if (auto elsewhere = remote_shard_answer(located, "thumbs")) return *elsewhere;
  const Item& item = located.item;
  std::string reason;
  std::optional<OpenFile> file;
  if (const std::string path = cover_path(context, item.id); !path.empty()) {
    file = open_regular_file(path, reason);
  }
  if (!file) throw not_found("item '" + item.id + "' has no cover");
  const std::string etag = etag_of("", file->status);
  return file_response(request, *file, "image/png", etag, kThumbCacheControl,
                       {{"X-Content-Type-Options", "nosniff"}});
}

}  // namespace mediateka::server
