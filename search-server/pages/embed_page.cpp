// GET /i/{slug}/embed — the player alone, for an <iframe> on a campaign's site: the recording
// (?t=START or ?t=START,END as on the item page), its captions, and a link to the item page.
// The one page any site may frame (html_response with Framing::any_site); it is not indexed.
#include "api/item_media.h"
#include "http/clip_range.h"
#include "pages/pages.h"
#include "pages/player_html.h"

namespace mediateka::server {

Response get_item_embed(const ApiRequest& request, ServerContext& context) {
  Searcher& searcher = context.index.searcher();
  auto found = find_item(searcher, request.path_parameters.at("slug"), request.audience);
  if (!found || !is_media(found->item)) {
    return page_error(404, "not_found", "no recording with this slug or id");
  }
  const Item& item = found->item;
  const std::string page_url = "/i/" + url_component(item.slug);
  const bool has_cues = !cues_of(item, searcher.segments(item.id, request.audience)).empty();
  const auto clip = parse_clip_range(request.query);

  std::string html = "<!DOCTYPE html>\n<html lang=\"pl\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + h(item.title) + " – Mediateka</title>\n";
  html += "<meta name=\"robots\" content=\"noindex\">\n";
  html += "<link rel=\"canonical\" href=\"" + h(site_origin(request) + page_url) + "\">\n";
  html += asset_tags();
  html += "</head>\n<body class=\"embed\">\n<main class=\"embed-main\">\n";
  html += "<h1 class=\"embed-title\"><a href=\"" + page_url +
          "\" target=\"_blank\" rel=\"noopener\">" + h(item.title) +
          "<span class=\"visually-hidden\"> (otwiera się w nowej karcie)</span></a>"
          " <span class=\"embed-source\">Mediateka</span></h1>\n";
  html += media_element_html(item, page_url, has_cues, clip);
  if (clip && clip->end) {
    html += "<p class=\"embed-clip\">Fragment " + h(clock_time(clip->start)) + "–" +
            h(clock_time(*clip->end)) + "</p>\n";
  }
  html += "</main>\n</body>\n</html>\n";
  return html_response(200, std::move(html), Framing::any_site);
}

}  // namespace mediateka::server
