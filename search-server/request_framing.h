// Cuts the bytes of one connection into whole requests before Pistache's parser sees them, and
// refuses at once what cannot become a request we answer.
//
// Why not Pistache's parser alone (0.0.5): it waits for more bytes, until the header timeout,
// on a request line without spaces or a header line without a colon; it holds a request's body
// in the same bounded buffer as its head, so a declared 50 MB body is refused only when the
// buffer overflows (413 for a long URL too); it accepts any version that is a prefix of
// "HTTP/1.0"; and it drops whatever follows a request in the same read (pipelined requests).
// The framer reads the request line and the header section itself and hands Pistache exactly
// one request at a time.
//
// Not thread-safe: one per connection, used by its reactor thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mediateka::server {

struct FramingLimits {
  std::size_t request_line = 12 * 1024;  // method, target and version: else 414
  std::size_t head = 16 * 1024;          // request line and headers with their CRLFs: else 431
  std::size_t body = 64 * 1024;          // declared Content-Length: else 413
};

// A refusal: answered with `status` and the contract's JSON error, then the connection closes.
struct FramingError {
  int status = 400;
  std::string code;
  std::string message;
};

class RequestFramer {
 public:
  explicit RequestFramer(FramingLimits limits = {}) : limits_(limits) {}

  // Adds bytes received; ignored once the framer is closed.
  void append(std::string_view bytes);

  // The next whole request (request line, headers, body) taken from the bytes received; neither
  // while more bytes are needed; an error once, after which the framer is closed.
  struct Next {
    std::optional<std::string> request;
    std::optional<FramingError> error;
  };
  Next next();

  // Waits for no byte of a request (nothing received since the last request taken).
  bool idle() const { return pending_.empty(); }
  // After an error, or close(): every later byte is ignored.
  bool closed() const { return closed_; }
  void close();

 private:
  Next fail(int status, std::string code, std::string message);

  FramingLimits limits_;
  std::string pending_;
  bool closed_ = false;
};

// "GET /a?b=1 HTTP/1.1" → nullopt when it is a request line we serve; otherwise the refusal
// (400 malformed, 414 too long, 505 another HTTP version).
std::optional<FramingError> check_request_line(std::string_view line, std::size_t limit);

}  // namespace mediateka::server
