// Files for tests: a temporary folder removed with all it holds, and whole-file reads and writes.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <system_error>

namespace mediateka::test {

// How TemporaryFolder::path() is spelled: as mkdtemp made it under the temporary directory, or
// with every symbolic link on the way resolved (realpath), as the importer records paths.
enum class FolderPath { as_made, canonical };

// A new folder named `prefix` and six random characters under the temporary directory,
// removed with all it holds when the object goes.
class TemporaryFolder {
 public:
  explicit TemporaryFolder(const std::string& prefix = "mediateka-test-",
                           FolderPath spelling = FolderPath::as_made) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = spelling == FolderPath::canonical ? std::filesystem::canonical(pattern)
                                              : std::filesystem::path(pattern);
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes `bytes` to `file`, making the folders on the way.
inline void write_file(const std::filesystem::path& file, const std::string& bytes) {
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The whole of `file`, or "" when it cannot be read.
inline std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace mediateka::test
