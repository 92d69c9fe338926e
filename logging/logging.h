// The one logger of mediateka-server and mediateka-index (docs/operations.md, "Logs"): spdlog's
// default logger, writing to stderr one line per event, with its level and, in the server, the
// id of the request it belongs to. Plain text ("mediateka-server: warning: [3f9c0a1b2c4d5e6f]
// ...") or, with [log] format = "json", one JSON object a line. Code logs with spdlog's own
// calls (spdlog::warn("... {}", what)); this header only sets the logger up and keeps the
// request id. The core (archive/) does not log: it reports by exceptions and return values.
//
// Nothing secret is logged: callers never pass tokens, cookies or Authorization headers, and
// every line is scrubbed of anything shaped like a token (mtk_...) in case one slips into a path.
#pragma once

#include <spdlog/common.h>

#include <string>
#include <string_view>

namespace mediateka::logging {

// Makes the process's logger, named `program`, at level info in plain text. Call it first
// in main(); configure() may change level and format later (once the configuration is read).
void start(const std::string& program);

// [log] level ("trace", "debug", "info", "warning", "error", "critical", "off") and format
// ("text" or "json"), as archive/config.h LogSettings checks them. Throws std::invalid_argument
// for other values.
void configure(const std::string& level, const std::string& format);

// Logs `message` at `level` like spdlog's calls, except that a plain text line leaves out the
// level: "mediateka-index: waiting: another program is writing the index ...". For the
// messages the command line has always printed so and docs/api.md quotes word for word; a JSON
// line carries the level as every other.
void say(spdlog::level::level_enum level, std::string_view message);

// A new request id: 16 random hex digits.
std::string new_request_id();

// While alive, every line this thread logs carries `request_id`. Not nested across threads:
// work handed to another thread logs without it.
class RequestScope {
 public:
  explicit RequestScope(std::string request_id);
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string previous_;
};

// The request id of this thread's lines, "" outside a request.
const std::string& current_request_id();

// `text` with the secret part of anything shaped like an access token (mtk_...) replaced.
std::string redacted(std::string_view text);

}  // namespace mediateka::logging
