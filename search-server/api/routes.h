// The HTTP API of docs/api.md: the route table, its handlers and the
// dispatcher that turns every error into the contract's JSON. Independent of
// Pistache, so it can be tested without sockets.
//
// Every handler has the same shape: parse the parameters, call the Searcher,
// render JSON. Handlers throw ApiError or QueryError for the client's mistakes;
// handle_request() maps exceptions to statuses.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "desk/uploaded_form.h"
#include "server_types.h"

namespace mediateka::server {

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
