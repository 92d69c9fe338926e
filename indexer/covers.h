// The covers of stored items: <thumbs_dir>/<id>.png. The extraction worker renders a cover
// before its item has an id, as <thumbs_dir>/.pending-<hash of the source key>.png; the import
// publishes it under the id once the item is stored, or throws it away.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "isolated_extractor.h"

namespace mediateka::indexer {

// <thumbs_dir>/<id>.png, and its removal (no error when there is none).
std::filesystem::path cover_file(const std::filesystem::path& thumbs_dir, const std::string& id);
void remove_cover(const std::filesystem::path& thumbs_dir, const std::string& id);

class CoverShelf {
 public:
  // Empty `thumbs_dir`: no covers are made.
  explicit CoverShelf(std::filesystem::path thumbs_dir) : thumbs_dir_(std::move(thumbs_dir)) {}

  bool enabled() const { return !thumbs_dir_.empty(); }
  // Creates the folder and removes the pending files a killed run left. Call it once the index
  // is locked, so that no other import is rendering into the folder.
  void prepare() const;
  // Where the worker renders the cover of the source with this key.
  std::filesystem::path pending(const std::string& source_key) const;
  // Publishes the pending cover of a stored item, or withdraws its cover (an older one would
  // show the file as it was); a failed cover becomes a warning.
  void place(const std::filesystem::path& pending, const media::CoverOutcome& outcome,
             const std::string& id, std::vector<std::string>& warnings) const;
  // Throws a pending cover away (its item was not stored).
  static void discard(const std::filesystem::path& pending);
  void remove(const std::string& id) const;

 private:
  std::filesystem::path thumbs_dir_;
};

}  // namespace mediateka::indexer
