// The item ↔ JSON mapping of the fields an item shares with other records, written once: the item
// JSON (item_to_json, item.h), the extraction a worker hands the indexer (media/extraction.h,
// which has an item's chapters and media summary) and the manifest row the indexer fingerprints
// (indexer/manifest.h, which has an item's descriptive fields under the same names).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "archive/item.h"

namespace mediateka {

// Calls visit(key, field) for each descriptive field a record (an Item, a ManifestEntry) has
// under the item JSON's keys, in the manifest's column order: "date", "project", "series",
// "issue", "description" (strings), "authors" (a list of strings) and "language" (a string).
// The item JSON leaves out those that are empty.
template <typename Record, typename Visit>
void for_each_descriptive_field(Record& record, Visit&& visit) {
  visit("date", record.date);
  visit("project", record.project);
  visit("series", record.series);
  visit("issue", record.issue);
  visit("description", record.description);
  visit("authors", record.authors);
  visit("language", record.language);
}

// [{"title", "start_s", "end_s"}], "end_s" only when it is known (above 0).
nlohmann::json chapters_to_json(const std::vector<Chapter>& chapters);
// The chapters of such an array; an absent or null number reads as 0, what is not an object is
// passed over, another shape than an array has none. Throws nlohmann::json::exception on a wrong
// type of field.
std::vector<Chapter> chapters_from_json(const nlohmann::json& array);

// {"container", "video", "audio"}, each only when not empty; null when all are.
nlohmann::json media_to_json(const MediaSummary& media);
// Absent fields, and another shape than an object, read as empty.
MediaSummary media_from_json(const nlohmann::json& object);

}  // namespace mediateka
