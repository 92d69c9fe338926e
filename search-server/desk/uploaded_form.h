// What a streamed upload to the librarian's desk hands its handler (routes.h ApiRequest::form):
// the small text fields in memory, the files as temporary files under the desk's incoming folder
// (desk_dir(config) + "/incoming"), already on disk when the handler runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace mediateka::server {

struct UploadedFile {
  std::string field;           // the form field's name ("file", "manifest")
  std::string filename;        // as the client sent it: for display only, never a path
  std::filesystem::path path;  // the temporary file; empty once take() moved it away
  std::uint64_t size = 0;
  std::string content_type;  // as the client sent it ("" when it sent none)
};

// Owns its temporary files: the destructor removes those that no handler took. Not thread-safe.
struct UploadedForm {
  UploadedForm() = default;
  UploadedForm(const UploadedForm&) = delete;
  UploadedForm& operator=(const UploadedForm&) = delete;
  ~UploadedForm();

  // The first value of each text field (a field sent more than once: see field_list).
  std::map<std::string, std::string> fields;
  // Every text field in the order sent, repeats included (several "campaigns" check boxes).
  std::vector<std::pair<std::string, std::string>> field_list;
  std::vector<UploadedFile> files;

  // The text of field `name`, or `fallback` when it was not sent.
  std::string field(const std::string& name, const std::string& fallback = {}) const;
  // The first file sent in field `name`, or nullptr.
  UploadedFile* file(const std::string& name);
  const UploadedFile* file(const std::string& name) const;
  // Moves `file`'s temporary file to `destination` (a rename: the same file system as the
  // incoming folder, e.g. elsewhere under desk_dir()) and forgets it, so the destructor leaves it.
  // Throws std::filesystem::filesystem_error when the rename fails (the file then stays owned).
  void take(UploadedFile& file, const std::filesystem::path& destination);
};

}  // namespace mediateka::server
