// libFuzzer target: the text repairs every extracted text passes (media/text_repair.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "text_repair.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)mediateka::media::repair_text(text);
  return 0;
}
