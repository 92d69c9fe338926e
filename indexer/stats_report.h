// `mediateka-index stats`: the archive's counts as the contract's JSON or a readable table.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "index_writer.h"

namespace mediateka::indexer {

// {"items": N, "by_type": {...}, "by_campaign": {...}, "by_year": {...}, "failed_sources": N,
//  "restricted": N, "by_access": {"group": N}, "ocr_pages": N, "repaired_pages": N}
nlohmann::json stats_to_json(const ArchiveStats& stats);

std::string stats_table(const ArchiveStats& stats);

}  // namespace mediateka::indexer
