// Errors a handler reports to the client: an HTTP status and the contract's
// {"error": {"code", "message"}} body (docs/api.md, "Errors").
#pragma once

#include <stdexcept>
#include <string>

namespace mediateka::server {

struct ApiError : std::runtime_error {
  ApiError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status(status), code(std::move(code)) {}
  int status;
  std::string code;
};

inline ApiError bad_parameter(const std::string& message) {
  return ApiError(400, "bad_parameter", message);
}

inline ApiError not_found(const std::string& message) {
  return ApiError(404, "not_found", message);
}

// An item that was here and is gone (removed, or out of the asker's sight since): 410.
inline ApiError gone(const std::string& message) { return ApiError(410, "gone", message); }

}  // namespace mediateka::server
