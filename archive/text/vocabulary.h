// The campaign vocabulary: canonical campaign names and their aliases.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mediateka {

class Vocabulary {
 public:
  // Adds a canonical name and its aliases. Matching ignores case, diacritics,
  // punctuation and runs of spaces.
  void add(const std::string& canonical, const std::vector<std::string>& aliases = {});

  // The canonical name that `value` names, or nullopt for an unknown value.
  std::optional<std::string> match(std::string_view value) const;

  const std::vector<std::string>& canonical_names() const { return names_; }
  bool empty() const { return names_.empty(); }

  // The comparison key: lower case, diacritics folded, words joined by one space.
  static std::string key(std::string_view value);

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::string> by_key_;
};

}  // namespace mediateka
