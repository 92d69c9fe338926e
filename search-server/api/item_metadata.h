// What an item page tells machines about its item, beside Open Graph (item_page.cpp):
// schema.org JSON-LD for search engines and Google Scholar's citation_* meta tags for
// publications and bulletins.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "archive/item.h"

namespace mediateka::server {

// The schema.org description of `item`: Book (publication), PublicationIssue (bulletin),
// VideoObject (film, tv), AudioObject (radio), CreativeWork for a broadcast that is no
// recording; the transcript joined from `cues` where there are some. URLs start with `origin`
// ("https://host", or "" for relative ones); `page_url` is "/i/SLUG".
nlohmann::json item_json_ld(const Item& item, const std::vector<Segment>& cues,
                            const std::string& origin, const std::string& page_url, bool has_cover);
// The same as a <script type="application/ld+json"> element, safe inside HTML.
std::string json_ld_script(const Item& item, const std::vector<Segment>& cues,
                           const std::string& origin, const std::string& page_url, bool has_cover);

// <meta name="citation_title" ...> and the rest for a publication or a bulletin, "" for others.
std::string citation_meta_tags(const Item& item, const std::string& origin,
                               const std::string& page_url);

// ISO 8601 duration of whole seconds: "PT15M12S", "PT1H0M5S", "PT0S".
std::string iso_duration(double seconds);

}  // namespace mediateka::server
