// Restricted materials: an item marked with access groups is seen only by requests authorised
// for at least one of them (docs/access.md). The searcher applies an Audience to every query it
// builds and every look-up it makes, so that no caller can forget it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mediateka {

// A group name as manifests and tokens use it: 1-64 characters of a-z, 0-9, '-' and '_'.
bool is_valid_group_name(std::string_view name);

// The groups a manifest's `access` value names, lower-cased and without repeats, in order;
// empty for a public item ("" or "public"). Throws std::invalid_argument naming the bad value.
std::vector<std::string> parse_access(const std::vector<std::string>& values);

// Who is asking: anonymous (no groups) sees public items only; a librarian (`all`) every item.
struct Audience {
  std::vector<std::string> groups;
  bool all = false;

  static Audience everyone() { return Audience{{}, true}; }
  bool anonymous() const { return groups.empty() && !all; }
  // Whether an item with these access groups is visible to this audience.
  bool sees(const std::vector<std::string>& item_access) const;
};

}  // namespace mediateka
