#include "source_list.h"

#include <algorithm>
#include <cstring>
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
  void add(const Source& source) {
    if (keys_.insert(source.key()).second) sources_.push_back(source);
  }
  SourceList take() { return std::move(sources_); }

 private:
  std::set<std::string> keys_;
  SourceList sources_;
};

// A source as bytes: each string as its length (4 bytes) and its bytes, each list as its length
// and its strings, each number as 4 bytes; unpack() reads the fields back in the same order.
class Packer {
 public:
  explicit Packer(std::string& out) : out_(out) {}
  void number(std::int32_t value) { out_.append(reinterpret_cast<const char*>(&value), 4); }
  void text(const std::string& value) {
    number(static_cast<std::int32_t>(value.size()));
    out_ += value;
  }
  void list(const std::vector<std::string>& values) {
    number(static_cast<std::int32_t>(values.size()));
    for (const std::string& value : values) text(value);
  }

 private:
  std::string& out_;
};

class Unpacker {
 public:
  explicit Unpacker(const char* in) : in_(in) {}
  std::int32_t number() {
    std::int32_t value;
    std::memcpy(&value, in_, 4);
    in_ += 4;
    return value;
  }
  std::string text() {
    const auto size = static_cast<std::size_t>(number());
    std::string value(in_, size);
    in_ += size;
    return value;
  }
  std::vector<std::string> list() {
    std::vector<std::string> values(static_cast<std::size_t>(number()));
    for (std::string& value : values) value = text();
    return values;
  }

 private:
  const char* in_;
};

constexpr std::int32_t kAbsent = -1;  // an optional number or type that is not given
constexpr std::size_t kBlockBytes = std::size_t{1} << 20;

void pack(const Source& source, std::string& out) {
  Packer packer(out);
  packer.text(source.display);
  packer.text(source.url);
  packer.text(source.file);
  packer.text(source.relative_path);
  packer.list(source.folders);
  packer.number(source.entry ? 1 : 0);
  if (!source.entry) return;
  const ManifestEntry& entry = *source.entry;
  packer.number(entry.line);
  packer.text(entry.source);
  packer.text(entry.id);
  packer.number(entry.type ? static_cast<std::int32_t>(*entry.type) : kAbsent);
  packer.text(entry.title);
  packer.list(entry.campaigns);
  packer.number(entry.year ? 1 : 0);
  packer.number(entry.year.value_or(0));
  packer.text(entry.date);
  packer.text(entry.project);
  packer.text(entry.series);
  packer.text(entry.issue);
  packer.text(entry.description);
  packer.list(entry.authors);
  packer.text(entry.language);
  packer.list(entry.access);
  packer.list(entry.places);
  packer.text(entry.replaces);
  packer.number(static_cast<std::int32_t>(entry.named));
}

Source unpack(const char* packed) {
  Unpacker unpacker(packed);
  Source source;
  source.display = unpacker.text();
  source.url = unpacker.text();
  source.file = unpacker.text();
  source.relative_path = unpacker.text();
  source.folders = unpacker.list();
  if (unpacker.number() == 0) return source;
  ManifestEntry entry;
  entry.line = unpacker.number();
  entry.source = unpacker.text();
  entry.id = unpacker.text();
  if (const std::int32_t type = unpacker.number(); type != kAbsent)
    entry.type = static_cast<ItemType>(type);
  entry.title = unpacker.text();
  entry.campaigns = unpacker.list();
  const bool has_year = unpacker.number() != 0;
  const std::int32_t year = unpacker.number();
  if (has_year) entry.year = year;
  entry.date = unpacker.text();
  entry.project = unpacker.text();
  entry.series = unpacker.text();
  entry.issue = unpacker.text();
  entry.description = unpacker.text();
  entry.authors = unpacker.list();
  entry.language = unpacker.text();
  entry.access = unpacker.list();
  entry.places = unpacker.list();
  entry.replaces = unpacker.text();
  entry.named = static_cast<std::uint32_t>(unpacker.number());
  source.entry = std::make_shared<const ManifestEntry>(std::move(entry));
  return source;
}

}  // namespace

void SourceList::push_back(const Source& source) {
  std::string packed;
  pack(source, packed);
  if (blocks_.empty() || blocks_.back().size() + packed.size() > blocks_.back().capacity()) {
    blocks_.emplace_back().reserve(std::max(kBlockBytes, packed.size()));
  }
  std::string& block = blocks_.back();
  places_.push_back(
      {static_cast<std::uint32_t>(blocks_.size() - 1), static_cast<std::uint32_t>(block.size())});
  block += packed;
}

Source SourceList::operator[](std::size_t index) const {
  const Place& place = places_[index];
  return unpack(blocks_[place.block].data() + place.offset);
}

bool is_url(std::string_view text) {
  return text.substr(0, 7) == "http://" || text.substr(0, 8) == "https://";
}

SourceList collect_sources(const std::vector<std::string>& inputs, Manifest* manifest) {
  SourceCollector collector;
  if (manifest) {
    fs::path folder_as_given = manifest->file.parent_path();
    fs::path folder = folder_as_given.empty() ? fs::path(".") : folder_as_given;
    for (ManifestEntry& entry : manifest->entries) {
      Source source = is_url(entry.source) ? remote_source(entry.source)
                                           : local_source(folder, folder_as_given, entry.source);
      source.entry = std::make_shared<const ManifestEntry>(std::move(entry));
      collector.add(source);
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
