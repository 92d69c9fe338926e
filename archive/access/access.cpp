#include "archive/access/access.h"

#include <algorithm>
#include <stdexcept>

namespace mediateka {

bool is_valid_group_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::vector<std::string> parse_access(const std::vector<std::string>& values) {
  std::vector<std::string> groups;
  bool said_public = false;
  for (const std::string& value : values) {
    const std::size_t first = value.find_first_not_of(" \t");
    const std::size_t last = value.find_last_not_of(" \t");
    std::string name = first == std::string::npos ? "" : value.substr(first, last - first + 1);
    for (char& c : name)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (name.empty()) continue;
    if (name == "public") {
      said_public = true;
      continue;
    }
    if (!is_valid_group_name(name))
      throw std::invalid_argument("'" + value +
                                  "' is not a group name (1-64 characters of a-z, 0-9, - and _)");
    if (std::find(groups.begin(), groups.end(), name) == groups.end()) groups.push_back(name);
  }
  if (said_public && !groups.empty())
    throw std::invalid_argument("'public' cannot be combined with groups");
  return groups;
}

bool Audience::sees(const std::vector<std::string>& item_access) const {
  if (item_access.empty() || all) return true;
  return std::any_of(item_access.begin(), item_access.end(), [&](const std::string& group) {
    return std::find(groups.begin(), groups.end(), group) != groups.end();
  });
}

}  // namespace mediateka
