// The sources one import run covers: files found under the given paths, URLs, and the
// rows of a manifest, in a deterministic order, each once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "manifest.h"

namespace mediateka::indexer {

struct Source {
  std::string display;  // as the librarian named it: root as given + relative path, or URL
  std::string url;      // a remote source; empty for a local file
  // Absolute, canonical path of a local file. A string, not a path: a run holds every source at
  // once, and a path keeps a list of its components besides (~350 bytes more per source).
  std::string file;
  std::string relative_path;         // '/'-separated, from the import root or the manifest's folder
  std::vector<std::string> folders;  // for inference: the root's own name, then the subfolders
  std::shared_ptr<const ManifestEntry> entry;  // its manifest row; null without one

  bool remote() const { return !url.empty(); }
  // The key the index knows the source by (IndexWriter::source_key): URL or absolute path.
  std::string key() const { return remote() ? url : file; }
};

// The sources of a run, in order, packed: a Source with its manifest row is a dozen allocations
// and ~1.1 KB, packed it is ~0.4 KB in large shared blocks, and a run may have hundreds of
// thousands of sources. Each is unpacked anew when it is taken.
class SourceList {
 public:
  void push_back(const Source& source);
  std::size_t size() const { return places_.size(); }
  bool empty() const { return places_.empty(); }
  Source operator[](std::size_t index) const;

 private:
  struct Place {
    std::uint32_t block;
    std::uint32_t offset;
  };
  std::vector<std::string> blocks_;  // packed sources one after another, ~1 MB a block
  std::vector<Place> places_;        // where each source starts
};

// A path given on the command line that does not exist, and the like: a usage error.
struct SourceListError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool is_url(std::string_view text);

// Folders are walked recursively in name order; a walk takes files with an importable
// extension (inference.h) and skips hidden files and folders and .srt/.vtt sidecars.
// A file named directly, or in the manifest, is always attempted. The first mention
// of a source wins; manifest rows come first so their metadata applies. The manifest's rows are
// moved into the sources (each row is then held once, by its source), leaving `manifest` without
// entries.
SourceList collect_sources(const std::vector<std::string>& inputs, Manifest* manifest);

// Roots whose vanished files --prune may remove: the folders given and the manifest's folder.
std::vector<std::filesystem::path> prune_roots(const std::vector<std::string>& inputs,
                                               const Manifest* manifest);

}  // namespace mediateka::indexer
