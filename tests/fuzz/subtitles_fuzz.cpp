// libFuzzer target: SubRip and WebVTT subtitles (media/subtitles.h).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "subtitles.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> warnings;
  (void)mediateka::media::parse_subtitles(text, "fuzz.srt", warnings);
  (void)mediateka::media::parse_subtitle_time(text.substr(0, 64));
  return 0;
}
