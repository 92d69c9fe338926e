// libFuzzer target: the bytes of a connection cut into requests
// (search-server/http/request_framing.h), fed in pieces whose sizes the first byte chooses, under
// small limits. Every request taken must keep the limits and start with a request line the framer
// accepts. Uploads to the desk (desk/upload_gate.h is_upload_request) are admitted into a sink that
// counts their bytes: no more than declared may reach it, and their request then comes with
// "Content-Length: 0".
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "desk/upload_gate.h"
#include "http/request_framing.h"

namespace server = mediateka::server;

namespace {

struct CountingSink : server::BodySink {
  std::uint64_t bytes = 0;
  std::optional<server::FramingError> write(std::string_view more) override {
    bytes += more.size();
    return std::nullopt;
  }
  std::optional<server::FramingError> finish() override { return std::nullopt; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const server::FramingLimits limits{64, 128, 32};
  const std::size_t step = 1 + data[0] % 16;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  server::RequestFramer framer(limits, server::is_upload_request);
  std::shared_ptr<CountingSink> sink;
  std::uint64_t declared = 0;
  for (std::size_t at = 0; at < bytes.size() && !framer.closed(); at += step) {
    framer.append(bytes.substr(at, step));
    for (;;) {
      const server::RequestFramer::Next next = framer.next();
      if (next.error && (next.error->status < 400 || next.error->status > 505)) __builtin_trap();
      if (next.streamed) {
        if (next.streamed->head.size() > limits.head) __builtin_trap();
        declared = next.streamed->content_length.value_or(0);
        sink = std::make_shared<CountingSink>();
        framer.admit(sink);
        continue;
      }
      if (sink && sink->bytes > declared) __builtin_trap();
      if (!next.request) break;
      const std::string& request = *next.request;
      const std::size_t line_end = request.find("\r\n");
      if (line_end == std::string::npos ||
          server::check_request_line(std::string_view(request).substr(0, line_end),
                                     limits.request_line))
        __builtin_trap();
      if (next.body) {
        if (next.body != sink || sink->bytes != declared ||
            request.find("\r\n\r\n") != request.size() - 4)
          __builtin_trap();
        sink.reset();
      } else if (request.size() > limits.head + limits.body) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
