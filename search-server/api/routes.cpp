#include "api/routes.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "api/api_error.h"
#include "api/api_json.h"
#include "api/file_responses.h"
#include "api/search_parameters.h"
#include "archive/index_error.h"
#include "archive/item.h"
#include "archive/text/slug.h"
#include "authorization.h"
#include "desk/admin_api.h"
#include "desk/desk_pages.h"
#include "desk/queries_api.h"
#include "harvest/feed.h"
#include "harvest/oai.h"
#include "harvest/sitemap.h"
#include "pages/pages.h"

namespace mediateka::server {

// clang-format off
const std::vector<Route>& api_routes() {
  static const std::vector<Route> routes = {
      {"GET", "/api/search", get_search}, {"GET", "/api/items/:id", get_item},
      {"GET", "/api/facets", get_facets}, {"GET", "/api/suggest", get_suggest},
      {"GET", "/api/openapi.json", get_openapi_json},
      {"GET", "/oai", get_oai},           {"POST", "/oai", post_oai},
      {"GET", "/healthz", get_healthz},   {"GET", "/metrics", get_metrics},
      {"GET", "/files/:id", get_file},    {"GET", "/thumbs/:id", get_thumb},
      // For search engines and feed readers (sitemap.h, feed.h): XML and text.
      {"GET", "/sitemap.xml", get_sitemap}, {"GET", "/sitemap-:number.xml", get_sitemap_page},
      {"GET", "/robots.txt", get_robots_txt}, {"GET", "/feed", get_feed},
      // Web pages (pages.h): HTML in Polish, and their errors are pages too.
      {"GET", "/",                     get_search_page},
      {"GET", "/i/:slug",              get_item_page},
      {"GET", "/i/:slug/captions.vtt", get_item_captions},
      {"GET", "/i/:slug/embed",        get_item_embed},
      {"GET", "/i/:slug/strony/:number.png", get_page_image},
      {"GET", "/dostepnosc",           get_accessibility_page},
      {"GET", "/miejsca",              get_places_page},
      {"GET", "/logowanie",            get_login_page},
      {"POST", "/logowanie",           post_login},
      {"POST", "/wyloguj",             post_logout},
      {"GET", "/static/style.css",     get_style_css},
      {"GET", "/static/app.js",        get_app_js},
      {"GET", "/static/logo",          get_logo},
      {"GET", "/favicon.ico",          get_favicon},
      // The librarian's desk (desk/admin_api.h): JSON for librarians' tokens only.
      {"POST", "/api/admin/items",             post_admin_item},
      {"GET", "/api/admin/items/:id",          get_admin_item},
      {"PATCH", "/api/admin/items/:id",        patch_admin_item},
      {"DELETE", "/api/admin/items/:id",       delete_admin_item},
      {"POST", "/api/admin/items/:id/restore", post_admin_item_restore},
      {"POST", "/api/admin/items/:id/replace", post_admin_item_replace},
      {"POST", "/api/admin/imports",           post_admin_import},
      {"GET", "/api/admin/jobs",               get_admin_jobs},
      {"GET", "/api/admin/jobs/:id",           get_admin_job},
      {"GET", "/api/admin/audit",              get_admin_audit},
      {"GET", "/api/admin/tokens",             get_admin_tokens},
      {"POST", "/api/admin/tokens",            post_admin_token},
      {"DELETE", "/api/admin/tokens/:id",      delete_admin_token},
      {"GET", "/api/admin/synonyms",           get_admin_synonyms},
      {"PUT", "/api/admin/synonyms",           put_admin_synonyms},
      // The desk's pages (desk/desk_pages.h): HTML in Polish for librarians.
      {"GET", "/biblioteka",                          get_desk_home},
      {"GET", "/biblioteka/dodaj",                    get_desk_add},
      {"POST", "/biblioteka/dodaj",                   post_desk_add},
      {"GET", "/biblioteka/import",                   get_desk_import},
      {"POST", "/biblioteka/import",                  post_desk_import},
      {"GET", "/biblioteka/zadania/:id",              get_desk_job},
      {"POST", "/biblioteka/zadania/:id/zastosuj",    post_desk_job_apply},
      {"GET", "/biblioteka/pozycje/:id",              get_desk_item},
      {"POST", "/biblioteka/pozycje/:id",             post_desk_item},
      {"POST", "/biblioteka/pozycje/:id/plik",        post_desk_item_file},
      {"GET", "/biblioteka/pozycje/:id/wycofaj",      get_desk_item_withdraw},
      {"POST", "/biblioteka/pozycje/:id/wycofaj",     post_desk_item_withdraw},
      {"POST", "/biblioteka/pozycje/:id/przywroc",    post_desk_item_restore},
      {"GET", "/biblioteka/tokeny",                   get_desk_tokens},
      {"POST", "/biblioteka/tokeny",                  post_desk_tokens},
      {"GET", "/biblioteka/tokeny/nowy/:key",         get_desk_new_token},
      {"GET", "/biblioteka/tokeny/:id/uniewaznij",    get_desk_token_revoke},
      {"POST", "/biblioteka/tokeny/:id/uniewaznij",   post_desk_token_revoke},
      {"GET", "/biblioteka/zapytania",                get_desk_queries},
      {"GET", "/biblioteka/historia",                 get_desk_history},
      {"GET", "/api/admin/queries",            get_admin_queries},
  };
  return routes;
}
// clang-format on

namespace {

Response json_ok(const nlohmann::json& body) {
  return Response{200, kJsonContentType, to_body(body), {}};
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace

Response get_search(const ApiRequest& request, ServerContext& context) {
  SearchRequest search = parse_search_request(request.query);
  search.audience = request.audience;
  const auto started = std::chrono::steady_clock::now();
  const SearchResult result = context.index.search(search);
  count_search(request, context, search, result);
  return Response{
      200, kJsonContentType, search_result_body(search, result, milliseconds_since(started)), {}};
}

Response get_item(const ApiRequest& request, ServerContext& context) {
  const LocatedItem located = requested_item(request, context);
  // Names the gazetteer does not know are a librarian's to correct, not published (item.h).
  return json_ok(
      item_to_json(located.item, request.librarian ? JsonView::librarian : JsonView::public_view));
}

Response get_facets(const ApiRequest& request, ServerContext& context) {
  // A browse's total counts the items this audience may see.
  const SearchResult all = context.index.whole_archive(request.audience);
  return Response{
      200, kJsonContentType, facets_body(all.total, all.facets, all.missing_shards), {}};
}

Response get_suggest(const ApiRequest& request, ServerContext& context) {
  const SuggestRequest suggest = parse_suggest_request(request.query);
  std::vector<std::string> suggestions;
  if (!suggest.prefix.empty()) {
    suggestions = context.index.searcher().suggest(suggest.prefix, request.audience, suggest.limit);
  }
  return json_ok({{"suggestions", suggestions}});
}

Response get_healthz(const ApiRequest& request, ServerContext& context) {
  return json_ok(
      {{"status", "ok"}, {"items", context.index.searcher().item_count(request.audience)}});
}

Response get_metrics(const ApiRequest& request, ServerContext& context) {
  std::optional<std::size_t> items;
  try {
    items = context.index.searcher().item_count(request.audience);
  } catch (const IndexError& error) {
    spdlog::warn("/metrics could not count items: {}", error.what());
  }
  return Response{
      200,
      kPrometheusContentType,
      context.metrics.render(items, context.index.generation(), context.index.search_cache_stats()),
      {}};
}

Response json_error(int status, const std::string& code, const std::string& message) {
  return Response{status, kJsonContentType, to_body(error_to_json(code, message)), {}};
}

namespace {

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;  // paths begin with '/'
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

std::optional<std::map<std::string, std::string>> match_route(std::string_view pattern,
                                                              std::string_view path) {
  const auto wanted = path_segments(pattern);
  const auto given = path_segments(path);
  if (wanted.size() != given.size()) return std::nullopt;
  std::map<std::string, std::string> captured;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    // A capture is the segment, or its middle between fixed text: "sitemap-:number.xml".
    const std::size_t colon = wanted[i].find(':');
    if (colon != std::string_view::npos) {
      const std::size_t name_end = std::min(wanted[i].find('.', colon), wanted[i].size());
      const std::string_view before = wanted[i].substr(0, colon),
                             after = wanted[i].substr(name_end);
      if (given[i].size() <= before.size() + after.size() ||
          given[i].substr(0, before.size()) != before ||
          given[i].substr(given[i].size() - after.size()) != after)
        return std::nullopt;
      auto value = percent_decode(
          given[i].substr(before.size(), given[i].size() - before.size() - after.size()));
      if (!value) return std::nullopt;
      captured.emplace(std::string(wanted[i].substr(colon + 1, name_end - colon - 1)),
                       std::move(*value));
    } else if (wanted[i] != given[i]) {
      return std::nullopt;
    }
  }
  return captured;
}

std::string shortened(std::string_view text) {
  return text.size() <= 200 ? std::string(text) : std::string(text.substr(0, 200)) + "...";
}

// The contract's JSON, except for the web pages (and any path but /api/* a browser asks for),
// whose visitors get a page in Polish.
Response error_response(std::string_view target, const RequestHeaders& headers, int status,
                        const std::string& code, const std::string& message) {
  if (is_page_target(target, headers)) return page_error(status, code, message);
  return json_error(status, code, message);
}

std::string header_of(const RequestHeaders& headers, const char* name) {
  const auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

// Whose request this is; a refused or throttled token ends it here, before any handler.
std::optional<Response> authorise(std::string_view target, const RequestHeaders& headers,
                                  const std::string& client, ServerContext& context,
                                  Authorization& found) {
  found = context.authorizer.authorize(header_of(headers, "authorization"),
                                       header_of(headers, "cookie"), client,
                                       context.index.generation());
  if (found.outcome == Authorization::Outcome::throttled) {
    Response response = error_response(target, headers, 429, "too_many_attempts",
                                       "too many wrong tokens from this address; wait " +
                                           std::to_string(found.retry_after) + " s");
    response.headers.emplace_back("Retry-After", std::to_string(found.retry_after));
    return response;
  }
  if (found.outcome == Authorization::Outcome::refused) {
    Response response = error_response(target, headers, 401, "unauthorized",
                                       "the access token is wrong, expired or revoked");
    response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"mediateka\"");
    // A session whose token no longer holds ends, so the visitor is simply anonymous again.
    if (found.from_cookie)
      response.headers.emplace_back("Set-Cookie", std::string(kSessionCookie) +
                                                      "=; Path=/; HttpOnly; SameSite=Strict; "
                                                      "Max-Age=0");
    return response;
  }
  return std::nullopt;
}

// Responses for a token holder may hold restricted data: no cache may keep or share them.
void keep_private(Response& response) {
  auto& headers = response.headers;
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [](const auto& header) { return header.first == "Cache-Control"; }),
                headers.end());
  headers.emplace_back("Cache-Control", "private, no-store");
}

Response answer(std::string_view method, std::string_view target, ServerContext& context,
                const RequestHeaders& headers, std::string body, const std::string& client,
                std::shared_ptr<UploadedForm> form, std::string& route_label) {
  PageScope page_scope(&context.site);  // the pages' header and footer (pages.h)
  try {
    const std::size_t query_start = target.find('?');
    const std::string_view path = target.substr(0, query_start);
    const std::string_view query_string =
        query_start == std::string_view::npos ? std::string_view() : target.substr(query_start + 1);

    // HEAD is answered by the GET route, without the body (the HTTP layer drops it).
    const bool head = method == "HEAD";
    const std::string_view routed_method = head ? std::string_view("GET") : method;
    const Route* path_match = nullptr;
    std::map<std::string, std::string> path_parameters;
    for (const Route& route : api_routes()) {
      if (auto captured = match_route(route.pattern, path)) {
        path_match = &route;
        path_parameters = std::move(*captured);
        if (routed_method == route.method) break;
      }
    }
    if (!path_match) throw not_found("no such resource: " + shortened(path));
    route_label = path_match->pattern;
    if (routed_method != path_match->method) {
      Response response =
          json_error(405, "method_not_allowed",
                     std::string(path_match->pattern) + " answers only " + path_match->method);
      response.headers.emplace_back("Allow", path_match->method);
      return response;
    }

    Authorization found;
    if (auto refused = authorise(target, headers, client, context, found)) return *refused;
    if (found.outcome == Authorization::Outcome::authorised)
      page_scope.set_viewer({true, found.audience.all, found.label, found.audience.groups});
    ApiRequest request;
    request.path = std::string(path);
    request.path_parameters = std::move(path_parameters);
    request.query = QueryParameters::parse(query_string);
    request.headers = headers;
    request.head = head;
    request.body = std::move(body);
    request.client = client;
    request.audience = found.audience;
    request.token_id = found.token_id;
    request.token_label = found.label;
    request.librarian = found.librarian;
    request.from_cookie = found.from_cookie;
    request.form = std::move(form);
    if (found.outcome != Authorization::Outcome::authorised)
      return path_match->handler(request, context);
    spdlog::info("token {} {} {}", found.token_id, method, shortened(path));
    Response response = path_match->handler(request, context);
    keep_private(response);
    route_label.clear();  // token holders' traffic is not counted (docs/access.md)
    return response;
  } catch (const ApiError& error) {
    return error_response(target, headers, error.status, error.code, error.what());
  } catch (const QueryError& error) {
    return error_response(target, headers, 400, error.code, error.what());
  } catch (const IndexUnavailable& error) {
    spdlog::error("{} {}: cannot open the index: {}", method, shortened(target), error.what());
    return error_response(target, headers, 503, "index_unavailable",
                          "the index cannot be opened; try again later");
  } catch (const std::exception& error) {
    spdlog::error("{} {}: {}", method, shortened(target), error.what());
  } catch (...) {
    spdlog::error("{} {}: unknown exception", method, shortened(target));
  }
  return error_response(target, headers, 500, "internal_error",
                        "the server failed to answer; the fault is logged");
}

}  // namespace

Response handle_request(std::string_view method, std::string_view target, ServerContext& context,
                        const RequestHeaders& headers, std::string body, std::string client,
                        std::shared_ptr<UploadedForm> form) {
  const auto started = std::chrono::steady_clock::now();
  std::string route_label = "unmatched";
  Response response = answer(method, target, context, headers, std::move(body), client,
                             std::move(form), route_label);
  // What a response holds depends on who asks: a shared cache must not hand one visitor's
  // answer to another.
  response.headers.emplace_back("Vary", "Authorization, Cookie");
  if (!route_label.empty())
    context.metrics.record(route_label, response.status, milliseconds_since(started) / 1000.0);
  return response;
}

}  // namespace mediateka::server
