#include "schema.h"

namespace mediateka::schema {

std::string boolean_term(const char* prefix, const std::string& value) {
  std::string term(prefix);
  term += value;
  // Xapian limits terms to 245 bytes; longer values are cut (they still filter,
  // as every writer and reader cuts them the same way).
  if (term.size() > 240) term.resize(240);
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
