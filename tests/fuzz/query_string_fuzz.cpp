// libFuzzer target: a request URL's query string (search-server/http/query_string.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/api_error.h"
#include "http/query_string.h"

namespace server = mediateka::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)server::percent_decode(text);
  try {
    const server::QueryParameters parameters = server::QueryParameters::parse(text);
    for (const auto& [name, value] : parameters.entries()) {
      (void)parameters.all(name);
      try {
        (void)parameters.single(name);
      } catch (const server::ApiError&) {
      }
    }
  } catch (const server::ApiError&) {
  }
  return 0;
}
