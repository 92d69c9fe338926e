#include "archive/text/vocabulary.h"

#include "archive/text/analyzer.h"

namespace mediateka {

std::string Vocabulary::key(std::string_view value) {
  std::string folded = fold(value);
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (char c : folded) {
    bool word_char =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
    if (!word_char) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

void Vocabulary::add(const std::string& canonical, const std::vector<std::string>& aliases) {
  if (by_key_.emplace(key(canonical), canonical).second) names_.push_back(canonical);
  for (const std::string& alias : aliases) by_key_.emplace(key(alias), canonical);
}

std::optional<std::string> Vocabulary::match(std::string_view value) const {
  auto found = by_key_.find(key(value));
  if (found == by_key_.end()) return std::nullopt;
  return found->second;
}

}  // namespace mediateka
