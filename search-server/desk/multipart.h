// A streaming parser of multipart/form-data (RFC 7578, on RFC 2046's multipart syntax) for the
// librarian's desk: fed the body of a request chunk by chunk, split anywhere (a boundary may
// straddle two chunks), it keeps small text fields in memory, within limits, and writes each file
// part straight to a temporary file of its own in the incoming folder, so that no file is ever
// held in memory. A form it has not handed over (an error, a parser dropped mid-body) takes its
// temporary files with it (uploaded_form.h).
//
// Not thread-safe: one per upload, used by the connection's reactor thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "desk/uploaded_form.h"

namespace mediateka::server {

struct MultipartLimits {
  std::size_t field_bytes = 64 * 1024;     // the value of one text field
  std::size_t parts = 100;                 // fields and files together
  std::size_t part_head_bytes = 8 * 1024;  // the headers of one part
};

// Why a body was refused: the HTTP status and the contract's error code and message.
struct MultipartError {
  int status = 400;
  std::string code;
  std::string message;
};

// The boundary of a "multipart/form-data; boundary=..." Content-Type (quoted or not, 1 to 70
// characters of RFC 2046's set), or the error: not multipart/form-data, or no usable boundary.
struct BoundaryOrError {
  std::string boundary;
  std::optional<MultipartError> error;
};
BoundaryOrError multipart_boundary(std::string_view content_type);

// True when `content_type`'s media type is multipart/form-data (any parameters).
bool is_multipart_form_data(std::string_view content_type);

class MultipartParser {
 public:
  // Temporary files are made in `incoming_dir`, which must exist.
  MultipartParser(std::string boundary, std::filesystem::path incoming_dir,
                  MultipartLimits limits = {});
  ~MultipartParser();
  MultipartParser(const MultipartParser&) = delete;
  MultipartParser& operator=(const MultipartParser&) = delete;

  // The next bytes of the body; false on an error (error() says which), after which every call
  // is refused. Bytes after the closing boundary (the epilogue) are ignored.
  bool feed(std::string_view bytes);
  // The body has ended: false when it ended before the closing boundary, or on an earlier error.
  bool finish();
  const std::optional<MultipartError>& error() const { return error_; }

  // The form, once finish() succeeded (null otherwise); its files are closed and complete.
  std::shared_ptr<UploadedForm> take_form();

 private:
  enum class State { preamble, after_boundary, part_head, part_body, epilogue, failed };

  bool fail(int status, std::string code, std::string message);
  bool start_part(std::string_view head);
  bool part_bytes(std::string_view bytes);
  bool end_part();
  bool flush_file();
  void close_file();

  const std::string delimiter_;  // "\r\n--" + boundary
  const std::filesystem::path incoming_dir_;
  const MultipartLimits limits_;
  State state_ = State::preamble;
  std::string buffer_;  // bytes received and not yet consumed: at most a delimiter's or a head's
  std::shared_ptr<UploadedForm> form_;
  std::size_t parts_ = 0;
  // The part being read: a field (its name and value so far) or a file (its descriptor).
  bool in_file_ = false;
  bool skip_file_ = false;  // an empty file input: filename="" (browsers send one) and no bytes
  std::string field_name_;
  std::string field_value_;
  int fd_ = -1;
  std::string write_buffer_;  // file bytes gathered into larger writes
  std::optional<MultipartError> error_;
};

}  // namespace mediateka::server
