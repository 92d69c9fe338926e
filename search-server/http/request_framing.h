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
// Uploads to the librarian's desk are the exception (desk/upload_gate.h): for a request the
// `streamed` predicate picks on its head alone, the framer hands over the head first, then
// streams the body, as it arrives, to the sink the caller admits it with (or nothing is read when
// the caller refuses it), and hands the head over once more with "Content-Length: 0" when the
// body has all gone to the sink. Only such requests escape the body limit.
//
// Not thread-safe: one per connection, used by its reactor thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
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

// Where a streamed body goes: every byte of it, in order, as it arrives; an error refuses the
// request (answered with it, and the connection closes).
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual std::optional<FramingError> write(std::string_view bytes) = 0;
  // The last byte declared by Content-Length has been written.
  virtual std::optional<FramingError> finish() = 0;
};

// Whether a request's body is streamed instead of framed, from its method, raw target and
// Content-Type (desk/upload_gate.h is_upload_request).
using StreamedRequestTest = bool (*)(std::string_view method, std::string_view target,
                                     std::string_view content_type);

class RequestFramer {
 public:
  explicit RequestFramer(FramingLimits limits = {}, StreamedRequestTest streamed = nullptr)
      : limits_(limits), streamed_(streamed) {}

  // Adds bytes received; ignored once the framer is closed.
  void append(std::string_view bytes);

  // The next whole request (request line, headers, body) taken from the bytes received; neither
  // while more bytes are needed; an error once, after which the framer is closed.
  //
  // For a request whose body is streamed: first `streamed`, its head alone; nothing more comes
  // until the caller calls admit() (or close() to refuse it). Then, once the whole body went to
  // the sink, `request` is the head with "Content-Length: 0" and `body` is the sink.
  struct StreamedHead {
    std::string head;  // the request line and headers, up to and with the blank line
    std::optional<std::uint64_t> content_length;  // as declared; none when the head has none
  };
  struct Next {
    std::optional<std::string> request;
    std::optional<FramingError> error;
    std::optional<StreamedHead> streamed;
    std::shared_ptr<BodySink> body;  // with `request`, for a streamed body
  };
  Next next();

  // Streams the body of the request last returned as `streamed` to `sink` (content_length bytes;
  // none when it declared none).
  void admit(std::shared_ptr<BodySink> sink);

  // Waits for no byte of a request (nothing received since the last request taken).
  bool idle() const { return pending_.empty() && mode_ == Mode::framing; }
  // Between a streamed head and the end of its body (or a refusal).
  bool streaming() const { return mode_ != Mode::framing; }
  // After an error, or close(): every later byte is ignored.
  bool closed() const { return closed_; }
  void close();

 private:
  enum class Mode { framing, awaiting_admission, streaming };

  Next fail(int status, std::string code, std::string message);
  Next stream_body();

  FramingLimits limits_;
  StreamedRequestTest streamed_;
  std::string pending_;
  bool closed_ = false;
  Mode mode_ = Mode::framing;
  std::string streamed_head_;         // the streamed request's head, with Content-Length: 0
  std::uint64_t body_remaining_ = 0;  // bytes of the streamed body still to come
  std::shared_ptr<BodySink> sink_;
};

// "GET /a?b=1 HTTP/1.1" → nullopt when it is a request line we serve; otherwise the refusal
// (400 malformed, 414 too long, 505 another HTTP version).
std::optional<FramingError> check_request_line(std::string_view line, std::size_t limit);

}  // namespace mediateka::server
