#include "desk/queries_api.h"

#include <nlohmann/json.hpp>

#include "api/api_error.h"
#include "api/api_json.h"
#include "api/routes.h"
#include "desk/query_log.h"

namespace mediateka::server {

namespace {

int whole_number(const ApiRequest& request, const char* name, int minimum, int maximum,
                 int fallback) {
  const auto text = request.query.single(name);
  if (!text) return fallback;
  const bool digits = !text->empty() && text->size() <= 9 &&
                      text->find_first_not_of("0123456789") == std::string::npos;
  const int value = digits ? std::stoi(*text) : -1;
  if (value < minimum || value > maximum)
    throw bad_parameter(std::string(name) + " must be a whole number " + std::to_string(minimum) +
                        ".." + std::to_string(maximum) + ", got '" + text->substr(0, 40) + "'");
  return value;
}

}  // namespace

Response get_admin_queries(const ApiRequest& request, ServerContext& context) {
  if (request.token_id.empty()) {
    Response refused = json_error(401, "unauthorized", "this route needs a librarian's token");
    refused.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"mediateka\"");
    return refused;
  }
  if (!request.librarian)
    return json_error(403, "forbidden",
                      "this route is for librarians; a reader's token is not enough");
  const int days = whole_number(request, "days", 1, QueryLogLimits{}.days_kept, 30);
  const int limit = whole_number(request, "limit", 1, 1000, 100);
  const auto zero = request.query.single("zero");
  if (zero && *zero != "0" && *zero != "1")
    throw bad_parameter("zero must be 1 or 0, got '" + zero->substr(0, 40) + "'");
  const bool zero_only = zero && *zero == "1";
  nlohmann::json body = nlohmann::json::array();
  if (!context.queries) return Response{200, kJsonContentType, to_body(body), {}};  // none kept
  for (const QueryCount& query :
       context.queries->top(days, zero_only, static_cast<std::size_t>(limit)))
    body.push_back({{"q", query.q}, {"count", query.count}, {"zero", query.zero}});
  return Response{200, kJsonContentType, to_body(body), {}};
}

void count_search(const ApiRequest& request, ServerContext& context, const SearchRequest& search,
                  const SearchResult& result) {
  if (!context.queries || request.head || search.page != 1) return;
  // Token holders (readers and librarians) are not counted.
  if (!request.token_id.empty() || request.librarian || !request.audience.anonymous()) return;
  context.queries->record(search.q, result.total == 0 && result.missing_shards.empty());
}

}  // namespace mediateka::server
