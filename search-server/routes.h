// The HTTP API of docs/api.md: the route table, its handlers and the
// dispatcher that turns every error into the contract's JSON. Independent of
// Pistache, so it can be tested without sockets.
//
// Every handler has the same shape: parse the parameters, call the Searcher,
// render JSON. Handlers throw ApiError or QueryError for the client's mistakes;
// handle_request() maps exceptions to statuses.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access.h"
#include "config.h"
#include "desk/uploaded_form.h"
#include "index_readers.h"
#include "media_settings.h"
#include "oai_settings.h"
#include "query_string.h"
#include "request_metrics.h"

namespace mediateka::server {

inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

struct FileBody;  // file_stream.h

struct Response {
  Response() = default;
  Response(int status, std::string content_type, std::string body,
           std::vector<std::pair<std::string, std::string>> headers = {})
      : status(status),
        content_type(std::move(content_type)),
        body(std::move(body)),
        headers(std::move(headers)) {}

  int status = 200;
  std::string content_type = kJsonContentType;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is this byte range of an open file, streamed by the HTTP
  // layer in chunks (file_stream.h), and `body` is ignored.
  std::shared_ptr<FileBody> file;
};

// The request headers handlers read (Range, conditionals), names lower-cased.
using RequestHeaders = std::map<std::string, std::string>;

struct ApiRequest {
  std::string path;
  std::map<std::string, std::string> path_parameters;  // ":id" in "/api/items/:id" → "id"
  QueryParameters query;
  RequestHeaders headers;
  bool head = false;   // HEAD: answered by the GET route; the HTTP layer drops the body
  std::string body;    // of a POST (the login form)
  std::string client;  // the peer's address, for slowing down wrong tokens
  // Who asks (authorization.h): every Searcher call of a handler passes it on.
  Audience audience;
  // The token's id and label (empty when anonymous), whether it is a librarian's, and whether
  // it came in the session cookie (then a state-changing desk request needs the CSRF token).
  std::string token_id;
  std::string token_label;
  bool librarian = false;
  bool from_cookie = false;
  // A streamed upload to the desk (desk/upload_gate.h): its text fields and its files, already
  // in the incoming folder (desk/uploaded_form.h); null for every other request. A handler keeps
  // a file by renaming it (UploadedForm::take); the rest go with the form.
  std::shared_ptr<UploadedForm> form;
};

class Authorizer;  // authorization.h
class Desk;        // desk/desk.h
class QueryLog;    // desk/query_log.h

struct ServerContext {
  IndexReaders& index;
  RequestMetrics& metrics;
  std::string thumbs_dir;  // covers, <thumbs_dir>/<id>.png (config.h, thumbs_dir())
  Authorizer& authorizer;
  OaiSettings oai;              // [oai] (oai_settings.h)
  SiteSettings site;            // [site]: the centre's name and facts on the pages
  std::string page_images_dir;  // rendered PDF pages (page_images.h); "" = none cached
  std::size_t page_images_bytes = 256u << 20;  // the most that folder holds
  OcrSettings
      ocr;  // [ocr] (media/media_settings.h): how scans are read for the words page images mark
  // The librarian's desk; null when the server does not write its index (desk.enabled off, a
  // replica, shards): /api/admin/* and /biblioteka then answer 503.
  Desk* desk = nullptr;
  // What visitors searched (desk/query_log.h); null: not kept.
  QueryLog* queries = nullptr;
};

using Handler = Response (*)(const ApiRequest&, ServerContext&);

struct Route {
  const char* method;
  const char* pattern;  // segments starting with ':' capture one path segment
  Handler handler;
};

const std::vector<Route>& api_routes();

Response get_search(const ApiRequest& request, ServerContext& context);
Response get_item(const ApiRequest& request, ServerContext& context);
Response get_facets(const ApiRequest& request, ServerContext& context);
Response get_suggest(const ApiRequest& request, ServerContext& context);
Response get_healthz(const ApiRequest& request, ServerContext& context);
Response get_metrics(const ApiRequest& request, ServerContext& context);

// Answers one request given its method and raw request target ("/api/search?q=a%20b").
// HEAD is answered by the GET route of the path. Never throws; records the request in
// context.metrics.
// A request with an access token (Authorization: Bearer, or the session cookie) is answered
// for the token's groups, with "Cache-Control: private, no-store"; a wrong, expired or revoked
// token gets 401 (429 after repeated failures from `client`).
// `form`: the parsed body of an upload the HTTP layer streamed (desk/upload_gate.h), handed to
// the handler as ApiRequest::form.
Response handle_request(std::string_view method, std::string_view target, ServerContext& context,
                        const RequestHeaders& headers = {}, std::string body = {},
                        std::string client = {}, std::shared_ptr<UploadedForm> form = nullptr);

Response json_error(int status, const std::string& code, const std::string& message);

}  // namespace mediateka::server
