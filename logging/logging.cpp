#include "logging.h"

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

namespace mediateka::logging {

namespace {

thread_local std::string request_id;
// Set while say() logs: the text line leaves out the level.
thread_local bool without_level = false;

enum class Format { text, json };

void append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

std::string_view level_name(spdlog::level::level_enum level) {
  const auto name = spdlog::level::to_string_view(level);
  return {name.data(), name.size()};
}

// "2026-12-06T10:30:00.123Z"
std::string utc_time(spdlog::log_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const std::time_t seconds = static_cast<std::time_t>(
      std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(millis));
  return text;
}

// Writes each event as one line: text or JSON, with the thread's request id, scrubbed of tokens.
class LineFormatter : public spdlog::formatter {
 public:
  explicit LineFormatter(Format format) : format_(format) {}

  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& dest) override {
    const std::string text =
        redacted(std::string_view(message.payload.data(), message.payload.size()));
    const std::string_view program(message.logger_name.data(), message.logger_name.size());
    if (format_ == Format::json) {
      nlohmann::ordered_json line;
      line["time"] = utc_time(message.time);
      line["level"] = level_name(message.level);
      line["program"] = program;
      if (!request_id.empty()) line["request_id"] = request_id;
      line["message"] = text;
      // Bytes that are not UTF-8 (a path, a library's message) become U+FFFD, not an exception.
      append(dest, line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } else {
      append(dest, program);
      append(dest, ": ");
      if (!without_level) {
        append(dest, level_name(message.level));
        append(dest, ": ");
      }
      if (!request_id.empty()) {
        append(dest, "[");
        append(dest, request_id);
        append(dest, "] ");
      }
      // One event, one line: a message's own line breaks would let it forge other lines, and
      // other control characters (terminal escapes) have no place in a log either.
      for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        dest.push_back(byte < 0x20 || byte == 0x7f ? ' ' : c);
      }
    }
    dest.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<LineFormatter>(format_);
  }

 private:
  Format format_;
};

bool is_token_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

void start(const std::string& program) {
  auto logger =
      std::make_shared<spdlog::logger>(program, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_formatter(std::make_unique<LineFormatter>(Format::text));
  logger->set_level(spdlog::level::info);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
}

void configure(const std::string& level, const std::string& format) {
  spdlog::level::level_enum found = spdlog::level::from_str(level);
  // from_str answers "off" for any name it does not know.
  if (found == spdlog::level::off && level != "off")
    throw std::invalid_argument("unknown log level '" + level + "'");
  if (format != "text" && format != "json")
    throw std::invalid_argument("unknown log format '" + format + "'");
  auto logger = spdlog::default_logger();
  logger->set_formatter(
      std::make_unique<LineFormatter>(format == "json" ? Format::json : Format::text));
  logger->set_level(found);
}

void say(spdlog::level::level_enum level, std::string_view message) {
  // The logger is synchronous: the line is formatted on this thread, before log() returns.
  without_level = true;
  try {
    spdlog::log(level, "{}", message);
  } catch (...) {
    without_level = false;
    throw;
  }
  without_level = false;
}

std::string new_request_id() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(generator()));
  return text;
}

RequestScope::RequestScope(std::string id) : previous_(std::move(request_id)) {
  request_id = std::move(id);
}

RequestScope::~RequestScope() { request_id = std::move(previous_); }

const std::string& current_request_id() { return request_id; }

std::string redacted(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t found = text.find("mtk_", position);
    if (found == std::string_view::npos) break;
    result.append(text.substr(position, found + 4 - position));
    std::size_t end = found + 4;
    while (end < text.size() && is_token_character(text[end])) ++end;
    if (end > found + 4) result += "[redacted]";
    position = end;
  }
  result.append(text.substr(std::min(position, text.size())));
  return result;
}

}  // namespace mediateka::logging
