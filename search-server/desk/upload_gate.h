// The upload gate of the librarian's desk: which requests are uploads, and whether one is taken,
// decided on its head alone, before a single byte of its body is read or stored.
//
// An upload is a POST with Content-Type multipart/form-data to one of the desk's upload routes
// (kUploadRoutes). The HTTP layer (http_handler.cpp) asks the gate as soon as the request framer
// has such a head; a refusal is answered at once and the connection closes; an admitted upload's
// body is streamed through a MultipartParser (multipart.h) into the incoming folder as it arrives,
// and the handler gets the parsed form as ApiRequest::form (routes.h). Every other request keeps
// the framer's limits (request_framing.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "desk/multipart.h"
#include "http/request_framing.h"
#include "server_types.h"

namespace mediateka::server {

// The routes that take uploads (':id' is any one path segment).
inline constexpr const char* kUploadRoutes[] = {
    "/api/admin/items",  "/api/admin/imports", "/api/admin/items/:id/replace",
    "/biblioteka/dodaj", "/biblioteka/import", "/biblioteka/pozycje/:id/plik",
};

// True for "/api/admin/items" and the other kUploadRoutes (the path of a target, no query).
bool is_upload_path(std::string_view path);
// True when the request is an upload: POST, multipart/form-data, an upload route. The framer's
// StreamedRequestTest.
bool is_upload_request(std::string_view method, std::string_view target,
                       std::string_view content_type);

// Streams an admitted upload's body through its MultipartParser into the incoming folder.
class UploadSink : public BodySink {
 public:
  UploadSink(std::string boundary, std::string incoming_dir, MultipartLimits limits = {});
  std::optional<FramingError> write(std::string_view bytes) override;
  std::optional<FramingError> finish() override;
  // The form, once finish() succeeded; null otherwise.
  std::shared_ptr<UploadedForm> take_form() { return parser_.take_form(); }

 private:
  MultipartParser parser_;
};

// The gate's answer: a refusal to send, or the sink to stream the body to.
struct UploadDecision {
  std::optional<Response> refusal;
  std::shared_ptr<UploadSink> sink;
};

// Decides on an upload from its target, its headers (names lower-cased: authorization, cookie,
// content-type, accept) and its declared Content-Length, for `client` (the address wrong tokens
// are counted against). Refusals, in this order: 429/401 as for every request with a token (a
// wrong, expired or revoked one; 401 too without any), 403 for a token that is not a librarian's,
// 503 when the server has no desk (context.desk null: [desk] enabled off, shards, a replica) or is
// draining, 411 without Content-Length, 413 above [desk] max_upload_mb, 415/400 when the
// Content-Type is not multipart/form-data with a usable boundary, 500 when the incoming folder
// cannot be made. Pages' routes (/biblioteka/...) get the refusal as a Polish page, the API's as
// JSON.
UploadDecision open_upload(ServerContext& context, std::string_view target,
                           const RequestHeaders& headers,
                           std::optional<std::uint64_t> content_length, const std::string& client,
                           bool draining = false);

// Removes what interrupted uploads of an earlier run left in the incoming folder (a server killed
// mid-upload); the number of files removed. Called once at start, before any upload.
std::size_t clear_incoming(const std::string& incoming_dir);

}  // namespace mediateka::server
