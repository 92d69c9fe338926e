// libFuzzer target: the bytes of a connection cut into requests (search-server/request_framing.h),
// fed in pieces whose sizes the first byte chooses, under small limits. Every request taken must
// keep the limits and start with a request line the framer accepts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "request_framing.h"

namespace server = mediateka::server;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const server::FramingLimits limits{64, 128, 32};
  const std::size_t step = 1 + data[0] % 16;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  server::RequestFramer framer(limits);
  for (std::size_t at = 0; at < bytes.size() && !framer.closed(); at += step) {
    framer.append(bytes.substr(at, step));
    for (;;) {
      const server::RequestFramer::Next next = framer.next();
      if (next.error && (next.error->status < 400 || next.error->status > 505)) __builtin_trap();
      if (!next.request) break;
      const std::string& request = *next.request;
      const std::size_t line_end = request.find("\r\n");
      if (request.size() > limits.head + limits.body || line_end == std::string::npos ||
          server::check_request_line(std::string_view(request).substr(0, line_end),
                                     limits.request_line))
        __builtin_trap();
    }
  }
  return 0;
}
