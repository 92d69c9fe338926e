// Small pieces of reading HTTP header values, shared by the handlers that parse them.
#pragma once

#include <algorithm>
#include <cctype>
#include <string_view>

namespace mediateka::server {

// Without the spaces and tabs around it (RFC 9110's optional whitespace).
inline std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Equal but for the case of ASCII letters (header names, schemes, tokens).
inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace mediateka::server
