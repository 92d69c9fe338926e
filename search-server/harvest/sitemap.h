// For search engines: GET /sitemap.xml (every item page the request's audience may see, with
// when it last changed; past kSitemapUrlLimit pages a sitemap index of /sitemap-N.xml),
// GET /sitemap-{n}.xml, and GET /robots.txt, which names the sitemap.
//
// URLs are absolute, from the request's Host (https with X-Forwarded-Proto: https). Items come
// in the order they last changed (Searcher::changes), so a page lists the same items until one
// of them or an earlier one changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archive/access/access.h"
#include "archive/searcher.h"
#include "server_types.h"

namespace mediateka::server {

// The sitemap protocol's most URLs in one file.
inline constexpr std::size_t kSitemapUrlLimit = 50000;
inline constexpr const char* kSitemapContentType = "application/xml; charset=utf-8";

Response get_sitemap(const ApiRequest& request, ServerContext& context);       // /sitemap.xml
Response get_sitemap_page(const ApiRequest& request, ServerContext& context);  // /sitemap-:n.xml
Response get_robots_txt(const ApiRequest& request, ServerContext& context);    // /robots.txt

struct SitemapUrl {
  std::string slug;
  std::int64_t changed = 0;  // seconds since the epoch; 0: not recorded, no <lastmod>
};

// How many sitemap files `urls` item pages take at `limit` a file (1 at least).
std::size_t sitemap_file_count(std::size_t urls, std::size_t limit = kSitemapUrlLimit);
// <urlset> of the item pages /i/SLUG under `origin` ("https://host").
std::string sitemap_urlset(const std::string& origin, const std::vector<SitemapUrl>& urls);
// <sitemapindex> of `origin`/sitemap-1.xml … sitemap-`files`.xml.
std::string sitemap_index(const std::string& origin, std::size_t files);

// The items `audience` may see, in the order they last changed: `limit` of them after the first
// `skip`.
std::vector<SitemapUrl> sitemap_urls(Searcher& searcher, const Audience& audience, std::size_t skip,
                                     std::size_t limit);

// The answer to /sitemap.xml (`file` none) or /sitemap-`file`.xml with `limit` URLs a file:
// the urlset, or the index when the items take more than one file; 404 for a file past the last.
Response sitemap_response(Searcher& searcher, const Audience& audience, const std::string& origin,
                          std::optional<std::size_t> file, std::size_t limit = kSitemapUrlLimit);

// "https://host" of the request, else "http://localhost": sitemaps and feeds need absolute URLs.
std::string absolute_origin(const ApiRequest& request);

}  // namespace mediateka::server
