// The public web pages, server-rendered HTML in Polish (WCAG 2.1 AA, usable without
// JavaScript): the search page, item pages with their captions, the accessibility
// statement, and the embedded style sheet and script (web/).
//
// Every value put into HTML goes through h() (escaping) or url_component() (in URLs), and
// snippets through snippet_html() (html_text.h), which escapes them and marks their matches.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "archive/item.h"
#include "server_types.h"

namespace mediateka::server {

inline constexpr const char* kHtmlContentType = "text/html; charset=utf-8";

// Handlers (routes.cpp's table).
Response get_search_page(const ApiRequest& request, ServerContext& context);         // GET /
Response get_item_page(const ApiRequest& request, ServerContext& context);           // /i/:slug
Response get_item_captions(const ApiRequest& request, ServerContext& context);       // .vtt
Response get_accessibility_page(const ApiRequest& request, ServerContext& context);  // /dostepnosc
// GET /miejsca (places_page.cpp): the places of the items with their counts by year.
Response get_places_page(const ApiRequest& request, ServerContext& context);
Response get_login_page(const ApiRequest& request, ServerContext& context);  // GET /logowanie
Response post_login(const ApiRequest& request, ServerContext& context);      // POST /logowanie
Response post_logout(const ApiRequest& request, ServerContext& context);     // POST /wyloguj
Response get_style_css(const ApiRequest& request, ServerContext& context);
Response get_app_js(const ApiRequest& request, ServerContext& context);
// GET /i/:slug/embed (embed_page.cpp): the player alone, the one page other sites may frame.
Response get_item_embed(const ApiRequest& request, ServerContext& context);
// GET /api/openapi.json: the OpenAPI document (search-server/openapi.json), cached like the
// static files above; its errors are JSON, as the API's.
Response get_openapi_json(const ApiRequest& request, ServerContext& context);

// GET /favicon.ico (web/favicon.svg) and GET /static/logo ([site] logo).
Response get_favicon(const ApiRequest& request, ServerContext& context);
Response get_logo(const ApiRequest& request, ServerContext& context);
// GET /i/:slug/strony/:number (page_image_route.cpp): page n of a publication as a PNG with
// the words of ?q= highlighted.
Response get_page_image(const ApiRequest& request, ServerContext& context);

// Whether errors for this request target are answered as an HTML page (pages) rather
// than the API's JSON.
bool is_page_target(std::string_view target);
// The same, knowing the request's headers: any path but /api/* asked by a browser
// (Accept: text/html) gets pages too.
bool is_page_target(std::string_view target, const RequestHeaders& headers);
// An error page in Polish for the API error `code` (api_error.h) with `status` (404, 410 and
// 401 have their own wording).
Response page_error(int status, const std::string& code, const std::string& message);
// 410 Gone: "Materiał został usunięty", for an item withdrawn from the archive; `title` is the
// item's title when still known (may be empty).
Response page_gone(const std::string& title = {});

// --- who is looking, and the centre's name ---------------------------------------------------

// The visitor as the header shows them.
struct PageViewer {
  bool logged_in = false;
  bool librarian = false;  // sees every item
  std::string label;       // the token's label
  std::vector<std::string> groups;
};

// For the duration of one request (routes.cpp), what page_layout() puts in the header and the
// footer: the [site] settings and the viewer. Nested scopes restore the outer one.
class PageScope {
 public:
  explicit PageScope(const SiteSettings* site, PageViewer viewer = {});
  ~PageScope();
  PageScope(const PageScope&) = delete;
  PageScope& operator=(const PageScope&) = delete;
  void set_viewer(PageViewer viewer);

 private:
  const SiteSettings* previous_site_;
  PageViewer previous_viewer_;
};
const SiteSettings& page_site();  // empty settings outside any scope
const PageViewer& page_viewer();  // anonymous outside any scope
// The "dostęp ograniczony" mark of a restricted item (one with access groups).
std::string restricted_badge();

// --- shared by the page templates (pages_common.cpp) ------------------------------------------

// HTML-escaped text (element content and quoted attribute values).
std::string h(std::string_view text);
// Percent-encoding of a query-string name or value (UTF-8 kept as bytes).
std::string url_component(std::string_view text);

// Polish noun forms by number: 1 materiał, 2–4 materiały, 5+ (and 12–14) materiałów.
const char* polish_plural(long long n, const char* one, const char* few, const char* many);
// "publikacja", "biuletyn", "film", "audycja radiowa", "audycja telewizyjna".
const char* type_label(ItemType type);
const char* type_label(std::string_view type_name);  // nullptr for an unknown name
// "01:33", "1:02:03" (seconds, floored).
std::string clock_time(double seconds);
// An inline SVG icon for an item without a cover (decorative: aria-hidden).
std::string type_icon(ItemType type);

// The message a visitor sees for an API error (api_error.h codes, English messages).
std::string polish_error_message(const std::string& code, const std::string& message);

struct PageHead {
  std::string title;         // plain text; " – Mediateka" (and the centre's name) is appended
  std::string extra;         // HTML for <head> (meta tags), already escaped
  std::string current_path;  // the navigation link marked aria-current="page"
};
// The whole document: head, skip link, header with navigation, <main id="tresc">, footer.
std::string page_layout(const PageHead& head, const std::string& main_html);
// The <link> of the style sheet and the <script> of the script, with their versions.
std::string asset_tags();

// Who may show a page in a frame: this site only (every page), or any site (the embeds).
enum class Framing { same_site, any_site };
// 200 (or `status`) text/html with the pages' headers (security policy, no caching).
Response html_response(int status, std::string html, Framing framing = Framing::same_site);

// "https://host" from the request (Host, X-Forwarded-Proto), "" when unknown or odd.
std::string site_origin(const ApiRequest& request);

}  // namespace mediateka::server
