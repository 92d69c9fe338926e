#include "archive/item.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <type_traits>

#include "archive/item_json.h"
#include "archive/text/json_fields.h"

namespace mediateka {
namespace {

void put_if(nlohmann::json& json, const char* key, const std::string& value) {
  if (!value.empty()) json[key] = value;
}

// The numbers of an array that are ints; others are left out.
std::vector<int> int_values(const nlohmann::json& array) {
  std::vector<int> values;
  for (const auto& element : array)
    if (const auto value = whole_number<int>(element)) values.push_back(*value);
  return values;
}

std::vector<std::string> strings(const nlohmann::json& json, const char* key) {
  auto found = json.find(key);
  if (found == json.end() || found->is_null()) return {};
  return found->get<std::vector<std::string>>();
}

}  // namespace

std::string_view to_string(ItemType type) {
  return name_of(kItemTypeNames, type, ItemType::publication);
}

std::optional<ItemType> parse_item_type(std::string_view name) {
  return value_named(kItemTypeNames, name);
}

std::string_view to_string(PlaceKind kind) {
  return name_of(kPlaceKindNames, kind, PlaceKind::powiat);
}

std::optional<PlaceKind> parse_place_kind(std::string_view name) {
  return value_named(kPlaceKindNames, name);
}

nlohmann::json chapters_to_json(const std::vector<Chapter>& chapters) {
  nlohmann::json array = nlohmann::json::array();
  for (const Chapter& chapter : chapters) {
    nlohmann::json entry{{"title", chapter.title}, {"start_s", chapter.start_s}};
    if (chapter.end_s > 0) entry["end_s"] = chapter.end_s;
    array.push_back(std::move(entry));
  }
  return array;
}

std::vector<Chapter> chapters_from_json(const nlohmann::json& array) {
  std::vector<Chapter> chapters;
  if (!array.is_array()) return chapters;
  for (const auto& entry : array) {
    if (!entry.is_object()) continue;
    chapters.push_back({string_field(entry, "title"), number_field(entry, "start_s"),
                        number_field(entry, "end_s")});
  }
  return chapters;
}

nlohmann::json media_to_json(const MediaSummary& media) {
  nlohmann::json json;
  put_if(json, "container", media.container);
  put_if(json, "video", media.video);
  put_if(json, "audio", media.audio);
  return json;
}

MediaSummary media_from_json(const nlohmann::json& object) {
  if (!object.is_object()) return {};
  return {string_field(object, "container"), string_field(object, "video"),
          string_field(object, "audio")};
}

bool is_timed(ItemType type) {
  return type == ItemType::film || type == ItemType::radio || type == ItemType::tv;
}

nlohmann::json item_to_json(const Item& item, JsonView view) {
  nlohmann::json json;
  json["id"] = item.id;
  json["slug"] = item.slug;
  json["type"] = std::string(to_string(item.type));
  json["title"] = item.title;
  json["campaigns"] = item.campaigns;
  json["year"] = item.year ? nlohmann::json(*item.year) : nlohmann::json();
  for_each_descriptive_field(item, [&](const char* key, const auto& value) {
    if (!value.empty()) json[key] = value;
  });
  if (!item.access.empty()) json["access"] = item.access;
  if (!item.places.empty()) {
    nlohmann::json places = nlohmann::json::array();
    for (const Place& place : item.places) {
      if (place.unknown && view == JsonView::public_view) continue;
      places.push_back(
          {{"name", place.name}, {"kind", to_string(place.kind)}, {"inferred", place.inferred}});
      if (place.unknown) places.back()["unknown"] = true;
    }
    if (!places.empty()) json["places"] = std::move(places);
  }
  if (item.pages) json["pages"] = *item.pages;
  if (!item.ocr_pages.empty()) json["ocr_pages"] = item.ocr_pages;
  if (!item.repaired_pages.empty()) json["repaired_pages"] = item.repaired_pages;
  if (item.duration_s) json["duration_s"] = *item.duration_s;
  if (!item.chapters.empty()) json["chapters"] = chapters_to_json(item.chapters);
  if (!item.media.empty()) json["media"] = media_to_json(item.media);
  nlohmann::json source{
      {"path", item.source.path.empty() ? nlohmann::json() : nlohmann::json(item.source.path)},
      {"url", item.source.url.empty() ? nlohmann::json() : nlohmann::json(item.source.url)},
      {"size", item.source.size},
      {"checksum", item.source.checksum},
      {"mime", item.source.mime}};
  if (view == JsonView::stored) {
    source["mtime"] = item.source.mtime;
    source["file"] = item.source.file;
    put_if(source, "metadata_fingerprint", item.source.metadata_fingerprint);
  }
  json["source"] = std::move(source);
  json["links"] = {{"self", "/api/items/" + item.id},
                   {"page", "/i/" + item.slug},
                   {"file", "/files/" + item.id}};
  return json;
}

Item item_from_json(const nlohmann::json& json) {
  Item item;
  item.id = json.at("id").get<std::string>();
  item.slug = json.at("slug").get<std::string>();
  item.type = parse_item_type(json.at("type").get<std::string>()).value_or(ItemType::publication);
  item.title = string_field(json, "title");
  item.campaigns = strings(json, "campaigns");
  if (auto year = json.find("year"); year != json.end() && year->is_number_integer()) {
    item.year = whole_number<int>(*year);
  }
  for_each_descriptive_field(item, [&](const char* key, auto& value) {
    if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::string>) {
      value = string_field(json, key);
    } else {
      value = strings(json, key);
    }
  });
  if (auto access = json.find("access"); access != json.end() && access->is_array())
    item.access = access->get<std::vector<std::string>>();
  if (auto places = json.find("places"); places != json.end() && places->is_array()) {
    for (const auto& entry : *places) {
      if (!entry.is_object()) continue;
      item.places.push_back(
          {string_field(entry, "name"),
           parse_place_kind(string_field(entry, "kind")).value_or(PlaceKind::powiat),
           entry.value("inferred", false), entry.value("unknown", false)});
    }
  }
  if (auto pages = json.find("ocr_pages"); pages != json.end() && pages->is_array())
    item.ocr_pages = int_values(*pages);
  if (auto pages = json.find("repaired_pages"); pages != json.end() && pages->is_array())
    item.repaired_pages = int_values(*pages);
  if (auto pages = json.find("pages"); pages != json.end()) item.pages = whole_number<int>(*pages);
  if (auto duration = json.find("duration_s"); duration != json.end() && duration->is_number()) {
    item.duration_s = duration->get<double>();
  }
  if (auto chapters = json.find("chapters"); chapters != json.end())
    item.chapters = chapters_from_json(*chapters);
  if (auto media = json.find("media"); media != json.end()) item.media = media_from_json(*media);
  if (auto source = json.find("source"); source != json.end() && source->is_object()) {
    item.source.path = string_field(*source, "path");
    item.source.url = string_field(*source, "url");
    item.source.size =
        whole_number<std::int64_t>(source->value("size", nlohmann::json(0))).value_or(0);
    item.source.checksum = string_field(*source, "checksum");
    item.source.mime = string_field(*source, "mime");
    item.source.mtime =
        whole_number<std::int64_t>(source->value("mtime", nlohmann::json(0))).value_or(0);
    item.source.file = string_field(*source, "file");
    item.source.metadata_fingerprint = string_field(*source, "metadata_fingerprint");
  }
  return item;
}

}  // namespace mediateka
