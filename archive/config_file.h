// The configuration file (config/mediateka.toml) parsed, for the code that reads a section of it:
// archive/config.cpp the core's sections (config.h), each program its own ones
// (search-server/oai_settings.h [oai], media/media_settings.h [ocr] and [extraction]). It
// includes toml++: include it only where a section is read, never in a header.
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <string>

namespace mediateka {

class ConfigFile {
 public:
  // Reads and parses `path`; throws ConfigError (config.h) naming the file and, for a syntax
  // error, the line and column.
  explicit ConfigFile(const std::string& path);

  const std::string& path() const { return path_; }
  const toml::table& root() const { return root_; }

  // A path written in the file, resolved against the file's folder unless absolute.
  std::string resolved(const std::string& value) const;

  // Throws ConfigError("PATH: what").
  [[noreturn]] void fail(const std::string& what) const;

  // TABLE.KEY, when present, must be a whole number min..max; it is then stored in `value`.
  void number_in(const char* table, const char* key, int min, int max, int& value) const;

 private:
  std::string path_;
  std::filesystem::path base_;
  toml::table root_;
};

}  // namespace mediateka
