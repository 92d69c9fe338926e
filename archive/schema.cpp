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

namespace {

// Ascending numbers as the varint-encoded differences between neighbours.
void append_ascending(std::string& out, const std::vector<size_t>& numbers) {
  size_t previous = 0;
  for (size_t number : numbers) {
    size_t delta = number - previous;
    previous = number;
    while (delta >= 0x80) {
      out.push_back(static_cast<char>((delta & 0x7f) | 0x80));
      delta >>= 7;
    }
    out.push_back(static_cast<char>(delta));
  }
}

// Reads at most `count` numbers written by append_ascending, from `cursor` (left after the
// last one read) up to `end`; stops at a truncated one.
std::vector<size_t> read_ascending(const char*& cursor, const char* end, size_t count) {
  std::vector<size_t> numbers;
  size_t previous = 0;
  while (numbers.size() < count && cursor < end) {
    size_t delta = 0;
    unsigned shift = 0;
    bool complete = false;
    while (cursor < end && shift < 64) {
      unsigned char byte = static_cast<unsigned char>(*cursor++);
      delta |= static_cast<size_t>(byte & 0x7f) << shift;
      shift += 7;
      if (!(byte & 0x80)) {
        complete = true;
        break;
      }
    }
    if (!complete) break;
    previous += delta;
    numbers.push_back(previous);
  }
  return numbers;
}

}  // namespace

void store_segment(Xapian::Document& document, const StoredSegment& stored) {
  // "<place>\n<anchor count>\n<anchors><text>", the place "p <page>" or "t <start> <end>",
  // the anchors as append_ascending writes them.
  const Segment& segment = stored.segment;
  char header[96];
  if (segment.timed()) {
    std::snprintf(header, sizeof header, "t %.17g %.17g\n%zu\n", segment.start_s, segment.end_s,
                  stored.anchors.size());
  } else {
    std::snprintf(header, sizeof header, "p %d\n%zu\n", segment.page, stored.anchors.size());
  }
  std::string data = header;
  append_ascending(data, stored.anchors);
  data += segment.text;
  document.add_value(kSlotSegment, data);
}

StoredSegment load_segment(const Xapian::Document& document) {
  StoredSegment stored;
  const std::string data = document.get_value(kSlotSegment);
  size_t place_end = data.find('\n');
  size_t count_end = place_end == std::string::npos ? place_end : data.find('\n', place_end + 1);
  if (count_end == std::string::npos) return stored;  // not a segment document
  if (data[0] == 't') {
    char* end = nullptr;
    stored.segment.start_s = std::strtod(data.c_str() + 2, &end);
    stored.segment.end_s = std::strtod(end, nullptr);
  } else {
    stored.segment.page = std::atoi(data.c_str() + 2);
  }
  const size_t anchor_count = std::strtoull(data.c_str() + place_end + 1, nullptr, 10);
  const char* cursor = data.c_str() + count_end + 1;
  const char* end = data.c_str() + data.size();
  stored.anchors = read_ascending(cursor, end, anchor_count);
  stored.segment.text.assign(cursor, end);
  return stored;
}

void store_place_starts(Xapian::Document& item, const std::vector<Xapian::termpos>& starts) {
  std::string value;
  append_ascending(value, std::vector<size_t>(starts.begin(), starts.end()));
  item.add_value(kSlotPlaceStarts, value);
}

std::vector<Xapian::termpos> load_place_starts(const std::string& value) {
  const char* cursor = value.data();
  std::vector<size_t> numbers = read_ascending(cursor, value.data() + value.size(), value.size());
  return std::vector<Xapian::termpos>(numbers.begin(), numbers.end());
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
