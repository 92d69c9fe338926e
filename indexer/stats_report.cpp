#include "stats_report.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace mediateka::indexer {
namespace {

nlohmann::json counts(const std::map<std::string, std::size_t>& by_value) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [value, count] : by_value) json[value] = count;
  return json;
}

// Display width of UTF-8 text, close enough for aligning Polish names.
std::size_t text_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void table_section(std::ostringstream& out, const std::string& heading,
                   const std::map<std::string, std::size_t>& by_value) {
  out << "\n" << heading << "\n";
  if (by_value.empty()) {
    out << "  (none)\n";
    return;
  }
  std::size_t width = 0;
  for (const auto& entry : by_value) width = std::max(width, text_width(entry.first));
  for (const auto& [value, count] : by_value) {
    out << "  " << value << std::string(width - text_width(value) + 2, ' ') << count << "\n";
  }
}

}  // namespace

nlohmann::json stats_to_json(const ArchiveStats& stats, const StatsDetails& details) {
  nlohmann::json failures = nlohmann::json::array();
  for (const StatsDetails::Failure& failure : details.failures)
    failures.push_back({{"source", failure.source}, {"error", failure.error}});
  if (details.failures_busy) failures = nullptr;
  return {{"items", stats.items},
          {"by_type", counts(stats.by_type)},
          {"by_campaign", counts(stats.by_campaign)},
          {"by_year", counts(stats.by_year)},
          {"failed_sources", stats.failed_sources},
          {"restricted", stats.restricted},
          {"by_access", counts(stats.by_access)},
          {"ocr_pages", stats.ocr_pages},
          {"repaired_pages", stats.repaired_pages},
          {"failures", failures},
          {"unknown_campaigns", counts(details.unknown_campaigns)},
          {"unknown_places", counts(details.unknown_places)}};
}

std::string stats_table(const ArchiveStats& stats, const StatsDetails& details) {
  std::ostringstream out;
  out << "items           " << stats.items << "\n";
  out << "failed sources  " << stats.failed_sources << "\n";
  out << "restricted      " << stats.restricted << "\n";
  out << "OCR'd pages     " << stats.ocr_pages << "\n";
  out << "repaired pages  " << stats.repaired_pages << "\n";
  table_section(out, "by type", stats.by_type);
  table_section(out, "by campaign", stats.by_campaign);
  table_section(out, "by year", stats.by_year);
  table_section(out, "restricted, by group", stats.by_access);
  if (stats.failed_sources > 0) {
    out << "\nfailed sources (imported again once changed, or with --retry-failed)\n";
    if (details.failures_busy) out << "  (an import is running; ask again when it is done)\n";
    for (const StatsDetails::Failure& failure : details.failures)
      out << "  " << failure.source << "\n    " << failure.error << "\n";
  }
  if (!details.unknown_campaigns.empty())
    table_section(out, "campaigns the configuration does not know (kept as written)",
                  details.unknown_campaigns);
  if (!details.unknown_places.empty())
    table_section(out, "places the gazetteer does not know (kept as written, not published)",
                  details.unknown_places);
  return out.str();
}

}  // namespace mediateka::indexer
