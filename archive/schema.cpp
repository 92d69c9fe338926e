#include "schema.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "slug.h"

namespace mediateka::schema {

std::string boolean_term(const char* prefix, const std::string& value) {
  std::string term(prefix);
  term += value;
  // Xapian limits terms to 245 bytes. A longer value (a deep path, a long URL) keeps
  // its beginning and ends with a hash of the whole, so two long values that share
  // their first 200 bytes still get different terms.
  constexpr size_t kMaxTerm = 240;
  if (term.size() > kMaxTerm) {
    char digest[20];
    std::snprintf(digest, sizeof digest, "#%016llx",
                  static_cast<unsigned long long>(fnv1a_64(value)));
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

void store_segment(Xapian::Document& document, const StoredSegment& stored) {
  // "<place>\n<item id>\n<anchors>\n<text>", the place "p <page>" or "t <start> <end>".
  const Segment& segment = stored.segment;
  char place[64];
  if (segment.timed()) {
    std::snprintf(place, sizeof place, "t %.17g %.17g", segment.start_s, segment.end_s);
  } else {
    std::snprintf(place, sizeof place, "p %d", segment.page);
  }
  std::string data = place;
  data += '\n' + stored.item_id + '\n';
  for (size_t anchor : stored.anchors) data += std::to_string(anchor) + ' ';
  data += '\n';
  data += segment.text;
  document.add_value(kSlotSegmentItem, stored.item_id);
  document.add_value(kSlotSegment, data);
}

StoredSegment load_segment(const Xapian::Document& document) {
  StoredSegment stored;
  const std::string data = document.get_value(kSlotSegment);
  size_t place_end = data.find('\n');
  size_t id_end = place_end == std::string::npos ? place_end : data.find('\n', place_end + 1);
  size_t anchors_end = id_end == std::string::npos ? id_end : data.find('\n', id_end + 1);
  if (anchors_end == std::string::npos) return stored;  // not a segment document
  const std::string place = data.substr(0, place_end);
  if (place.size() > 2 && place[0] == 't') {
    char* end = nullptr;
    stored.segment.start_s = std::strtod(place.c_str() + 2, &end);
    stored.segment.end_s = std::strtod(end, nullptr);
  } else if (place.size() > 2) {
    stored.segment.page = std::atoi(place.c_str() + 2);
  }
  stored.item_id = data.substr(place_end + 1, id_end - place_end - 1);
  const char* cursor = data.c_str() + id_end + 1;
  const char* anchors_stop = data.c_str() + anchors_end;
  while (cursor < anchors_stop) {
    char* next = nullptr;
    unsigned long long anchor = std::strtoull(cursor, &next, 10);
    if (next == cursor) break;
    stored.anchors.push_back(static_cast<size_t>(anchor));
    cursor = next;
    while (cursor < anchors_stop && *cursor == ' ') ++cursor;
  }
  stored.segment.text = data.substr(anchors_end + 1);
  return stored;
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
