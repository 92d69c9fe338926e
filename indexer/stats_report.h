// `mediateka-index stats`: the archive's counts as the contract's JSON or a readable table.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "archive/index_writer.h"

namespace mediateka::indexer {

// What waits for the librarian: sources that failed, and names items keep as written because
// the configuration's campaigns or the gazetteer do not know them.
struct StatsDetails {
  struct Failure {
    std::string source;  // its key: absolute path or URL
    std::string error;
  };
  std::vector<Failure> failures;
  bool failures_busy = false;  // an import holds the index: the failures are not listed now
  std::map<std::string, std::size_t> unknown_campaigns;  // as written → items
  std::map<std::string, std::size_t> unknown_places;     // as written → items
};

// {"items": N, "by_type": {...}, "by_campaign": {...}, "by_year": {...}, "failed_sources": N,
//  "restricted": N, "by_access": {"group": N}, "ocr_pages": N, "repaired_pages": N,
//  "failures": [{"source": "...", "error": "..."}] (null while an import holds the index),
//  "unknown_campaigns": {"as written": N}, "unknown_places": {"as written": N}}
nlohmann::json stats_to_json(const ArchiveStats& stats, const StatsDetails& details);

std::string stats_table(const ArchiveStats& stats, const StatsDetails& details);

}  // namespace mediateka::indexer
