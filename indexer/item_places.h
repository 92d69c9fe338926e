// An item's places: the names its manifest row gives, matched to the gazetteer
// (archive/places/gazetteer.h), and the places its text names (archive/places/place_finder.h).
#pragma once

#include <string>
#include <vector>

#include "archive/config.h"
#include "archive/item.h"

namespace mediateka::indexer {

// The places `written` (a manifest's `places` column) names, canonical where the gazetteer
// knows the name; a name it does not know, or cannot tell between two places, is kept as
// written and reported in `warnings`, as unknown campaigns are. No name twice.
std::vector<Place> manifest_places(const std::vector<std::string>& written,
                                   const PlaceSettings& settings,
                                   std::vector<std::string>& warnings);

// The manifest's places, then those found in the item's title, description and segments
// (marked inferred) when settings.infer.
std::vector<Place> item_places(const Item& item, const std::vector<std::string>& written,
                               const PlaceSettings& settings, std::vector<std::string>& warnings);

}  // namespace mediateka::indexer
