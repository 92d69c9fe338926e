#include "routes.h"

#include <xapian.h>

#include <chrono>
#include <iostream>
#include <optional>

#include "api_error.h"
#include "api_json.h"
#include "file_responses.h"
#include "item.h"
#include "pages.h"
#include "search_parameters.h"
#include "slug.h"

namespace mediateka::server {

// clang-format off
const std::vector<Route>& api_routes() {
  static const std::vector<Route> routes = {
      {"GET", "/api/search", get_search}, {"GET", "/api/items/:id", get_item},
      {"GET", "/api/facets", get_facets}, {"GET", "/api/suggest", get_suggest},
      {"GET", "/api/openapi.json", get_openapi_json},
      {"GET", "/healthz", get_healthz},   {"GET", "/metrics", get_metrics},
      {"GET", "/files/:id", get_file},    {"GET", "/thumbs/:id", get_thumb},
      // Web pages (pages.h): HTML in Polish, and their errors are pages too.
      {"GET", "/",                     get_search_page},
      {"GET", "/i/:slug",              get_item_page},
      {"GET", "/i/:slug/captions.vtt", get_item_captions},
      {"GET", "/dostepnosc",           get_accessibility_page},
      {"GET", "/static/style.css",     get_style_css},
      {"GET", "/static/app.js",        get_app_js},
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
  const SearchRequest search = parse_search_request(request.query);
  Searcher& searcher = context.index.searcher();
  const auto started = std::chrono::steady_clock::now();
  const SearchResult result = searcher.search(search);
  return Response{
      200, kJsonContentType, search_result_body(search, result, milliseconds_since(started)), {}};
}

Response get_item(const ApiRequest& request, ServerContext& context) {
  const std::string& id = request.path_parameters.at("id");
  std::optional<Item> item;
  if (is_valid_identifier(id)) item = context.index.searcher().item_by_id(id);
  if (!item) throw not_found("no item with id '" + id.substr(0, 120) + "'");
  return json_ok(item_to_json(*item));
}

Response get_facets(const ApiRequest&, ServerContext& context) {
  Searcher& searcher = context.index.searcher();
  return Response{200, kJsonContentType, facets_body(searcher.item_count(), searcher.facets()), {}};
}

Response get_suggest(const ApiRequest& request, ServerContext& context) {
  const SuggestRequest suggest = parse_suggest_request(request.query);
  std::vector<std::string> suggestions;
  if (!suggest.prefix.empty()) {
    suggestions = context.index.searcher().suggest(suggest.prefix, suggest.limit);
  }
  return json_ok({{"suggestions", suggestions}});
}

Response get_healthz(const ApiRequest&, ServerContext& context) {
  return json_ok({{"status", "ok"}, {"items", context.index.searcher().item_count()}});
}

Response get_metrics(const ApiRequest&, ServerContext& context) {
  std::optional<std::size_t> items;
  try {
    items = context.index.searcher().item_count();
  } catch (const Xapian::Error& error) {
    std::cerr << "mediateka-server: /metrics could not count items: " << error.get_description()
              << '\n';
  }
  return Response{
      200, kPrometheusContentType, context.metrics.render(items, context.index.generation()), {}};
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
    if (!wanted[i].empty() && wanted[i][0] == ':') {
      auto value = percent_decode(given[i]);
      if (given[i].empty() || !value) return std::nullopt;
      captured.emplace(std::string(wanted[i].substr(1)), std::move(*value));
    } else if (wanted[i] != given[i]) {
      return std::nullopt;
    }
  }
  return captured;
}

// A request that ran into a commit reopens its Searcher and runs once more;
// a second DatabaseModifiedError in a row is reported as a fault.
Response run_handler(Handler handler, const ApiRequest& request, ServerContext& context) {
  try {
    return handler(request, context);
  } catch (const Xapian::DatabaseModifiedError&) {
    context.index.reopen_searcher();
    return handler(request, context);
  }
}

std::string shortened(std::string_view text) {
  return text.size() <= 200 ? std::string(text) : std::string(text.substr(0, 200)) + "...";
}

// The contract's JSON, except for the web pages, whose visitors get a page in Polish.
Response error_response(std::string_view target, int status, const std::string& code,
                        const std::string& message) {
  if (is_page_target(target)) return page_error(status, code, message);
  return json_error(status, code, message);
}

Response answer(std::string_view method, std::string_view target, ServerContext& context,
                const RequestHeaders& headers, std::string& route_label) {
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

    const ApiRequest request{std::string(path), std::move(path_parameters),
                             QueryParameters::parse(query_string), headers, head};
    return run_handler(path_match->handler, request, context);
  } catch (const ApiError& error) {
    return error_response(target, error.status, error.code, error.what());
  } catch (const QueryError& error) {
    return error_response(target, 400, error.code, error.what());
  } catch (const Xapian::DatabaseOpeningError& error) {
    std::cerr << "mediateka-server: " << method << ' ' << shortened(target)
              << ": cannot open the index: " << error.get_description() << '\n';
    return error_response(target, 503, "index_unavailable",
                          "the index cannot be opened; try again later");
  } catch (const Xapian::Error& error) {
    std::cerr << "mediateka-server: " << method << ' ' << shortened(target) << ": "
              << error.get_description() << '\n';
  } catch (const std::exception& error) {
    std::cerr << "mediateka-server: " << method << ' ' << shortened(target) << ": " << error.what()
              << '\n';
  } catch (...) {
    std::cerr << "mediateka-server: " << method << ' ' << shortened(target)
              << ": unknown exception\n";
  }
  return error_response(target, 500, "internal_error",
                        "the server failed to answer; the fault is logged");
}

}  // namespace

Response handle_request(std::string_view method, std::string_view target, ServerContext& context,
                        const RequestHeaders& headers) {
  const auto started = std::chrono::steady_clock::now();
  std::string route_label = "unmatched";
  Response response = answer(method, target, context, headers, route_label);
  context.metrics.record(route_label, response.status, milliseconds_since(started) / 1000.0);
  return response;
}

}  // namespace mediateka::server
