// Import manifests: a CSV or JSON Lines file listing sources with their metadata.
// Columns / keys: id,source,type,title,campaign,year,date,project,series,issue,
// description,authors,language,access,places; only `source` is required. See shared/spec/api.md.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "item.h"

namespace mediateka::indexer {

// One row: what the librarian said about one source. Empty / absent means "not given".
// A field added here must be packed too (SourceList, source_list.cpp).
struct ManifestEntry {
  int line = 0;        // line of the manifest where the row starts
  std::string source;  // as written: a path relative to the manifest's folder, or a URL
  std::string id;
  std::optional<ItemType> type;
  std::string title;
  std::vector<std::string> campaigns;  // as written, not yet matched to the vocabulary
  std::optional<int> year;
  std::string date;  // "YYYY", "YYYY-MM" or "YYYY-MM-DD"
  std::string project, series, issue, description;
  std::vector<std::string> authors;
  std::string language;
  std::vector<std::string>
      access;  // groups that may see the item (archive/access.h); empty: public
  std::vector<std::string> places;  // as written, not yet matched to the gazetteer
};

struct Manifest {
  std::filesystem::path file;
  std::vector<ManifestEntry> entries;
};

// what(): "FILE:LINE: column 'year': '12' is not a 4-digit year" and the like.
struct ManifestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads and validates a whole manifest (.jsonl / .ndjson as JSON Lines, anything else as CSV).
// Throws ManifestError at the first problem, before anything is imported.
Manifest read_manifest(const std::filesystem::path& file);

// The same from text; `file_name` is used in messages.
Manifest parse_csv_manifest(std::string_view text, const std::string& file_name);
Manifest parse_jsonl_manifest(std::string_view text, const std::string& file_name);

}  // namespace mediateka::indexer
