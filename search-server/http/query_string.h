// The query string of a request URL, decoded. Pistache 0.0.5 neither
// percent-decodes values nor keeps repeated parameters, so the server reads the
// raw request target itself (see http_handler.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mediateka::server {

// application/x-www-form-urlencoded decoding: "+" is a space, "%XX" a byte.
// nullopt for a malformed escape, invalid UTF-8 or a NUL byte.
std::optional<std::string> percent_decode(std::string_view encoded);

// Parameters in the order given; a name may occur several times.
class QueryParameters {
 public:
  // Decodes "a=1&b=x%20y&a=2". Throws ApiError bad_parameter for a name or a
  // value that is not valid percent-encoded UTF-8.
  static QueryParameters parse(std::string_view query_string);

  void add(std::string name, std::string value);

  // Every value of `name` in order, empty values included.
  std::vector<std::string> all(std::string_view name) const;
  // The value of a parameter that may be given once. An empty value counts as
  // absent (an HTML form's blank field). Throws ApiError bad_parameter when the
  // parameter is given more than once with different values.
  std::optional<std::string> single(std::string_view name) const;

  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace mediateka::server
