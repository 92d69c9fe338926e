#include "checksum.h"

#include <xxhash.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

namespace mediateka::indexer {

std::string file_checksum(const std::filesystem::path& file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"), std::fclose);
  if (!in) throw std::runtime_error("cannot read " + file.string() + ": " + std::strerror(errno));
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(XXH3_createState(),
                                                                        XXH3_freeState);
  if (!state || XXH3_128bits_reset(state.get()) != XXH_OK) throw std::bad_alloc();

  std::vector<char> buffer(1 << 20);
  std::size_t count;
  while ((count = std::fread(buffer.data(), 1, buffer.size(), in.get())) > 0) {
    XXH3_128bits_update(state.get(), buffer.data(), count);
  }
  if (std::ferror(in.get())) {
    throw std::runtime_error("cannot read " + file.string() + ": " + std::strerror(errno));
  }
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(state.get()));
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : canonical.digest) {
    hex += kHex[byte >> 4];
    hex += kHex[byte & 15];
  }
  return hex;
}

}  // namespace mediateka::indexer
