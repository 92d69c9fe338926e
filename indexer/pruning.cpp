#include "pruning.h"

#include <algorithm>
#include <optional>
#include <string>
#include <system_error>

#include "source_list.h"

namespace mediateka::indexer {

namespace fs = std::filesystem;
namespace {

// Whether `file` lies under `root` (both absolute, compared component by component).
bool is_under(const fs::path& file, const fs::path& root) {
  auto mismatch = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  return mismatch.first == root.end();
}

}  // namespace

std::string removal_warning(const Item& item) {
  return std::string(item.access.empty() ? "its public page" : "its page (restricted)") + " /i/" +
         item.slug + ", its files and every link to it (clip links, embeds) stop answering; to " +
         "keep them for a new file, import that file with 'replaces' = " + item.id +
         " in its manifest row instead";
}

std::vector<SourceOutcome> prune_vanished(IndexWriter& index, const std::vector<fs::path>& roots,
                                          const CoverShelf& covers, bool dry_run,
                                          const std::set<std::string>& taken_over) {
  auto vanished_under_roots = [&](const std::string& key) {
    if (is_url(key)) return false;
    bool in_scope = false;
    for (const fs::path& root : roots) in_scope = in_scope || is_under(key, root);
    std::error_code error;
    return in_scope && !fs::exists(key, error) && !error;
  };
  std::vector<SourceOutcome> removed;
  for (const std::string& key : index.source_keys()) {
    if (taken_over.count(key) || !vanished_under_roots(key)) continue;
    std::optional<Item> item = index.find_by_source(key);
    if (!item) continue;
    if (!dry_run) {
      index.remove(item->id);
      covers.remove(item->id);
    }
    SourceOutcome outcome;
    outcome.source = key;
    outcome.id = item->id;
    outcome.status = ImportStatus::removed;
    outcome.warnings.push_back(removal_warning(*item));
    removed.push_back(std::move(outcome));
  }
  if (dry_run) return removed;
  for (const auto& [key, failure] : index.failures()) {
    if (vanished_under_roots(key)) index.clear_failure(key);
  }
  return removed;
}

}  // namespace mediateka::indexer
