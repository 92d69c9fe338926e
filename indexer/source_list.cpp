#include "source_list.h"

#include <algorithm>
#include <set>

#include "inference.h"

namespace mediateka::indexer {
namespace fs = std::filesystem;
namespace {

bool is_hidden(const fs::path& path) {
  std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

fs::path absolute_path(const fs::path& path) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(fs::absolute(path), error);
  return error ? fs::absolute(path).lexically_normal() : canonical;
}

std::vector<std::string> folder_names(const fs::path& root, const fs::path& relative) {
  std::vector<std::string> folders;
  std::string root_name = absolute_path(root).filename().string();
  if (!root_name.empty()) folders.push_back(root_name);
  for (const fs::path& part : relative.parent_path()) {
    if (part != "." && !part.empty()) folders.push_back(part.string());
  }
  return folders;
}

Source local_source(const fs::path& root, const fs::path& root_as_given, const fs::path& relative) {
  Source source;
  source.display = (root_as_given / relative).lexically_normal().generic_string();
  source.file = absolute_path(root / relative).string();
  source.relative_path = relative.lexically_normal().generic_string();
  source.folders = folder_names(root, relative);
  return source;
}

Source remote_source(const std::string& url) {
  Source source;
  source.display = url;
  source.url = url;
  return source;
}

std::vector<fs::path> walk(const fs::path& folder) {
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(folder, fs::directory_options::skip_permission_denied);
  for (; it != fs::recursive_directory_iterator(); ++it) {
    if (is_hidden(it->path())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    std::error_code error;
    if (it->is_regular_file(error) && importable_kind(it->path())) {
      files.push_back(fs::relative(it->path(), folder));
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class SourceCollector {
 public:
  void add(Source source) {
    if (keys_.insert(source.key()).second) sources_.push_back(std::move(source));
  }
  std::vector<Source> take() { return std::move(sources_); }

 private:
  std::set<std::string> keys_;
  std::vector<Source> sources_;
};

}  // namespace

bool is_url(std::string_view text) {
  return text.substr(0, 7) == "http://" || text.substr(0, 8) == "https://";
}

std::vector<Source> collect_sources(const std::vector<std::string>& inputs, Manifest* manifest) {
  SourceCollector collector;
  if (manifest) {
    fs::path folder_as_given = manifest->file.parent_path();
    fs::path folder = folder_as_given.empty() ? fs::path(".") : folder_as_given;
    for (ManifestEntry& entry : manifest->entries) {
      Source source = is_url(entry.source) ? remote_source(entry.source)
                                           : local_source(folder, folder_as_given, entry.source);
      source.entry = std::make_shared<const ManifestEntry>(std::move(entry));
      collector.add(std::move(source));
    }
    manifest->entries = {};
  }
  for (const std::string& input : inputs) {
    if (is_url(input)) {
      collector.add(remote_source(input));
      continue;
    }
    fs::path path(input);
    std::error_code error;
    fs::file_status status = fs::status(path, error);
    if (error || !fs::exists(status)) throw SourceListError(input + ": no such file or folder");
    if (fs::is_directory(status)) {
      try {
        for (const fs::path& relative : walk(path)) {
          collector.add(local_source(path, path, relative));
        }
      } catch (const fs::filesystem_error& walk_error) {
        throw SourceListError(input + ": " + walk_error.code().message());
      }
    } else {
      fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
      collector.add(local_source(parent, path.parent_path(), path.filename()));
    }
  }
  return collector.take();
}

std::vector<fs::path> prune_roots(const std::vector<std::string>& inputs,
                                  const Manifest* manifest) {
  std::vector<fs::path> roots;
  if (manifest) roots.push_back(absolute_path(manifest->file).parent_path());
  for (const std::string& input : inputs) {
    std::error_code error;
    if (!is_url(input) && fs::is_directory(input, error)) roots.push_back(absolute_path(input));
  }
  return roots;
}

}  // namespace mediateka::indexer
