// Content checksums of source files: XXH3 128-bit, as 32 lower-case hex digits.
// Fast enough (several GB/s) that hashing a video costs about as much as reading it.
#pragma once

#include <filesystem>
#include <string>

namespace mediateka::indexer {

// Throws std::runtime_error naming the file when it cannot be read.
std::string file_checksum(const std::filesystem::path& file);

}  // namespace mediateka::indexer
