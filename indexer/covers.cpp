#include "covers.h"

#include <xxhash.h>

#include <cstdio>

namespace mediateka::indexer {

namespace fs = std::filesystem;

fs::path cover_file(const fs::path& thumbs_dir, const std::string& id) {
  return thumbs_dir / (id + ".png");
}

void remove_cover(const fs::path& thumbs_dir, const std::string& id) {
  std::error_code ignored;
  fs::remove(cover_file(thumbs_dir, id), ignored);
}

void CoverShelf::prepare() const {
  fs::create_directories(thumbs_dir_);
  for (const fs::directory_entry& entry : fs::directory_iterator(thumbs_dir_)) {
    if (entry.path().filename().string().rfind(".pending-", 0) == 0) {
      std::error_code ignored;
      fs::remove(entry.path(), ignored);
    }
  }
}

fs::path CoverShelf::pending(const std::string& source_key) const {
  char name[40];
  std::snprintf(name, sizeof name, ".pending-%016llx.png",
                static_cast<unsigned long long>(XXH3_64bits(source_key.data(), source_key.size())));
  return thumbs_dir_ / name;
}

void CoverShelf::place(const fs::path& pending, const media::CoverOutcome& outcome,
                       const std::string& id, std::vector<std::string>& warnings) const {
  if (!enabled()) return;
  using Status = media::CoverOutcome::Status;
  std::error_code error;
  if (outcome.status == Status::made) {
    fs::rename(pending, cover_file(thumbs_dir_, id), error);
    if (!error) return;
    warnings.push_back("no cover: cannot store it: " + error.message());
  } else if (outcome.status == Status::failed) {
    warnings.push_back("no cover: " + outcome.error);
  }
  discard(pending);
  remove(id);
}

void CoverShelf::discard(const fs::path& pending) {
  if (pending.empty()) return;
  std::error_code ignored;
  fs::remove(pending, ignored);
}

void CoverShelf::remove(const std::string& id) const {
  if (enabled()) remove_cover(thumbs_dir_, id);
}

}  // namespace mediateka::indexer
