// An item's places: the names its manifest row gives, matched to the gazetteer
// (archive/places/gazetteer.h), and the places its text names (archive/places/place_finder.h).
#pragma once

#include <string>
#include <vector>

#include "archive/config.h"
#include "archive/item.h"

namespace mediateka::indexer {

// The places `written` (a manifest's `places` column, or the desk's field) names, canonical where
// the gazetteer knows the name; a name it does not know, or cannot tell between two places, is
// kept as written, marked Place::unknown (not published, item.h) and reported in `warnings`, as
// unknown campaigns are. No name twice. Every way an item gets its places comes here: a
// manifest's row, the desk's form and API (a one-row manifest), a re-import that keeps the stored
// names (matched again, so that a name the gazetteer now knows becomes a place).
std::vector<Place> manifest_places(const std::vector<std::string>& written,
                                   const PlaceSettings& settings,
                                   std::vector<std::string>& warnings);

// The manifest's places, then those found in the item's title, description and segments
// (marked inferred) when settings.infer.
std::vector<Place> item_places(const Item& item, const std::vector<std::string>& written,
                               const PlaceSettings& settings, std::vector<std::string>& warnings);

}  // namespace mediateka::indexer
