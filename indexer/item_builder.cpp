#include "item_builder.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "archive/index_writer.h"
#include "archive/item_json.h"
#include "inference.h"
#include "item_places.h"

namespace mediateka::indexer {
namespace {

std::string first_of(const std::string& preferred, const std::string& fallback) {
  return preferred.empty() ? fallback : preferred;
}

std::vector<std::string> split(const std::string& text, const std::string& separators) {
  std::vector<std::string> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of(separators, start);
    if (end == std::string::npos) end = text.size();
    std::string value = text.substr(start, end - start);
    auto first = value.find_first_not_of(" \t");
    if (first != std::string::npos) {
      values.push_back(value.substr(first, value.find_last_not_of(" \t") - first + 1));
    }
    start = end + 1;
  }
  return values;
}

// Embedded keywords and album may name a campaign; only values the vocabulary knows count,
// since tags are free text and would otherwise flood the campaign facet.
std::vector<std::string> campaigns_from_tags(const media::Extraction& extraction,
                                             const Vocabulary& vocabulary) {
  std::vector<std::string> campaigns;
  std::vector<std::string> candidates = split(extraction.keywords, ";,");
  if (!extraction.album.empty()) candidates.push_back(extraction.album);
  for (const std::string& candidate : candidates) {
    auto name = vocabulary.match(candidate);
    if (name && std::find(campaigns.begin(), campaigns.end(), *name) == campaigns.end()) {
      campaigns.push_back(*name);
    }
  }
  return campaigns;
}

std::optional<int> manifest_year(const ManifestEntry& entry) {
  return entry.year ? entry.year : year_from_date(entry.date);
}

}  // namespace

CampaignMatch match_campaigns(const std::vector<std::string>& written,
                              const Vocabulary& vocabulary) {
  CampaignMatch match;
  for (const std::string& value : written) {
    auto canonical = vocabulary.match(value);
    if (!canonical) match.unknown.push_back(value);
    const std::string& name = canonical ? *canonical : value;
    if (std::find(match.campaigns.begin(), match.campaigns.end(), name) == match.campaigns.end()) {
      match.campaigns.push_back(name);
    }
  }
  return match;
}

std::string metadata_fingerprint(const Source& source, const Vocabulary& vocabulary) {
  if (!source.entry) return {};
  const ManifestEntry& entry = *source.entry;
  const CampaignMatch match = match_campaigns(entry.campaigns, vocabulary);
  nlohmann::json row{{"id", entry.id},
                     {"type", entry.type ? std::string(to_string(*entry.type)) : std::string()},
                     {"title", entry.title},
                     {"campaigns", entry.campaigns},
                     {"campaigns_matched", match.campaigns},
                     {"year", entry.year ? nlohmann::json(*entry.year) : nlohmann::json()}};
  // Every one, empty or not (a JSON object's keys are sorted: the order of filling is not hashed).
  for_each_descriptive_field(entry, [&](const char* key, const auto& value) { row[key] = value; });
  // Only when given, so that the fingerprints of rows written before the column existed hold.
  if (!entry.access.empty()) {
    row["access"] = entry.access;
  } else if (entry.names_access()) {
    row["access"] = "public";
  }
  if (!entry.places.empty()) row["places"] = entry.places;
  if (!entry.replaces.empty()) row["replaces"] = entry.replaces;
  // The columns the row lacks (they leave the stored item's fields alone), so that adding an
  // empty column (which clears) is a change of the row.
  nlohmann::json absent = nlohmann::json::array();
  for (unsigned field = 0; field < kManifestFields; ++field) {
    const auto which = static_cast<ManifestField>(field);
    if (which != ManifestField::access && !entry.names(which))
      absent.push_back(std::string(to_string(which)));
  }
  if (!absent.empty()) row["absent"] = std::move(absent);
  const std::string text =
      "manifest-v1 " + row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const XXH128_hash_t hash = XXH3_128bits(text.data(), text.size());
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(hash.high64),
                static_cast<unsigned long long>(hash.low64));
  return hex;
}

Item build_item(const Source& source, const media::Extraction& extraction, const FileFacts& facts,
                const Vocabulary& vocabulary, std::vector<std::string>& warnings,
                const PlaceSettings& places, const Item* stored) {
  static const ManifestEntry kNoEntry;
  const ManifestEntry& entry = source.entry ? *source.entry : kNoEntry;
  Item item;
  item.type = entry.type.value_or(infer_type(extraction.kind, source.folders));

  item.title = first_of(entry.title, extraction.title);
  if (item.title.empty()) {
    item.title = title_from_file_name(
        std::filesystem::path(source.remote() ? source.url : source.file).filename());
  }

  if (!entry.campaigns.empty()) {
    CampaignMatch match = match_campaigns(entry.campaigns, vocabulary);
    item.campaigns = std::move(match.campaigns);
    for (const std::string& unknown : match.unknown) {
      warnings.push_back("unknown campaign '" + unknown + "' (kept as written)");
    }
  } else {
    item.campaigns = campaigns_from_tags(extraction, vocabulary);
  }

  item.year = manifest_year(entry);
  if (!item.year) item.year = year_from_date(extraction.date);
  if (!item.year) item.year = year_from_folders(source.folders);
  // A file's own date (PDF metadata, media tags) only when it agrees with the item's year: the
  // manifest's year is the librarian's word, and a file's date is often when it was scanned or
  // the template it was made from (a whole batch of PDFs dated 2000-01-01). The date orders
  // "newest" and "oldest".
  item.date = entry.date;
  if (item.date.empty() && (!item.year || year_from_date(extraction.date) == item.year)) {
    item.date = extraction.date;
  }

  item.project = entry.project;
  item.series = first_of(entry.series, extraction.album);
  item.issue = entry.issue;
  item.description =
      first_of(entry.description, first_of(extraction.description, extraction.subject));
  item.authors = entry.authors;
  if (item.authors.empty()) {
    item.authors = split(first_of(extraction.author, extraction.artist), ";");
  }
  item.language = first_of(entry.language, first_of(extraction.language, "pl"));
  item.access = entry.access;

  item.pages = extraction.pages;
  item.ocr_pages = extraction.ocr_pages;
  item.repaired_pages = extraction.repaired_pages;
  item.duration_s = extraction.duration_s;
  item.chapters = extraction.chapters;
  item.media = extraction.media;
  item.segments = extraction.segments;
  if (stored) keep_unnamed_fields(item, *stored, source.entry.get());
  if (stored && !(source.entry && source.entry->names(ManifestField::places))) {
    // The stored manifest places stay; places found in the text are found in the new text.
    std::vector<std::string> written;
    for (const Place& place : stored->places)
      if (!place.inferred) written.push_back(place.name);
    std::vector<std::string> ignored;  // warned about when they were given
    item.places = item_places(item, written, places, ignored);
  } else {
    item.places = item_places(item, entry.places, places, warnings);
  }

  item.source.path = source.remote() ? std::string() : source.relative_path;
  item.source.url = source.url;
  item.source.size = facts.size;
  item.source.checksum = facts.checksum;
  item.source.mime = extraction.mime;
  item.source.mtime = facts.mtime;
  item.source.file = facts.file.string();
  item.source.metadata_fingerprint = metadata_fingerprint(source, vocabulary);

  warnings.insert(warnings.end(), extraction.warnings.begin(), extraction.warnings.end());
  return item;
}

void keep_unnamed_fields(Item& item, const Item& stored, const ManifestEntry* entry) {
  auto named = [&](ManifestField field) { return entry && entry->names(field); };
  if (!named(ManifestField::type) && is_timed(stored.type) == is_timed(item.type))
    item.type = stored.type;
  if (!named(ManifestField::title)) item.title = stored.title;
  if (!named(ManifestField::campaigns)) item.campaigns = stored.campaigns;
  if (!(entry && entry->names_year())) item.year = stored.year;
  if (!named(ManifestField::date)) item.date = stored.date;
  if (!named(ManifestField::project)) item.project = stored.project;
  if (!named(ManifestField::series)) item.series = stored.series;
  if (!named(ManifestField::issue)) item.issue = stored.issue;
  if (!named(ManifestField::description)) item.description = stored.description;
  if (!named(ManifestField::authors)) item.authors = stored.authors;
  if (!named(ManifestField::language)) item.language = stored.language;
  if (!(entry && entry->names_access())) item.access = stored.access;
  if (!named(ManifestField::places)) item.places = stored.places;
}

namespace {

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const std::string& value : values) text += (text.empty() ? "" : "; ") + value;
  return text;
}

std::string access_text(const std::vector<std::string>& access) {
  return access.empty() ? std::string("public") : joined(access);
}

std::string places_text(const std::vector<Place>& places) {
  std::vector<std::string> names;
  for (const Place& place : places) names.push_back(place.name);
  return joined(names);
}

std::string year_text(const std::optional<int>& year) {
  return year ? std::to_string(*year) : std::string();
}

std::string source_text(const SourceInfo& source) {
  return source.url.empty() ? source.path : source.url;
}

const std::string& shown_text(const std::string& text) { return text; }
std::string shown_text(const std::vector<std::string>& values) { return joined(values); }

// The fields as the report shows them, in the manifest's column order.
std::vector<std::pair<std::string, std::string>> shown_fields(const Item& item) {
  std::vector<std::pair<std::string, std::string>> fields;
  fields.reserve(kManifestFields);
  fields.emplace_back("type", to_string(item.type));
  fields.emplace_back("title", item.title);
  fields.emplace_back("campaign", joined(item.campaigns));
  fields.emplace_back("year", year_text(item.year));
  for_each_descriptive_field(item, [&](const char* key, const auto& value) {
    fields.emplace_back(key, shown_text(value));
  });
  fields.emplace_back("access", access_text(item.access));
  fields.emplace_back("places", places_text(item.places));
  return fields;
}

}  // namespace

std::vector<FieldChange> field_changes(const Item& before, const Item& after) {
  std::vector<FieldChange> changes;
  const auto old_fields = shown_fields(before);
  const auto new_fields = shown_fields(after);
  for (std::size_t i = 0; i < old_fields.size(); ++i) {
    if (old_fields[i].second != new_fields[i].second)
      changes.push_back({old_fields[i].first, old_fields[i].second, new_fields[i].second});
  }
  if (IndexWriter::source_key(before) != IndexWriter::source_key(after))
    changes.push_back({"source", source_text(before.source), source_text(after.source)});
  return changes;
}

std::vector<FieldChange> planned_changes(const Item& stored, const Source& source,
                                         const Vocabulary& vocabulary,
                                         const PlaceSettings& places) {
  Item planned = stored;
  std::vector<std::string> from_file;  // fields the row clears: the file will say
  if (source.entry) {
    const ManifestEntry& entry = *source.entry;
    auto text = [&](ManifestField field, const std::string& value, std::string& target) {
      if (!entry.names(field)) return;
      if (value.empty()) {
        from_file.push_back(std::string(to_string(field)));
      } else {
        target = value;
      }
    };
    if (entry.names(ManifestField::type)) {
      if (entry.type) {
        planned.type = *entry.type;
      } else {
        from_file.push_back("type");
      }
    }
    text(ManifestField::title, entry.title, planned.title);
    if (entry.names(ManifestField::campaigns)) {
      if (entry.campaigns.empty()) {
        from_file.push_back("campaign");
      } else {
        planned.campaigns = match_campaigns(entry.campaigns, vocabulary).campaigns;
      }
    }
    if (entry.names_year()) {
      if (std::optional<int> year = manifest_year(entry)) {
        planned.year = year;
      } else {
        from_file.push_back("year");
      }
    }
    text(ManifestField::date, entry.date, planned.date);
    text(ManifestField::project, entry.project, planned.project);
    text(ManifestField::series, entry.series, planned.series);
    text(ManifestField::issue, entry.issue, planned.issue);
    text(ManifestField::description, entry.description, planned.description);
    if (entry.names(ManifestField::authors)) {
      if (entry.authors.empty()) {
        from_file.push_back("authors");
      } else {
        planned.authors = entry.authors;
      }
    }
    if (entry.names(ManifestField::language)) {
      if (entry.language.empty()) {
        from_file.push_back("language");
      } else {
        planned.language = entry.language;
      }
    }
    if (entry.names_access()) planned.access = entry.access;
    if (entry.names(ManifestField::places)) {
      std::vector<std::string> ignored;
      std::vector<Place> named = manifest_places(entry.places, places, ignored);
      for (const Place& place : stored.places) {
        const bool listed = std::any_of(named.begin(), named.end(),
                                        [&](const Place& p) { return p.name == place.name; });
        if (place.inferred && !listed) named.push_back(place);
      }
      planned.places = std::move(named);
    }
  }
  planned.source.path = source.remote() ? std::string() : source.relative_path;
  planned.source.url = source.url;
  planned.source.file = source.remote() ? stored.source.file : source.file;

  std::vector<FieldChange> changes = field_changes(stored, planned);
  if (IndexWriter::source_key(stored) == source.key()) {
    changes.erase(
        std::remove_if(changes.begin(), changes.end(),
                       [](const FieldChange& change) { return change.field == "source"; }),
        changes.end());
  }
  for (const std::string& field : from_file) {
    for (const auto& [name, value] : shown_fields(stored)) {
      if (name != field || value.empty()) continue;
      FieldChange change{name, value, "", true};
      auto at = std::find_if(changes.begin(), changes.end(),
                             [&](const FieldChange& c) { return c.field == name; });
      if (at != changes.end()) {
        *at = change;
      } else {
        changes.push_back(change);
      }
    }
  }
  // In the order of the columns, as field_changes gives them.
  const auto order = shown_fields(stored);
  auto rank = [&](const FieldChange& change) {
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i].first == change.field) return i;
    return order.size();
  };
  std::stable_sort(changes.begin(), changes.end(),
                   [&](const FieldChange& a, const FieldChange& b) { return rank(a) < rank(b); });
  return changes;
}

bool manifest_agrees(const Item& stored, const ManifestEntry& entry, const Vocabulary& vocabulary) {
  auto same_text = [](const std::string& wanted, const std::string& have) {
    return wanted.empty() || wanted == have;
  };
  auto same_list = [](const std::vector<std::string>& wanted,
                      const std::vector<std::string>& have) {
    return wanted.empty() || wanted == have;
  };
  std::optional<int> year = manifest_year(entry);
  return (!entry.type || *entry.type == stored.type) && same_text(entry.title, stored.title) &&
         same_list(match_campaigns(entry.campaigns, vocabulary).campaigns, stored.campaigns) &&
         (!year || year == stored.year) && same_text(entry.date, stored.date) &&
         same_text(entry.project, stored.project) && same_text(entry.series, stored.series) &&
         same_text(entry.issue, stored.issue) && same_text(entry.description, stored.description) &&
         same_list(entry.authors, stored.authors) && same_text(entry.language, stored.language);
}

}  // namespace mediateka::indexer
