#include "schema.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace mediateka::schema {

std::string boolean_term(const char* prefix, const std::string& value) {
  std::string term(prefix);
  term += value;
  // Xapian limits terms to 245 bytes. A longer value (a deep path, a long URL) keeps
  // its beginning and ends with a hash of the whole, so two long values that share
  // their first 200 bytes still get different terms.
  constexpr size_t kMaxTerm = 240;
  if (term.size() > kMaxTerm) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char c : value) {
      hash ^= c;
      hash *= 0x100000001b3ULL;
    }
    char digest[20];
    std::snprintf(digest, sizeof digest, "#%016llx", static_cast<unsigned long long>(hash));
    term.resize(kMaxTerm - std::strlen(digest));
    term += digest;
  }
  return term;
}

std::string exact_form_term(const std::string& folded, const std::string& exact) {
  std::string term(kExactForm);
  term += folded;
  term += kExactFormSeparator;
  term += exact;
  return term;
}

std::vector<std::string> split_values(const std::string& joined) {
  std::vector<std::string> values;
  if (joined.empty()) return values;
  size_t start = 0;
  while (true) {
    size_t end = joined.find(kMultiValueSeparator, start);
    values.push_back(joined.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return values;
}

}  // namespace mediateka::schema
