#include "harvest/feed.h"

#include <algorithm>
#include <ctime>

#include "api/search_parameters.h"
#include "archive/text/clock_text.h"
#include "archive/text/utf8.h"
#include "harvest/sitemap.h"
#include "harvest/xml_text.h"
#include "pages/html_text.h"
#include "pages/pages.h"

namespace mediateka::server {

namespace {

// An item's date as an Atom date-time: "2013-05-14" → "2013-05-14T00:00:00Z", "2013-05" and
// "2013" from their first day; "" when it has none that reads so.
std::string date_time_of(const Item& item) {
  std::string date = item.date;
  if (date.empty() && item.year) date = std::to_string(*item.year);
  const bool digits =
      date.size() >= 4 && date.find_first_not_of("0123456789-") == std::string::npos;
  if (!digits) return {};
  if (date.size() == 4) date += "-01";
  if (date.size() == 7) date += "-01";
  if (date.size() != 10) return {};
  return date + "T00:00:00Z";
}

std::string updated_of(const FeedEntry& entry) {
  if (entry.changed > 0) return utc_timestamp(entry.changed);
  const std::string date = date_time_of(entry.item);
  return date.empty() ? utc_timestamp(0) : date;
}

std::string entry_xml(const std::string& origin, const FeedEntry& entry) {
  const Item& item = entry.item;
  const std::string page = origin + "/i/" + url_component(item.slug);
  std::string xml = "<entry>\n";
  xml += "<id>" + xml_escaped(page) + "</id>\n";
  xml += "<title type=\"text\">" + xml_escaped(item.title) + "</title>\n";
  xml += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escaped(page) + "\"/>\n";
  if (!item.source.mime.empty()) {
    xml += "<link rel=\"enclosure\" type=\"" + xml_escaped(item.source.mime) + "\" href=\"" +
           xml_escaped(origin + "/files/" + url_component(item.id)) + "\"" +
           (item.source.size > 0 ? " length=\"" + std::to_string(item.source.size) + "\"" : "") +
           "/>\n";
  }
  xml += "<updated>" + updated_of(entry) + "</updated>\n";
  if (const std::string date = date_time_of(item); !date.empty()) {
    xml += "<published>" + date + "</published>\n";
  }
  for (const auto& author : item.authors) {
    xml += "<author><name>" + xml_escaped(author) + "</name></author>\n";
  }
  xml += "<category term=\"" + xml_escaped(to_string(item.type)) + "\" label=\"" +
         xml_escaped(type_label(item.type)) + "\"/>\n";
  for (const auto& campaign : item.campaigns) {
    xml += "<category term=\"" + xml_escaped(campaign) + "\"/>\n";
  }
  if (!entry.summary.empty()) {
    xml += "<summary type=\"html\">" + xml_escaped(entry.summary) + "</summary>\n";
  }
  xml += "</entry>\n";
  return xml;
}

// The request's own query string, decoded and encoded again, "" when it has none.
std::string query_string_of(const ApiRequest& request) {
  std::string query;
  for (const auto& [name, value] : request.query.entries()) {
    query += (query.empty() ? "?" : "&") + url_component(name) + "=" + url_component(value);
  }
  return query;
}

}  // namespace

std::string atom_feed(const std::string& origin, const std::string& self, const std::string& title,
                      const std::vector<FeedEntry>& entries, std::int64_t now) {
  std::string updated;
  for (const FeedEntry& entry : entries) updated = std::max(updated, updated_of(entry));
  if (updated.empty()) updated = utc_timestamp(now);
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"pl\">\n";
  xml += "<id>" + xml_escaped(self) + "</id>\n";
  xml += "<title type=\"text\">" + xml_escaped(title) + "</title>\n";
  xml += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml_escaped(self) + "\"/>\n";
  xml += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escaped(origin) + "/\"/>\n";
  xml += "<updated>" + updated + "</updated>\n";
  xml += "<author><name>Mediateka</name></author>\n";
  xml += "<generator>Mediateka</generator>\n";
  for (const FeedEntry& entry : entries) xml += entry_xml(origin, entry);
  xml += "</feed>\n";
  return repaired_utf8(std::move(xml));
}

Response get_feed(const ApiRequest& request, ServerContext& context) {
  SearchRequest search = parse_search_request(request.query);
  search.audience = request.audience;
  if (!request.query.single("sort")) search.sort = SortOrder::newest;
  if (!request.query.single("per_page")) search.per_page = kFeedEntries;
  search.facets = false;
  search.snippets = !search.q.empty();
  const SearchResult result = context.index.search(search);
  Searcher& searcher = context.index.searcher();

  std::vector<FeedEntry> entries;
  entries.reserve(result.hits.size());
  for (const Hit& hit : result.hits) {
    FeedEntry entry{hit.item, 0, {}};
    // The stored item (its date and authors) and when it last changed.
    ChangeRequest change;
    change.id = hit.item.id;
    change.limit = 1;
    const ChangePage found = searcher.changes(change, request.audience);
    if (!found.changes.empty() && !found.changes.front().deleted) {
      entry.item = found.changes.front().item;
      entry.changed = found.changes.front().changed;
    }
    // The summary is HTML: the description escaped, or the snippet (escaped, matches marked).
    entry.summary =
        !entry.item.description.empty() ? h(entry.item.description) : snippet_html(hit.snippet);
    entries.push_back(std::move(entry));
  }

  const std::string origin = absolute_origin(request);
  const std::string title =
      search.q.empty() ? "Mediateka – nowe materiały" : "Mediateka – wyszukiwanie: " + search.q;
  return Response{
      200,
      kAtomContentType,
      atom_feed(origin, origin + "/feed" + query_string_of(request), title, entries,
                static_cast<std::int64_t>(std::time(nullptr))),
      {{"Cache-Control", "public, max-age=300"}, {"X-Content-Type-Options", "nosniff"}}};
}

}  // namespace mediateka::server
