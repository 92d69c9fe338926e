#include "schema.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
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

void store_segment(Xapian::Document& document, const Segment& segment,
                   const std::vector<size_t>& anchors) {
  char place[64];
  if (segment.timed()) {
    std::snprintf(place, sizeof place, "t %.17g %.17g", segment.start_s, segment.end_s);
  } else {
    std::snprintf(place, sizeof place, "p %d", segment.page);
  }
  document.add_value(kSlotSegmentPlace, place);
  std::string packed;
  for (size_t anchor : anchors) {
    for (int shift = 0; shift < 32; shift += 8) {
      packed.push_back(static_cast<char>((anchor >> shift) & 0xff));
    }
  }
  document.add_value(kSlotSegmentAnchors, packed);
  document.set_data(segment.text);
}

Segment load_segment(const Xapian::Document& document, std::vector<size_t>* anchors) {
  Segment segment;
  segment.text = document.get_data();
  const std::string place = document.get_value(kSlotSegmentPlace);
  if (place.size() > 2 && place[0] == 't') {
    char* end = nullptr;
    segment.start_s = std::strtod(place.c_str() + 2, &end);
    segment.end_s = std::strtod(end, nullptr);
  } else if (place.size() > 2) {
    segment.page = std::atoi(place.c_str() + 2);
  }
  if (anchors) {
    const std::string packed = document.get_value(kSlotSegmentAnchors);
    anchors->clear();
    for (size_t i = 0; i + 4 <= packed.size(); i += 4) {
      size_t anchor = 0;
      for (int byte = 3; byte >= 0; --byte) {
        anchor = (anchor << 8) | static_cast<unsigned char>(packed[i + byte]);
      }
      anchors->push_back(anchor);
    }
  }
  return segment;
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
