#include "desk/multipart.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <map>
#include <random>
#include <system_error>

namespace mediateka::server {

namespace fs = std::filesystem;

namespace {

// File bytes are gathered into writes of this size (fewer system calls than the reads' 4 KB).
constexpr std::size_t kWriteBytes = 256 * 1024;
// Spaces allowed after a boundary before its CRLF (RFC 2046 "transport-padding").
constexpr std::size_t kMaxPadding = 256;

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower_case(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// `; key=value; key="quoted \" value"` (RFC 9110 parameters) → lower-cased keys and their values,
// the first of a repeated key; nullopt when malformed.
std::optional<std::map<std::string, std::string>> parse_parameters(std::string_view text) {
  std::map<std::string, std::string> parameters;
  std::size_t at = 0;
  const auto skip_spaces = [&] {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t')) ++at;
  };
  for (;;) {
    skip_spaces();
    if (at == text.size()) return parameters;
    if (text[at] != ';') return std::nullopt;
    ++at;
    skip_spaces();
    if (at == text.size()) return parameters;  // a trailing ';'
    const std::size_t key_start = at;
    while (at < text.size() && is_token_char(text[at])) ++at;
    if (at == key_start) return std::nullopt;
    const std::string key = lower_case(text.substr(key_start, at - key_start));
    skip_spaces();
    if (at == text.size() || text[at] != '=') return std::nullopt;
    ++at;
    skip_spaces();
    std::string value;
    if (at < text.size() && text[at] == '"') {
      ++at;
      for (;;) {
        if (at == text.size()) return std::nullopt;  // no closing quote
        const char c = text[at++];
        if (c == '"') break;
        if (c == '\\' && at < text.size()) {
          value += text[at++];
        } else {
          value += c;
        }
      }
    } else {
      const std::size_t end = std::min(text.find(';', at), text.size());
      value = std::string(trimmed(text.substr(at, end - at)));
      at = end;
    }
    parameters.emplace(key, std::move(value));
  }
}

// "utf-8''%C5%82%C3%B3d%C5%BA.pdf" (RFC 8187, which RFC 7578 tells clients not to send but some
// do) → "łódź.pdf"; nullopt for another charset or a bad escape.
std::optional<std::string> extended_value(std::string_view text) {
  const std::size_t first = text.find('\'');
  if (first == std::string_view::npos || lower_case(text.substr(0, first)) != "utf-8")
    return std::nullopt;
  const std::size_t second = text.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  std::string value;
  for (std::size_t at = second + 1; at < text.size(); ++at) {
    if (text[at] != '%') {
      value += text[at];
      continue;
    }
    if (at + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[at + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(text[at + 2])))
      return std::nullopt;
    value += static_cast<char>(std::stoi(std::string(text.substr(at + 1, 2)), nullptr, 16));
    at += 2;
  }
  return value;
}

// A name for a temporary file that no other upload of any server process gets, even after this
// one was renamed away (so a form never removes a later upload's file of the same name).
std::string temporary_name() {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint64_t salt = [] {
    std::random_device random;
    return (static_cast<std::uint64_t>(random()) << 32) ^ random();
  }();
  char name[96];
  std::snprintf(name, sizeof name, "upload-%ld-%016llx-%llu.part", static_cast<long>(getpid()),
                static_cast<unsigned long long>(salt), static_cast<unsigned long long>(++counter));
  return name;
}

}  // namespace

// --- UploadedForm --------------------------------------------------------------------------------

UploadedForm::~UploadedForm() {
  for (const UploadedFile& file : files) {
    if (file.path.empty()) continue;
    std::error_code ignored;
    fs::remove(file.path, ignored);
  }
}

std::string UploadedForm::field(const std::string& name, const std::string& fallback) const {
  const auto found = fields.find(name);
  return found == fields.end() ? fallback : found->second;
}

UploadedFile* UploadedForm::file(const std::string& name) {
  for (UploadedFile& file : files)
    if (file.field == name) return &file;
  return nullptr;
}

const UploadedFile* UploadedForm::file(const std::string& name) const {
  for (const UploadedFile& file : files)
    if (file.field == name) return &file;
  return nullptr;
}

void UploadedForm::take(UploadedFile& file, const fs::path& destination) {
  fs::rename(file.path, destination);
  file.path.clear();
}

// --- the Content-Type ----------------------------------------------------------------------------

bool is_multipart_form_data(std::string_view content_type) {
  const std::string_view type = trimmed(content_type.substr(0, content_type.find(';')));
  return lower_case(type) == "multipart/form-data";
}

BoundaryOrError multipart_boundary(std::string_view content_type) {
  const auto refused = [](std::string message) {
    return BoundaryOrError{{}, MultipartError{400, "bad_multipart", std::move(message)}};
  };
  if (!is_multipart_form_data(content_type))
    return BoundaryOrError{
        {}, MultipartError{415, "unsupported_media_type", "the body must be multipart/form-data"}};
  const std::size_t semicolon = content_type.find(';');
  const auto parameters = parse_parameters(
      semicolon == std::string_view::npos ? std::string_view() : content_type.substr(semicolon));
  if (!parameters) return refused("the Content-Type's parameters cannot be read");
  const auto found = parameters->find("boundary");
  if (found == parameters->end())
    return refused("the Content-Type multipart/form-data has no boundary");
  const std::string& boundary = found->second;
  // RFC 2046 bchars: 1 to 70, not ending with a space.
  const bool valid = !boundary.empty() && boundary.size() <= 70 && boundary.back() != ' ' &&
                     std::all_of(boundary.begin(), boundary.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) ||
                              std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
                     });
  if (!valid)
    return refused("the multipart boundary must be 1 to 70 letters, digits or '()+_,-./:=?");
  return BoundaryOrError{boundary, std::nullopt};
}

// --- MultipartParser -----------------------------------------------------------------------------

MultipartParser::MultipartParser(std::string boundary, fs::path incoming_dir,
                                 MultipartLimits limits)
    : delimiter_("\r\n--" + boundary),
      incoming_dir_(std::move(incoming_dir)),
      limits_(limits),
      buffer_("\r\n"),  // the first boundary may open the body: as if a line ended before it
      form_(std::make_shared<UploadedForm>()) {}

MultipartParser::~MultipartParser() { close_file(); }

bool MultipartParser::fail(int status, std::string code, std::string message) {
  close_file();
  form_.reset();  // its temporary files go with it
  buffer_.clear();
  buffer_.shrink_to_fit();
  state_ = State::failed;
  error_ = MultipartError{status, std::move(code), std::move(message)};
  return false;
}

bool MultipartParser::feed(std::string_view bytes) {
  if (state_ == State::failed) return false;
  if (state_ == State::epilogue) return true;
  buffer_.append(bytes);
  for (;;) {
    switch (state_) {
      case State::preamble:
      case State::part_body: {
        const std::size_t found = buffer_.find(delimiter_);
        if (found == std::string::npos) {
          // All but what may be the start of a delimiter is the part's (or the preamble's).
          const std::size_t keep = delimiter_.size() - 1;
          if (buffer_.size() > keep) {
            const std::size_t done = buffer_.size() - keep;
            if (state_ == State::part_body &&
                !part_bytes(std::string_view(buffer_).substr(0, done)))
              return false;
            buffer_.erase(0, done);
          }
          return true;
        }
        if (state_ == State::part_body) {
          if (!part_bytes(std::string_view(buffer_).substr(0, found)) || !end_part()) return false;
        }
        buffer_.erase(0, found + delimiter_.size());
        state_ = State::after_boundary;
        break;
      }
      case State::after_boundary: {
        const std::size_t padding = std::min(buffer_.find_first_not_of(" \t"), buffer_.size());
        if (padding > kMaxPadding)
          return fail(400, "bad_multipart", "a multipart boundary line does not end");
        if (buffer_.size() < padding + 2) {
          if (buffer_.size() == padding + 1 && buffer_[padding] != '-' && buffer_[padding] != '\r')
            return fail(400, "bad_multipart", "a multipart boundary is not followed by CRLF");
          return true;
        }
        const std::string_view end = std::string_view(buffer_).substr(padding, 2);
        if (end == "--") {
          state_ = State::epilogue;  // the closing boundary: what follows is ignored
          buffer_.clear();
          buffer_.shrink_to_fit();
          return true;
        }
        if (end != "\r\n")
          return fail(400, "bad_multipart", "a multipart boundary is not followed by CRLF");
        buffer_.erase(0, padding + 2);
        state_ = State::part_head;
        break;
      }
      case State::part_head: {
        std::size_t head_end = 0, consumed = 0;
        if (buffer_.compare(0, 2, "\r\n") == 0) {
          consumed = 2;  // no headers at all (refused below: no Content-Disposition)
        } else if (buffer_.size() >= 2) {
          head_end = buffer_.find("\r\n\r\n");
          if (head_end == std::string::npos) {
            if (buffer_.size() > limits_.part_head_bytes)
              head_end = buffer_.size();
            else
              return true;
          }
          consumed = head_end + 4;
        } else {
          return true;
        }
        if (head_end > limits_.part_head_bytes)
          return fail(400, "bad_multipart",
                      "the headers of part " + std::to_string(parts_ + 1) + " exceed " +
                          std::to_string(limits_.part_head_bytes) + " bytes");
        const std::string head = buffer_.substr(0, head_end);
        buffer_.erase(0, consumed);
        if (!start_part(head)) return false;
        state_ = State::part_body;
        break;
      }
      case State::epilogue:
        return true;
      case State::failed:
        return false;
    }
  }
}

bool MultipartParser::start_part(std::string_view head) {
  const std::string where = "part " + std::to_string(parts_ + 1);
  if (++parts_ > limits_.parts)
    return fail(413, "too_many_parts",
                "the form has more than " + std::to_string(limits_.parts) + " fields and files");
  std::optional<std::string> disposition;
  std::string content_type;
  std::size_t at = 0;
  while (at < head.size()) {
    const std::size_t end = std::min(head.find("\r\n", at), head.size());
    const std::string_view line = head.substr(at, end - at);
    at = end + 2;
    const std::size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos ||
        !std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon),
                     is_token_char))
      return fail(400, "bad_multipart", "a header line of " + where + " is not NAME: VALUE");
    const std::string name = lower_case(line.substr(0, colon));
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (name == "content-disposition" && !disposition) disposition = std::string(value);
    if (name == "content-type" && content_type.empty()) content_type = std::string(value);
  }
  if (!disposition) return fail(400, "bad_multipart", where + " has no Content-Disposition header");
  const std::size_t semicolon = disposition->find(';');
  if (lower_case(trimmed(std::string_view(*disposition).substr(0, semicolon))) != "form-data")
    return fail(400, "bad_multipart", where + " is not Content-Disposition: form-data");
  const auto parameters = parse_parameters(semicolon == std::string::npos
                                               ? std::string_view()
                                               : std::string_view(*disposition).substr(semicolon));
  if (!parameters)
    return fail(400, "bad_multipart", "the Content-Disposition of " + where + " cannot be read");
  const auto name = parameters->find("name");
  if (name == parameters->end() || name->second.empty())
    return fail(400, "bad_multipart", where + " has no field name");
  std::optional<std::string> filename;
  if (auto found = parameters->find("filename"); found != parameters->end()) {
    filename = found->second;
  } else if (auto extended = parameters->find("filename*"); extended != parameters->end()) {
    filename = extended_value(extended->second);
    if (!filename)
      return fail(400, "bad_multipart", "the filename* of " + where + " is not UTF-8''...");
  }
  field_name_ = name->second;
  field_value_.clear();
  in_file_ = filename.has_value();
  if (!in_file_) return true;

  UploadedFile file;
  file.field = field_name_;
  file.filename = *filename;  // shown, never used as a path
  file.content_type = content_type;
  file.path = incoming_dir_ / temporary_name();
  fd_ = ::open(file.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    const int error = errno;
    spdlog::error("cannot create the upload file {}: {}", file.path.string(), std::strerror(error));
    return fail(error == ENOSPC ? 507 : 500, "upload_failed",
                "the server cannot store the upload: " + std::string(std::strerror(error)));
  }
  form_->files.push_back(std::move(file));
  skip_file_ = filename->empty();
  return true;
}

bool MultipartParser::part_bytes(std::string_view bytes) {
  if (bytes.empty()) return true;
  if (!in_file_) {
    if (field_value_.size() + bytes.size() > limits_.field_bytes)
      return fail(413, "field_too_long",
                  "the field '" + field_name_.substr(0, 100) + "' exceeds " +
                      std::to_string(limits_.field_bytes) + " bytes");
    field_value_.append(bytes);
    return true;
  }
  form_->files.back().size += bytes.size();
  skip_file_ = false;
  write_buffer_.append(bytes);
  return write_buffer_.size() < kWriteBytes || flush_file();
}

bool MultipartParser::flush_file() {
  std::size_t written = 0;
  while (written < write_buffer_.size()) {
    const ssize_t n = ::write(fd_, write_buffer_.data() + written, write_buffer_.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      spdlog::error("cannot write the upload file {}: {}", form_->files.back().path.string(),
                    std::strerror(error));
      return fail(error == ENOSPC || error == EDQUOT ? 507 : 500, "upload_failed",
                  "the server cannot store the upload: " + std::string(std::strerror(error)));
    }
    written += static_cast<std::size_t>(n);
  }
  write_buffer_.clear();
  return true;
}

void MultipartParser::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  write_buffer_.clear();
  write_buffer_.shrink_to_fit();
}

bool MultipartParser::end_part() {
  if (!in_file_) {
    form_->fields.emplace(field_name_, field_value_);
    form_->field_list.emplace_back(std::move(field_name_), std::move(field_value_));
    field_name_.clear();
    field_value_.clear();
    return true;
  }
  if (!flush_file()) return false;
  if (::close(fd_) != 0) {
    fd_ = -1;
    return fail(500, "upload_failed", "the server cannot store the upload");
  }
  fd_ = -1;
  in_file_ = false;
  if (skip_file_) {  // a file input left empty: no file at all
    std::error_code ignored;
    fs::remove(form_->files.back().path, ignored);
    form_->files.pop_back();
  }
  return true;
}

bool MultipartParser::finish() {
  if (state_ == State::failed) return false;
  if (state_ != State::epilogue)
    return fail(400, "bad_multipart", "the body ends before the form's closing boundary");
  return true;
}

std::shared_ptr<UploadedForm> MultipartParser::take_form() {
  if (state_ != State::epilogue) return nullptr;
  return std::move(form_);
}

}  // namespace mediateka::server
