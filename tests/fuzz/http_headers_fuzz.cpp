// libFuzzer target: Range, dates and entity tags of requests
// (search-server/http/http_validators.h). The input is a header value; its first byte, when there
// is one, picks the representation's size for the Range.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/http_validators.h"

namespace server = mediateka::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::int64_t sizes[] = {0, 1, 100, 1 << 20, INT64_MAX};
  for (const std::int64_t length : sizes) {
    const server::RangeDecision range = server::decide_range(text, length);
    if (range.kind == server::RangeDecision::partial &&
        (range.first < 0 || range.first > range.last || range.last >= length))
      __builtin_trap();
  }
  if (const auto date = server::parse_http_date(text)) (void)server::http_date(*date);
  (void)server::etag_list_matches(text, "\"abc\"");
  (void)server::etag_list_matches(text, "W/\"abc\"");
  return 0;
}
