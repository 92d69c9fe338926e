// libFuzzer target: the desk's multipart/form-data parser (search-server/desk/multipart.h), fed
// the input as a request body in pieces whose sizes the first byte chooses, under small limits.
// A form it hands over must keep the limits, its files' sizes must be what is on disk, and once
// the form and the parser are gone the incoming folder must be empty again (a failed or
// abandoned upload leaves nothing behind).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "desk/multipart.h"

namespace server = mediateka::server;

namespace {

char multipart_folder[] = "/tmp/mediateka-fuzz-multipart-XXXXXX";

const std::filesystem::path& incoming_folder() {
  static const std::filesystem::path folder = [] {
    if (!mkdtemp(multipart_folder)) std::abort();
    std::atexit([] { std::filesystem::remove_all(multipart_folder); });
    return std::filesystem::path(multipart_folder);
  }();
  return folder;
}

bool folder_is_empty(const std::filesystem::path& folder) {
  return std::filesystem::directory_iterator(folder) == std::filesystem::directory_iterator();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::filesystem::path& folder = incoming_folder();
  server::MultipartLimits limits;
  limits.field_bytes = 64;
  limits.parts = 4;
  limits.part_head_bytes = 128;
  const std::size_t step = 1 + data[0] % 32;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  {
    server::MultipartParser parser("b0undary", folder, limits);
    bool ok = true;
    for (std::size_t at = 0; ok && at < body.size(); at += step)
      ok = parser.feed(body.substr(at, step));
    if (ok && parser.finish()) {
      const auto form = parser.take_form();
      if (!form || form->fields.size() + form->files.size() > limits.parts ||
          form->field_list.size() + form->files.size() > limits.parts)
        __builtin_trap();
      for (const auto& [name, value] : form->field_list)
        if (name.empty() || value.size() > limits.field_bytes) __builtin_trap();
      for (const auto& file : form->files)
        if (file.path.parent_path() != folder || std::filesystem::file_size(file.path) != file.size)
          __builtin_trap();
    } else if (!parser.error() || parser.take_form()) {
      __builtin_trap();
    }
  }
  if (!folder_is_empty(folder)) __builtin_trap();
  return 0;
}
