// Turns an extraction plus what the manifest and the path say into an Item.
// Precedence per field: manifest → embedded metadata → path/name inference → default.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "archive/config.h"
#include "archive/item.h"
#include "archive/text/vocabulary.h"
#include "extraction.h"
#include "import_report.h"
#include "manifest.h"
#include "source_list.h"

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
// `stored`: the item this source updates (or takes over), if any: the fields its manifest row
// does not name keep their stored values (keep_unnamed_fields), its manifest places included.
Item build_item(const Source& source, const media::Extraction& extraction, const FileFacts& facts,
                const Vocabulary& vocabulary, std::vector<std::string>& warnings,
                const PlaceSettings& places = {}, const Item* stored = nullptr);

// Gives `item` (built from its file and its row) the values of `stored` for every field the row
// (`entry`, null: no row, which names nothing) does not name: a row changes only what it names.
// Access in particular changes only when the row gives groups or `public`. The type is kept
// only while the kind of file agrees (a video stays no publication). Places are taken whole.
void keep_unnamed_fields(Item& item, const Item& stored, const ManifestEntry* entry);

// The fields of `after` that differ from `before` ("source" too when the file is another), for
// the report.
std::vector<FieldChange> field_changes(const Item& before, const Item& after);

// What a dry run can say without reading the file: the changes `source`'s row makes to
// `stored`. A named field with a value gets it; a named field with an empty cell gets what the
// file says (after_from_file, unless the stored value is already empty); places found in the
// text are assumed to stay.
std::vector<FieldChange> planned_changes(const Item& stored, const Source& source,
                                         const Vocabulary& vocabulary, const PlaceSettings& places);

// A hash of everything the manifest row says (every column, also the empty ones) and of what
// the vocabulary makes of its campaigns; "" when the source has no row. Stored with the item
// (SourceInfo::metadata_fingerprint): a different fingerprint means the item must be rebuilt,
// also when a value was removed from the row or the vocabulary changed.
std::string metadata_fingerprint(const Source& source, const Vocabulary& vocabulary);

// True when every field the manifest row sets already has that value in `stored`. (It cannot
// see values removed from the row: the importer compares metadata_fingerprint instead.)
bool manifest_agrees(const Item& stored, const ManifestEntry& entry, const Vocabulary& vocabulary);

}  // namespace mediateka::indexer
