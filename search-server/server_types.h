// What every part of the server shares: the request a handler gets (ApiRequest), the response
// it gives (Response), and the server's state it may use (ServerContext). Plain types, apart
// from the route table (api/routes.h) and the pages, feeds and harvesters that answer with them.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "archive/access/access.h"
#include "archive/config.h"
#include "desk/uploaded_form.h"
#include "harvest/oai_settings.h"
#include "http/query_string.h"
#include "http/request_metrics.h"
#include "index_readers.h"
#include "media_settings.h"

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

}  // namespace mediateka::server
