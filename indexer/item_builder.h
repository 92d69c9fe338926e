// Turns an extraction plus what the manifest and the path say into an Item.
// Precedence per field: manifest → embedded metadata → path/name inference → default.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "config.h"
#include "extraction.h"
#include "item.h"
#include "manifest.h"
#include "source_list.h"
#include "vocabulary.h"

namespace mediateka::indexer {

// What was measured of the file the extraction came from.
struct FileFacts {
  std::filesystem::path file;  // local file (for a URL: the downloaded copy)
  std::int64_t size = 0;
  std::int64_t mtime = 0;
  std::string checksum;
};

struct CampaignMatch {
  std::vector<std::string> campaigns;  // canonical names, unknown ones as written; no repeats
  std::vector<std::string> unknown;    // the values the vocabulary does not know
};
CampaignMatch match_campaigns(const std::vector<std::string>& written,
                              const Vocabulary& vocabulary);

// The item without id and slug (identity is the importer's business). Unknown campaigns and
// places and extraction warnings are appended to `warnings`. Places come from the manifest and,
// as `places` says, from the item's text (item_places.h).
Item build_item(const Source& source, const media::Extraction& extraction, const FileFacts& facts,
                const Vocabulary& vocabulary, std::vector<std::string>& warnings,
                const PlaceSettings& places = {});

// A hash of everything the manifest row says (every column, also the empty ones) and of what
// the vocabulary makes of its campaigns; "" when the source has no row. Stored with the item
// (SourceInfo::metadata_fingerprint): a different fingerprint means the item must be rebuilt,
// also when a value was removed from the row or the vocabulary changed.
std::string metadata_fingerprint(const Source& source, const Vocabulary& vocabulary);

// True when every field the manifest row sets already has that value in `stored`. (It cannot
// see values removed from the row: the importer compares metadata_fingerprint instead.)
bool manifest_agrees(const Item& stored, const ManifestEntry& entry, const Vocabulary& vocabulary);

}  // namespace mediateka::indexer
