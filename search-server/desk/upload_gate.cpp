#include "desk/upload_gate.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

#include "api/routes.h"
#include "authorization.h"
#include "desk/desk.h"
#include "pages/pages.h"

namespace mediateka::server {

namespace {

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

bool matches(std::string_view pattern, std::string_view path) {
  for (;;) {
    const std::size_t pattern_end = std::min(pattern.find('/', 1), pattern.size());
    const std::size_t path_end = std::min(path.find('/', 1), path.size());
    const std::string_view wanted = pattern.substr(0, pattern_end);
    const std::string_view given = path.substr(0, path_end);
    if (wanted.size() > 1 && wanted[1] == ':') {
      if (given.size() <= 1) return false;  // an empty segment
    } else if (wanted != given) {
      return false;
    }
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
    if (pattern.empty() || path.empty()) return pattern.empty() && path.empty();
  }
}

std::string header_of(const RequestHeaders& headers, const char* name) {
  const auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

Response refusal(std::string_view target, const RequestHeaders& headers, int status,
                 const std::string& code, const std::string& message) {
  const std::string_view path = path_of(target);
  if (path.substr(0, 11) == "/biblioteka" || is_page_target(target, headers))
    return page_error(status, code, message);
  return json_error(status, code, message);
}

UploadDecision refused(Response response) { return {std::move(response), nullptr}; }

}  // namespace

bool is_upload_path(std::string_view path) {
  for (const char* route : kUploadRoutes)
    if (matches(route, path)) return true;
  return false;
}

bool is_upload_request(std::string_view method, std::string_view target,
                       std::string_view content_type) {
  return method == "POST" && is_multipart_form_data(content_type) &&
         is_upload_path(path_of(target));
}

UploadSink::UploadSink(std::string boundary, std::string incoming_dir, MultipartLimits limits)
    : parser_(std::move(boundary), std::move(incoming_dir), limits) {}

std::optional<FramingError> UploadSink::write(std::string_view bytes) {
  if (parser_.feed(bytes)) return std::nullopt;
  const MultipartError& error = *parser_.error();
  return FramingError{error.status, error.code, error.message};
}

std::optional<FramingError> UploadSink::finish() {
  if (parser_.finish()) return std::nullopt;
  const MultipartError& error = *parser_.error();
  return FramingError{error.status, error.code, error.message};
}

UploadDecision open_upload(ServerContext& context, std::string_view target,
                           const RequestHeaders& headers,
                           std::optional<std::uint64_t> content_length, const std::string& client,
                           bool draining) {
  if (draining) {
    Response response =
        refusal(target, headers, 503, "shutting_down", "the server is shutting down");
    response.headers.emplace_back("Retry-After", "5");
    return refused(std::move(response));
  }
  const Authorization found = context.authorizer.authorize(header_of(headers, "authorization"),
                                                           header_of(headers, "cookie"), client,
                                                           context.index.generation());
  switch (found.outcome) {
    case Authorization::Outcome::throttled: {
      Response response = refusal(target, headers, 429, "too_many_attempts",
                                  "too many wrong tokens from this address; wait " +
                                      std::to_string(found.retry_after) + " s");
      response.headers.emplace_back("Retry-After", std::to_string(found.retry_after));
      return refused(std::move(response));
    }
    case Authorization::Outcome::refused:
    case Authorization::Outcome::anonymous: {
      const bool wrong = found.outcome == Authorization::Outcome::refused;
      Response response = refusal(target, headers, 401, "unauthorized",
                                  wrong ? "the access token is wrong, expired or revoked"
                                        : "uploads to the desk need a librarian's token");
      response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"mediateka\"");
      if (wrong && found.from_cookie)
        response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                                        "=; Path=/; HttpOnly; SameSite=Strict; "
                                                        "Max-Age=0");
      return refused(std::move(response));
    }
    case Authorization::Outcome::authorised:
      break;
  }
  if (!found.librarian)
    return refused(refusal(target, headers, 403, "forbidden",
                           "uploads to the desk need a librarian's token, not a reader's"));
  if (!context.desk)
    return refused(refusal(target, headers, 503, "desk_disabled",
                           "the librarian's desk is disabled on this server"));
  if (!content_length)
    return refused(refusal(target, headers, 411, "length_required",
                           "an upload must declare its size with Content-Length"));
  const std::uint64_t max_upload_mb =
      static_cast<std::uint64_t>(std::max(context.desk->config().desk.max_upload_mb, 0));
  if (*content_length > (max_upload_mb << 20))
    return refused(refusal(
        target, headers, 413, "request_too_large",
        "the upload exceeds " + std::to_string(max_upload_mb) + " MB ([desk] max_upload_mb)"));
  BoundaryOrError boundary = multipart_boundary(header_of(headers, "content-type"));
  if (boundary.error)
    return refused(refusal(target, headers, boundary.error->status, boundary.error->code,
                           boundary.error->message));
  const std::string incoming_dir = context.desk->incoming_dir().string();
  std::error_code error;
  std::filesystem::create_directories(incoming_dir, error);
  if (error) {
    spdlog::error("cannot make the desk's incoming folder {}: {}", incoming_dir, error.message());
    return refused(refusal(target, headers, 500, "upload_failed",
                           "the server cannot store uploads; the fault is logged"));
  }
  spdlog::info("token {} uploads {} bytes to {}", found.token_id, *content_length,
               path_of(target).substr(0, 200));
  return {std::nullopt, std::make_shared<UploadSink>(std::move(boundary.boundary), incoming_dir)};
}

std::size_t clear_incoming(const std::string& incoming_dir) {
  std::size_t removed = 0;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(incoming_dir, error)) {
    std::error_code ignored;
    if (entry.is_regular_file(ignored) && std::filesystem::remove(entry.path(), ignored)) ++removed;
  }
  return removed;
}

}  // namespace mediateka::server
