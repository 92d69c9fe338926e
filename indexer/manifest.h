// Import manifests: a CSV or JSON Lines file listing sources with their metadata.
// Columns / keys: id,source,type,title,campaign,year,date,project,series,issue,
// description,authors,language,access,places,replaces; only `source` is required. See
// docs/api.md and docs/indexer.md.
//
// A row changes only what it names: a column absent from the header (a key absent from a JSON
// Lines record) leaves that field of an existing item as it is; an empty cell (a null value)
// clears it, i.e. the field becomes what the file itself says, as for a new item. `access` is
// the exception: an empty cell leaves it as it is too, and only the value `public` makes an item
// public.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "archive/item.h"
#include "archive/text/enum_names.h"

namespace mediateka::indexer {

// The fields of an item a manifest row may name.
enum class ManifestField : unsigned {
  type,
  title,
  campaigns,
  year,
  date,
  project,
  series,
  issue,
  description,
  authors,
  language,
  access,
  places,
};
inline constexpr unsigned kManifestFields = 13;
// The names of the fields' columns.
inline constexpr NameTable<ManifestField, kManifestFields> kManifestFieldNames{
    {{ManifestField::type, "type"},
     {ManifestField::title, "title"},
     {ManifestField::campaigns, "campaign"},
     {ManifestField::year, "year"},
     {ManifestField::date, "date"},
     {ManifestField::project, "project"},
     {ManifestField::series, "series"},
     {ManifestField::issue, "issue"},
     {ManifestField::description, "description"},
     {ManifestField::authors, "authors"},
     {ManifestField::language, "language"},
     {ManifestField::access, "access"},
     {ManifestField::places, "places"}}};
constexpr std::uint32_t field_bit(ManifestField field) {
  return std::uint32_t{1} << static_cast<unsigned>(field);
}

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
      access;  // groups that may see the item (archive/access/access.h); empty: public
  std::vector<std::string> places;  // as written, not yet matched to the gazetteer
  // The id or slug of a stored item whose source this row's source takes over (same id, slug
  // and links, the new file's content); empty: none.
  std::string replaces;
  // The fields whose column the row has (an empty cell names its field: it clears it), as
  // field_bit()s. `access` is named only by a non-empty cell: groups, or `public` (then
  // `access` is empty). Rows made in code name every field but access.
  std::uint32_t named =
      ((std::uint32_t{1} << kManifestFields) - 1) & ~field_bit(ManifestField::access);

  bool names(ManifestField field) const { return (named & field_bit(field)) != 0; }
  // Whether the row decides the item's access: groups, or explicitly `public`.
  bool names_access() const { return names(ManifestField::access) || !access.empty(); }
  // Whether the row decides the item's year: its year column, or a date in its date column
  // when it has no year column.
  bool names_year() const {
    return names(ManifestField::year) || (!date.empty() && names(ManifestField::date));
  }
};

std::string_view to_string(ManifestField field);

struct Manifest {
  std::filesystem::path file;
  std::vector<ManifestEntry> entries;
};

// what(): "FILE:LINE: column 'year': '12' is not a 4-digit year" and the like.
struct ManifestError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// How a manifest file is read: detected unless the librarian says (--encoding, --separator).
enum class ManifestEncoding { detect, utf8, windows1250 };
struct ManifestFormat {
  ManifestEncoding encoding = ManifestEncoding::detect;
  char separator = 0;  // ',' or ';'; 0: detected from the header line
};
// "utf-8"/"utf8" and "windows-1250"/"cp1250" (any case); nullopt for anything else.
std::optional<ManifestEncoding> parse_manifest_encoding(std::string_view name);

// The manifest's bytes as UTF-8 without a byte order mark. Detected: valid UTF-8 (with or
// without BOM) is taken as it is, anything else is read as Windows-1250 (what Polish Excel
// saves). Throws ManifestError naming the line and column of a byte the encoding cannot have.
std::string decode_manifest(std::string_view bytes, ManifestEncoding encoding,
                            const std::string& file_name);

// Reads and validates a whole manifest (.jsonl / .ndjson as JSON Lines, anything else as CSV).
// Throws ManifestError listing every problem found ("FILE:LINE: column N 'year': ..." one per
// line), before anything is imported: a dry run validates exactly what the import would.
Manifest read_manifest(const std::filesystem::path& file, const ManifestFormat& format = {});

// The same from UTF-8 text; `file_name` is used in messages. `separator` 0: detected.
Manifest parse_csv_manifest(std::string_view text, const std::string& file_name,
                            char separator = 0);
Manifest parse_jsonl_manifest(std::string_view text, const std::string& file_name);

}  // namespace mediateka::indexer
