// What the item's pages (item_page.cpp, embed_page.cpp) and their metadata (item_metadata.cpp)
// ask of an item: which item a path names, whether it plays (as sound or as video) or is a PDF,
// and which of its segments are cues.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "archive/access/access.h"
#include "archive/item.h"
#include "archive/searcher.h"

namespace mediateka::server {

struct FoundItem {
  Item item;
  bool by_id = false;  // the path named the id, not the slug
};

// The item whose slug, else id, is `key`, as `audience` may see it; nullopt when none.
std::optional<FoundItem> find_item(Searcher& searcher, const std::string& key,
                                   const Audience& audience);

// A chapter is also stored as a timed segment; cues are the timed segments that are not, with
// text.
std::vector<Segment> cues_of(const Item& item, const std::vector<Segment>& segments);

// Films and broadcasts, and any item whose file is sound or video: shown with a player.
bool is_media(const Item& item);
// A player of sound only (<audio>): sound files, and radio broadcasts of unknown format.
bool is_audio(const Item& item);
// Shown with the PDF view: PDFs, and publications and bulletins that are not media.
bool is_pdf(const Item& item);

}  // namespace mediateka::server
