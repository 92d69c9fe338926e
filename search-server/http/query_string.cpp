#include "http/query_string.h"

#include "api/api_error.h"
#include "archive/text/utf8.h"

namespace mediateka::server {

namespace {

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Names are echoed in error messages, so only short printable ones go in verbatim.
std::string printable_name(std::string_view raw_name) {
  std::string name(raw_name.substr(0, 40));
  for (char& c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  return raw_name.size() > 40 ? name + "..." : name;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view encoded) {
  std::string decoded;
  decoded.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (c == '+') {
      decoded += ' ';
    } else if (c == '%') {
      if (i + 2 >= encoded.size()) return std::nullopt;
      const int high = hex_digit_value(encoded[i + 1]);
      const int low = hex_digit_value(encoded[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      decoded += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      decoded += c;
    }
  }
  if (decoded.find('\0') != std::string::npos || !is_valid_utf8(decoded)) return std::nullopt;
  return decoded;
}

QueryParameters QueryParameters::parse(std::string_view query_string) {
  QueryParameters parameters;
  std::size_t start = 0;
  while (start <= query_string.size()) {
    std::size_t end = query_string.find('&', start);
    if (end == std::string_view::npos) end = query_string.size();
    const std::string_view pair = query_string.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;

    const std::size_t equals = pair.find('=');
    const std::string_view raw_name = pair.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    auto name = percent_decode(raw_name);
    if (!name) {
      throw bad_parameter("parameter name '" + printable_name(raw_name) +
                          "' is not valid percent-encoded UTF-8");
    }
    auto value = percent_decode(raw_value);
    if (!value) {
      throw bad_parameter("parameter '" + printable_name(*name) +
                          "' is not valid percent-encoded UTF-8");
    }
    parameters.add(std::move(*name), std::move(*value));
  }
  return parameters;
}

void QueryParameters::add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

std::vector<std::string> QueryParameters::all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [entry_name, value] : entries_) {
    if (entry_name == name) values.push_back(value);
  }
  return values;
}

std::optional<std::string> QueryParameters::single(std::string_view name) const {
  std::optional<std::string> found;
  for (const auto& [entry_name, value] : entries_) {
    if (entry_name != name || value.empty()) continue;
    if (found && *found != value) {
      throw bad_parameter("parameter '" + std::string(name) +
                          "' may be given only once, got several values");
    }
    found = value;
  }
  return found;
}

}  // namespace mediateka::server
