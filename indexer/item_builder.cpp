#include "item_builder.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

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
                     {"year", entry.year ? nlohmann::json(*entry.year) : nlohmann::json()},
                     {"date", entry.date},
                     {"project", entry.project},
                     {"series", entry.series},
                     {"issue", entry.issue},
                     {"description", entry.description},
                     {"authors", entry.authors},
                     {"language", entry.language}};
  // Only when given, so that the fingerprints of rows written before the column existed hold.
  if (!entry.access.empty()) row["access"] = entry.access;
  if (!entry.places.empty()) row["places"] = entry.places;
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
                const PlaceSettings& places) {
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
  item.places = item_places(item, entry.places, places, warnings);

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
