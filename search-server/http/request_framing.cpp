#include "http/request_framing.h"

#include <algorithm>
#include <cctype>

namespace mediateka::server {

namespace {

// Longer than any method we know (OPTIONS), short enough to tell garbage early.
constexpr std::size_t kMaxMethodBytes = 16;
// Content-Length digits beyond which the number cannot be one we accept anyway.
constexpr std::size_t kMaxLengthDigits = 18;

// RFC 9110 token characters (methods, header names).
bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

bool equals_lower_case(std::string_view text, std::string_view lower) {
  return text.size() == lower.size() &&
         std::equal(text.begin(), text.end(), lower.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

FramingError malformed(std::string message) {
  return {400, "bad_request", "malformed HTTP request: " + std::move(message)};
}

// The start of a request line still without its end: refused as soon as it cannot become one.
std::optional<FramingError> check_partial_line(std::string_view bytes, std::size_t limit) {
  const std::size_t space = bytes.find(' ');
  const std::string_view method = bytes.substr(0, std::min(space, bytes.size()));
  if (method.size() > kMaxMethodBytes || !std::all_of(method.begin(), method.end(), is_token_char))
    return malformed("the request line does not start with a method");
  if (bytes.size() > limit) {
    if (space == std::string_view::npos) return malformed("the request line has no target");
    return FramingError{414, "uri_too_long",
                        "the request line exceeds " + std::to_string(limit) + " bytes"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<FramingError> check_request_line(std::string_view line, std::size_t limit) {
  if (line.size() > limit)
    return FramingError{414, "uri_too_long",
                        "the request line exceeds " + std::to_string(limit) + " bytes"};
  const std::size_t first_space = line.find(' ');
  const std::size_t last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || last_space == first_space)
    return malformed("the request line is not METHOD TARGET VERSION");
  const std::string_view method = line.substr(0, first_space);
  const std::string_view target = line.substr(first_space + 1, last_space - first_space - 1);
  const std::string_view version = line.substr(last_space + 1);
  if (!is_token(method) || method.size() > kMaxMethodBytes)
    return malformed("the method is not a word");
  if (target.empty() || std::any_of(target.begin(), target.end(), [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || c == '\x7f';
      }))
    return malformed("the target is empty or holds spaces or control characters");
  const bool http_version = version.size() == 8 && version.substr(0, 5) == "HTTP/" &&
                            std::isdigit(static_cast<unsigned char>(version[5])) &&
                            version[6] == '.' &&
                            std::isdigit(static_cast<unsigned char>(version[7]));
  if (!http_version) return malformed("the version is not HTTP/x.y");
  if (version != "HTTP/1.1" && version != "HTTP/1.0")
    return FramingError{505, "http_version_not_supported",
                        std::string(version) + " is not supported; use HTTP/1.1"};
  return std::nullopt;
}

void RequestFramer::append(std::string_view bytes) {
  if (!closed_) pending_.append(bytes);
}

void RequestFramer::close() {
  closed_ = true;
  pending_.clear();
  pending_.shrink_to_fit();
  mode_ = Mode::framing;
  streamed_head_.clear();
  sink_.reset();  // a body streamed in part: the sink drops what it stored
}

void RequestFramer::admit(std::shared_ptr<BodySink> sink) {
  if (closed_ || mode_ != Mode::awaiting_admission) return;
  sink_ = std::move(sink);
  mode_ = Mode::streaming;
}

RequestFramer::Next RequestFramer::stream_body() {
  if (!pending_.empty() && body_remaining_ > 0) {
    const std::size_t taken =
        static_cast<std::size_t>(std::min<std::uint64_t>(body_remaining_, pending_.size()));
    if (auto error = sink_->write(std::string_view(pending_).substr(0, taken)))
      return fail(error->status, error->code, error->message);
    pending_.erase(0, taken);
    body_remaining_ -= taken;
  }
  if (body_remaining_ > 0) return {};
  if (auto error = sink_->finish()) return fail(error->status, error->code, error->message);
  Next found;
  found.request = std::move(streamed_head_);
  found.body = std::move(sink_);
  streamed_head_.clear();
  mode_ = Mode::framing;
  return found;
}

RequestFramer::Next RequestFramer::fail(int status, std::string code, std::string message) {
  close();
  Next failed;
  failed.error = FramingError{status, std::move(code), std::move(message)};
  return failed;
}

RequestFramer::Next RequestFramer::next() {
  if (closed_ || mode_ == Mode::awaiting_admission) return {};
  if (mode_ == Mode::streaming) return stream_body();
  // Empty lines before a request line are ignored (RFC 9112, 2.2).
  const std::size_t start = pending_.find_first_not_of("\r\n");
  pending_.erase(0, std::min(start, pending_.size()));
  if (pending_.empty()) return {};

  const std::size_t line_end = pending_.find('\n');
  if (line_end == std::string::npos) {
    if (auto error = check_partial_line(pending_, limits_.request_line))
      return fail(error->status, error->code, error->message);
    return {};
  }
  if (line_end == 0 || pending_[line_end - 1] != '\r')
    return fail(400, "bad_request", "malformed HTTP request: lines must end with CRLF");
  if (auto error = check_request_line(std::string_view(pending_).substr(0, line_end - 1),
                                      limits_.request_line))
    return fail(error->status, error->code, error->message);

  const std::size_t head_end = pending_.find("\r\n\r\n", line_end - 1);
  const std::size_t head_size = head_end == std::string::npos ? pending_.size() : head_end + 4;
  if (head_size > limits_.head)
    return fail(431, "headers_too_large",
                "the request line and headers exceed " + std::to_string(limits_.head) + " bytes");
  // Every line so far must end with CRLF, even before the head is complete.
  const std::size_t checked_end = std::min(head_size, pending_.size());
  for (std::size_t at = pending_.find('\n', line_end + 1); at < checked_end;
       at = pending_.find('\n', at + 1)) {
    if (pending_[at - 1] != '\r')
      return fail(400, "bad_request", "malformed HTTP request: lines must end with CRLF");
  }
  if (head_end == std::string::npos) return {};

  std::optional<std::size_t> content_length;
  std::string_view content_type;
  // The head as a streamed request is served: its Content-Length lines say 0.
  std::string zero_length_head = pending_.substr(0, line_end + 1);
  for (std::size_t at = line_end + 1; at < head_end + 2;) {
    const std::size_t end = pending_.find("\r\n", at);
    const std::string_view header = std::string_view(pending_).substr(at, end - at);
    at = end + 2;
    const std::size_t colon = header.find(':');
    if (colon == std::string_view::npos || !is_token(header.substr(0, colon)))
      return fail(400, "bad_request", "malformed HTTP request: a header line is not NAME: VALUE");
    const std::string_view name = header.substr(0, colon);
    const std::string_view value = trimmed(header.substr(colon + 1));
    if (equals_lower_case(name, "transfer-encoding"))
      return fail(411, "length_required",
                  "a request body must come with Content-Length, not Transfer-Encoding");
    if (!equals_lower_case(name, "content-length")) {
      if (equals_lower_case(name, "content-type") && content_type.empty()) content_type = value;
      zero_length_head.append(header).append("\r\n");
      continue;
    }
    zero_length_head.append("Content-Length: 0\r\n");
    if (value.empty() || value.size() > kMaxLengthDigits ||
        !std::all_of(value.begin(), value.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return fail(400, "bad_request", "malformed HTTP request: Content-Length is not a number");
    const std::size_t length = std::stoull(std::string(value));
    if (content_length && *content_length != length)
      return fail(400, "bad_request", "malformed HTTP request: two different Content-Lengths");
    content_length = length;
  }
  if (streamed_) {
    const std::string_view line = std::string_view(pending_).substr(0, line_end - 1);
    const std::size_t space = line.find(' ');
    const std::string_view target = line.substr(space + 1, line.rfind(' ') - space - 1);
    if (streamed_(line.substr(0, space), target, content_type)) {
      Next found;
      found.streamed = StreamedHead{pending_.substr(0, head_end + 4), content_length};
      streamed_head_ = std::move(zero_length_head.append("\r\n"));
      body_remaining_ = content_length.value_or(0);
      pending_.erase(0, head_end + 4);
      mode_ = Mode::awaiting_admission;
      return found;
    }
  }
  const std::size_t body = content_length.value_or(0);
  if (body > limits_.body)
    return fail(413, "request_too_large",
                "the request body exceeds " + std::to_string(limits_.body) + " bytes");
  const std::size_t total = head_end + 4 + body;
  if (pending_.size() < total) return {};
  Next found;
  found.request = pending_.substr(0, total);
  pending_.erase(0, total);
  return found;
}

}  // namespace mediateka::server
