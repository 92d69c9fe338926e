#include "archive/text/slug.h"

#include <cstdint>

#include "archive/text/analyzer.h"

namespace mediateka {

std::string transliterate_ascii(std::string_view text) {
  std::string folded = fold(text);
  std::string out;
  out.reserve(folded.size());
  bool in_other = false;
  for (char c : folded) {
    // Anything left outside ASCII (dashes, quotes, other scripts) stands between words.
    if (static_cast<unsigned char>(c) >= 0x80) {
      if (!in_other) out.push_back(' ');
      in_other = true;
      continue;
    }
    in_other = false;
    out.push_back(c);
  }
  return out;
}

std::string slugify(std::string_view text) {
  constexpr size_t kMaxLength = 80;
  std::string ascii = transliterate_ascii(text);
  std::string slug;
  bool pending_dash = false;
  for (char c : ascii) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!keep) {
      pending_dash = !slug.empty();
      continue;
    }
    if (pending_dash) slug.push_back('-');
    pending_dash = false;
    slug.push_back(c);
  }
  if (slug.size() > kMaxLength) {
    size_t cut = slug.rfind('-', kMaxLength);
    slug.resize(cut == std::string::npos || cut == 0 ? kMaxLength : cut);
  }
  return slug.empty() ? "item" : slug;
}

std::uint64_t fnv1a_64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string make_item_id(std::string_view source_key) {
  // Written in base 36.
  std::uint64_t hash = fnv1a_64(source_key);
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string id(12, '0');
  for (size_t i = id.size(); i-- > 0;) {
    id[i] = kDigits[hash % 36];
    hash /= 36;
  }
  return id;
}

bool is_valid_identifier(std::string_view text) {
  if (text.empty() || text.size() > 120) return false;
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace mediateka
