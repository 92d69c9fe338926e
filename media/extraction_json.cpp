// Extraction <-> JSON, for handing results from an extraction child process to the indexer.
#include <nlohmann/json.hpp>
#include <optional>

#include "archive/item_json.h"
#include "archive/text/json_fields.h"
#include "extraction.h"

namespace mediateka::media {
namespace {

using nlohmann::json;

MediaKind parse_kind(const std::string& name) {
  if (const auto kind = value_named(kMediaKindNames, name)) return *kind;
  throw json::other_error::create(501, "unknown extraction kind '" + name + "'", nullptr);
}

// An int; a number beyond an int is a malformed answer (casting it would be undefined).
int int_value(const json& value) {
  if (!value.is_number()) return value.get<int>();  // throws nlohmann's type_error
  const std::optional<int> number = whole_number<int>(value);
  if (!number)
    throw json::other_error::create(501, "number out of range: " + value.dump(), nullptr);
  return *number;
}

std::vector<int> int_values(const json& array) {
  std::vector<int> values;
  for (const json& value : array.get_ref<const json::array_t&>())
    values.push_back(int_value(value));
  return values;
}

}  // namespace

json to_json(const Extraction& extraction) {
  json result = {
      {"kind", name_of(kMediaKindNames, extraction.kind, MediaKind::pdf)},
      {"mime", extraction.mime},
      {"title", extraction.title},
      {"author", extraction.author},
      {"subject", extraction.subject},
      {"keywords", extraction.keywords},
      {"description", extraction.description},
      {"date", extraction.date},
      {"artist", extraction.artist},
      {"album", extraction.album},
      {"genre", extraction.genre},
      {"language", extraction.language},
      {"pages", extraction.pages ? json(*extraction.pages) : json(nullptr)},
      {"duration_s", extraction.duration_s ? json(*extraction.duration_s) : json(nullptr)},
      {"media", media_to_json(extraction.media)},
      {"chapters", chapters_to_json(extraction.chapters)},
      {"segments", json::array()},
      {"ocr_pages", extraction.ocr_pages},
      {"repaired_pages", extraction.repaired_pages},
      {"warnings", extraction.warnings},
  };
  for (const Segment& segment : extraction.segments)
    result["segments"].push_back({{"page", segment.page},
                                  {"start_s", segment.start_s},
                                  {"end_s", segment.end_s},
                                  {"text", segment.text}});
  return result;
}

Extraction extraction_from_json(const json& object) {
  Extraction extraction;
  extraction.kind = parse_kind(object.at("kind").get<std::string>());
  extraction.mime = string_field(object, "mime");
  extraction.title = string_field(object, "title");
  extraction.author = string_field(object, "author");
  extraction.subject = string_field(object, "subject");
  extraction.keywords = string_field(object, "keywords");
  extraction.description = string_field(object, "description");
  extraction.date = string_field(object, "date");
  extraction.artist = string_field(object, "artist");
  extraction.album = string_field(object, "album");
  extraction.genre = string_field(object, "genre");
  extraction.language = string_field(object, "language");
  if (object.contains("pages") && !object["pages"].is_null())
    extraction.pages = int_value(object["pages"]);
  if (object.contains("duration_s") && !object["duration_s"].is_null())
    extraction.duration_s = object["duration_s"].get<double>();
  if (const auto media = object.find("media"); media != object.end())
    extraction.media = media_from_json(*media);
  if (const auto chapters = object.find("chapters"); chapters != object.end())
    extraction.chapters = chapters_from_json(*chapters);
  if (const auto segments = object.find("segments"); segments != object.end()) {
    for (const json& segment : *segments)
      extraction.segments.push_back(
          {int_value(segment.value("page", json(0))), number_field(segment, "start_s"),
           number_field(segment, "end_s"), string_field(segment, "text")});
  }
  if (const auto pages = object.find("ocr_pages"); pages != object.end())
    extraction.ocr_pages = int_values(*pages);
  if (const auto pages = object.find("repaired_pages"); pages != object.end())
    extraction.repaired_pages = int_values(*pages);
  if (const auto warnings = object.find("warnings"); warnings != object.end())
    extraction.warnings = warnings->get<std::vector<std::string>>();
  return extraction;
}

}  // namespace mediateka::media
