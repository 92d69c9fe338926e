#include "harvest/sitemap.h"

#include "api/api_error.h"
#include "archive/text/clock_text.h"
#include "archive/text/utf8.h"
#include "harvest/xml_text.h"
#include "pages/pages.h"

namespace mediateka::server {

namespace {

// Search engines fetch these often; a few minutes late is no harm.
const std::vector<std::pair<std::string, std::string>> kCaching = {
    {"Cache-Control", "public, max-age=300"}, {"X-Content-Type-Options", "nosniff"}};

// How many changes one Searcher::changes call reads.
constexpr std::size_t kChangesPerRead = 1000;

}  // namespace

std::string absolute_origin(const ApiRequest& request) {
  const std::string origin = site_origin(request);
  return origin.empty() ? "http://localhost" : origin;
}

std::size_t sitemap_file_count(std::size_t urls, std::size_t limit) {
  if (limit == 0) limit = 1;
  return urls <= limit ? 1 : (urls + limit - 1) / limit;
}

std::string sitemap_urlset(const std::string& origin, const std::vector<SitemapUrl>& urls) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  xml.reserve(xml.size() + urls.size() * 120);
  for (const SitemapUrl& url : urls) {
    xml += "<url><loc>" + xml_escaped(origin + "/i/" + url_component(url.slug)) + "</loc>";
    if (url.changed > 0) xml += "<lastmod>" + utc_timestamp(url.changed) + "</lastmod>";
    xml += "</url>\n";
  }
  xml += "</urlset>\n";
  return repaired_utf8(std::move(xml));
}

std::string sitemap_index(const std::string& origin, std::size_t files) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (std::size_t file = 1; file <= files; ++file) {
    xml += "<sitemap><loc>" + xml_escaped(origin) + "/sitemap-" + std::to_string(file) +
           ".xml</loc></sitemap>\n";
  }
  xml += "</sitemapindex>\n";
  return repaired_utf8(std::move(xml));
}

std::vector<SitemapUrl> sitemap_urls(Searcher& searcher, const Audience& audience, std::size_t skip,
                                     std::size_t limit) {
  std::vector<SitemapUrl> urls;
  ChangeRequest request;
  request.limit = kChangesPerRead;
  std::size_t seen = 0;
  while (urls.size() < limit) {
    const ChangePage page = searcher.changes(request, audience);
    for (const Change& change : page.changes) {
      if (change.deleted) continue;  // a tombstone: a harvester's business, not a crawler's
      if (seen++ < skip) continue;
      urls.push_back({change.item.slug, change.changed});
      if (urls.size() == limit) break;
    }
    if (page.next.empty()) break;
    request.after = page.next;
  }
  return urls;
}

Response sitemap_response(Searcher& searcher, const Audience& audience, const std::string& origin,
                          std::optional<std::size_t> file, std::size_t limit) {
  const std::size_t files = sitemap_file_count(searcher.item_count(audience), limit);
  std::string body;
  if (!file && files > 1) {
    body = sitemap_index(origin, files);
  } else {
    const std::size_t number = file.value_or(1);
    if (number < 1 || number > files) {
      throw not_found("there are " + std::to_string(files) + " sitemap files");
    }
    body = sitemap_urlset(origin, sitemap_urls(searcher, audience, (number - 1) * limit, limit));
  }
  return Response{200, kSitemapContentType, std::move(body), kCaching};
}

Response get_sitemap(const ApiRequest& request, ServerContext& context) {
  return sitemap_response(context.index.searcher(), request.audience, absolute_origin(request),
                          std::nullopt);
}

Response get_sitemap_page(const ApiRequest& request, ServerContext& context) {
  const std::string& text = request.path_parameters.at("number");
  const bool digits = !text.empty() && text.size() <= 6 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) throw not_found("no sitemap file '" + text.substr(0, 40) + "'");
  return sitemap_response(context.index.searcher(), request.audience, absolute_origin(request),
                          std::stoul(text));
}

Response get_robots_txt(const ApiRequest& request, ServerContext&) {
  std::string body =
      "# Mediateka: item pages, the search page and the sitemap are for everyone.\n"
      "User-agent: *\n"
      // The JSON API and the search results of every query are no pages to index; the item
      // pages are, through the sitemap.
      "Disallow: /api/\n"
      "Disallow: /?\n"
      "Disallow: /logowanie\n"
      "Disallow: /wyloguj\n"
      "Allow: /\n"
      "\n"
      "Sitemap: " +
      absolute_origin(request) + "/sitemap.xml\n";
  return Response{200, "text/plain; charset=utf-8", std::move(body), kCaching};
}

}  // namespace mediateka::server
