#include "api/api_json.h"

#include <algorithm>
#include <cmath>

#include "http/json_writer.h"
#include "pages/html_text.h"

namespace mediateka::server {

namespace {

// To `per_unit`ths: dividing (not multiplying by 0.01) gives the double nearest the decimal.
double rounded(double value, double per_unit) { return std::round(value * per_unit) / per_unit; }

void write_facet_values(JsonWriter& out, const std::vector<FacetValue>& values) {
  out.begin_array();
  for (const FacetValue& value : values) {
    out.begin_object().key("value").value(value.value).key("count").value(value.count).end_object();
  }
  out.end_array();
}

void write_facets(JsonWriter& out, const Facets& facets) {
  out.begin_object();
  out.key("type");
  write_facet_values(out, facets.type);
  out.key("campaign");
  write_facet_values(out, facets.campaign);
  out.key("year");
  write_facet_values(out, facets.year);
  out.key("project");
  write_facet_values(out, facets.project);
  out.key("place");
  write_facet_values(out, facets.place);
  out.end_object();
}

void write_location(JsonWriter& out, const Location& location, const std::string& page_url) {
  out.begin_object();
  if (location.page > 0) {
    out.key("page").value(location.page);
    out.key("snippet").value(snippet_html(location.snippet));
    out.key("url").value(page_url + "?page=" + std::to_string(location.page));
  } else {
    const auto start_second = static_cast<long long>(std::floor(std::max(0.0, location.t)));
    out.key("t").value(location.t);
    out.key("end").value(location.end);
    out.key("snippet").value(snippet_html(location.snippet));
    out.key("url").value(page_url + "?t=" + std::to_string(start_second));
  }
  out.end_object();
}

void write_hit(JsonWriter& out, const Hit& hit) {
  const Item& item = hit.item;
  const std::string page_url = "/i/" + item.slug;
  out.begin_object();
  out.key("id").value(item.id);
  out.key("slug").value(item.slug);
  out.key("type").value(to_string(item.type));
  out.key("title").value(item.title);
  out.key("year");
  item.year ? out.value(*item.year) : out.null();
  out.key("campaigns").begin_array();
  for (const std::string& campaign : item.campaigns) out.value(campaign);
  out.end_array();
  out.key("project");
  item.project.empty() ? out.null() : out.value(item.project);
  out.key("score").value(hit.score);
  out.key("snippet").value(snippet_html(hit.snippet));
  out.key("url").value(page_url);
  out.key("locations").begin_array();
  for (const Location& location : hit.locations) write_location(out, location, page_url);
  out.end_array();
  out.end_object();
}

// "partial": true and the shards left out, when some did not answer (absent when complete).
void write_missing_shards(JsonWriter& out, const std::vector<std::string>& missing) {
  if (missing.empty()) return;
  out.key("partial").boolean(true);
  out.key("missing_shards").begin_array();
  for (const std::string& name : missing) out.value(name);
  out.end_array();
}

}  // namespace

std::string search_result_body(const SearchRequest& request, const SearchResult& result,
                               double took_ms) {
  size_t expected = 1024;
  for (const Hit& hit : result.hits) {
    expected += 256 + hit.snippet.text.size();
    for (const Location& location : hit.locations) expected += 64 + location.snippet.text.size();
  }
  JsonWriter out(expected);
  out.begin_object();
  out.key("query").value(request.q);
  out.key("total").value(result.total);
  out.key("page").value(request.page);
  out.key("per_page").value(request.per_page);
  out.key("took_ms").value(rounded(took_ms, 100));
  out.key("hits").begin_array();
  for (const Hit& hit : result.hits) write_hit(out, hit);
  out.end_array();
  out.key("facets");
  write_facets(out, result.facets);
  out.key("suggestion");
  result.suggestion ? out.value(*result.suggestion) : out.null();
  if (!result.expanded.empty()) {  // absent when nothing was expanded
    out.key("expanded").begin_array();
    for (const Expansion& expansion : result.expanded) {
      out.begin_object().key("from").value(expansion.from).key("to").begin_array();
      for (const std::string& to : expansion.to) out.value(to);
      out.end_array().end_object();
    }
    out.end_array();
  }
  write_missing_shards(out, result.missing_shards);
  out.end_object();
  return out.take();
}

std::string facets_body(size_t total, const Facets& facets,
                        const std::vector<std::string>& missing_shards) {
  JsonWriter out(4096);
  out.begin_object().key("total").value(total).key("facets");
  write_facets(out, facets);
  write_missing_shards(out, missing_shards);
  out.end_object();
  return out.take();
}

nlohmann::json error_to_json(const std::string& code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

std::string to_body(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mediateka::server
