// The archive's item model: one publication, bulletin issue, film or broadcast.
//
// Contract: `id` and `slug` are permanent. Once an item is stored they never
// change, whatever is re-imported, retitled or moved (see docs/permanent-links.md).
// The JSON produced by item_to_json() is the public item representation of
// docs/api.md; segments are searchable content and are not part of it.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/text/enum_names.h"

namespace mediateka {

enum class ItemType { publication, bulletin, film, radio, tv };
// The contract's names, in the order forms list them.
inline constexpr NameTable<ItemType, 5> kItemTypeNames{{{ItemType::publication, "publication"},
                                                        {ItemType::bulletin, "bulletin"},
                                                        {ItemType::film, "film"},
                                                        {ItemType::radio, "radio"},
                                                        {ItemType::tv, "tv"}}};

std::string_view to_string(ItemType type);
// Accepts the contract's names only ("radio", ...); nullopt otherwise.
std::optional<ItemType> parse_item_type(std::string_view name);
// Films and broadcasts have a duration and time-coded segments.
bool is_timed(ItemType type);

// A place an item is about (see archive/places/gazetteer.h): its canonical gazetteer name, its
// kind, and whether the importer found it in the item's text rather than in the manifest. A name
// its manifest gives that the gazetteer did not know (or could not tell between two places) when
// the item was analysed is kept as written and `unknown`: the item keeps it for a librarian to
// correct, but it is not published as a place (no filter, facet or public JSON shows it,
// docs/places.md) until an analysis of the item finds it in the gazetteer.
enum class PlaceKind { wojewodztwo, powiat, gmina };
inline constexpr NameTable<PlaceKind, 3> kPlaceKindNames{{{PlaceKind::wojewodztwo, "wojewodztwo"},
                                                          {PlaceKind::powiat, "powiat"},
                                                          {PlaceKind::gmina, "gmina"}}};
std::string_view to_string(PlaceKind kind);
std::optional<PlaceKind> parse_place_kind(std::string_view name);

struct Place {
  std::string name;  // "powiat wyszkowski", "Płock", "gmina Wyszków", "województwo mazowieckie"
  PlaceKind kind = PlaceKind::powiat;
  bool inferred = false;
  bool unknown = false;  // kept as written, shown to librarians only
};

struct Chapter {
  std::string title;
  double start_s = 0;
  double end_s = 0;  // 0 when unknown
};

// A piece of an item's text with its place: a page of a PDF (page >= 1) or a
// time range of a recording (page == 0): a subtitle cue, a transcript line or a chapter.
struct Segment {
  int page = 0;
  double start_s = 0;
  double end_s = 0;
  std::string text;

  bool timed() const { return page == 0; }
};

struct MediaSummary {
  std::string container;  // "mp4", "matroska", "mp3", "ogg"
  std::string video;      // "h264 1280x720"
  std::string audio;      // "aac 48000 Hz 2 ch"
  bool empty() const { return container.empty() && video.empty() && audio.empty(); }
};

struct SourceInfo {
  std::string path;  // relative to the import root, '/'-separated; empty for URL-only items
  std::string url;   // http(s) address for remote items, else empty
  std::int64_t size = 0;
  std::string checksum;  // hex content hash
  std::string mime;
  std::int64_t mtime = 0;  // seconds since epoch, of the file when imported
  std::string file;        // absolute path of the file on this machine; never public
  // What the importer built the item from besides the file (a hash of the manifest row and
  // its campaign match), so a changed row is noticed; empty without one. Never public.
  std::string metadata_fingerprint;
};

struct Item {
  std::string id;
  std::string slug;
  ItemType type = ItemType::publication;
  std::string title;
  std::vector<std::string> campaigns;
  std::optional<int> year;
  std::string date;  // ISO 8601 date "YYYY-MM-DD" (or "YYYY-MM"), empty when unknown
  std::string project;
  std::string series;
  std::string issue;
  std::string description;
  std::vector<std::string> authors;
  std::string language;
  // The groups that may see the item ("liderzy-kooperacji"); empty: public, seen by everyone.
  // See docs/access.md.
  std::vector<std::string> access;
  // The places the item is about, manifest ones first; no name twice.
  std::vector<Place> places;
  std::optional<int> pages;
  // Pages (1-based) whose text was read by OCR, and pages whose text had been decoded with the
  // wrong code page and was repaired.
  std::vector<int> ocr_pages;
  std::vector<int> repaired_pages;
  std::optional<double> duration_s;
  std::vector<Chapter> chapters;
  MediaSummary media;
  SourceInfo source;

  std::vector<Segment> segments;  // searchable text with its places; not serialised to JSON
};

enum class JsonView {
  public_view,  // the contract's item JSON, including "links"; no unknown places
  librarian,    // the public view with the unknown places too, each marked "unknown": true
  stored,  // what the index keeps: the public view plus private fields (source.file, source.mtime)
};
nlohmann::json item_to_json(const Item& item, JsonView view = JsonView::public_view);
// Inverse of item_to_json (segments stay empty). Throws nlohmann::json::exception on a wrong shape.
Item item_from_json(const nlohmann::json& json);

}  // namespace mediateka
