#include "archive/index/schema.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "archive/text/slug.h"

namespace mediateka::schema {

std::string date_order_value(const std::string& date, const std::string& id) {
  return (date.empty() ? std::string("00000000") : date) + id;
}

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

void append_varint(std::string& out, size_t number) {
  while (number >= 0x80) {
    out.push_back(static_cast<char>((number & 0x7f) | 0x80));
    number >>= 7;
  }
  out.push_back(static_cast<char>(number));
}

// False, leaving `cursor` anywhere, when [cursor, end) ends before the number does.
bool read_varint(const char*& cursor, const char* end, size_t& number) {
  number = 0;
  for (unsigned shift = 0; cursor < end && shift < 64; shift += 7) {
    const unsigned char byte = static_cast<unsigned char>(*cursor++);
    number |= static_cast<size_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

// Ascending numbers as the differences between neighbours.
void append_ascending(std::string& out, const std::vector<size_t>& numbers) {
  size_t previous = 0;
  for (size_t number : numbers) {
    append_varint(out, number - previous);
    previous = number;
  }
}

// Reads at most `count` numbers written by append_ascending, from `cursor` (left after the
// last one read) up to `end`; stops at a truncated one.
std::vector<size_t> read_ascending(const char*& cursor, const char* end, size_t count) {
  std::vector<size_t> numbers;
  size_t previous = 0, delta = 0;
  while (numbers.size() < count && cursor < end && read_varint(cursor, end, delta)) {
    previous += delta;
    numbers.push_back(previous);
  }
  return numbers;
}

std::vector<std::string> split(const std::string& joined, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = joined.find(separator, start);
    parts.push_back(joined.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

void append_field(std::string& out, std::string_view field) {
  append_varint(out, field.size());
  out += field;
}

// An empty field when the value ends too early.
std::string read_field(const char*& cursor, const char* end) {
  size_t size = 0;
  if (!read_varint(cursor, end, size) || size > static_cast<size_t>(end - cursor)) {
    cursor = end;
    return {};
  }
  std::string field(cursor, size);
  cursor += size;
  return field;
}

}  // namespace

void store_segment(Xapian::Document& document, const StoredSegment& stored) {
  // "<place>\n<text size>\n<item id>\n<text><spans>": the place "p <page>" or
  // "t <start> <end>", the spans' begin and end offsets in turn as append_ascending writes them.
  const Segment& segment = stored.segment;
  char header[96];
  if (segment.timed()) {
    std::snprintf(header, sizeof header, "t %.17g %.17g\n%zu\n", segment.start_s, segment.end_s,
                  segment.text.size());
  } else {
    std::snprintf(header, sizeof header, "p %d\n%zu\n", segment.page, segment.text.size());
  }
  std::vector<size_t> offsets;
  offsets.reserve(stored.words.size() * 2);
  for (const WordSpan& word : stored.words) {
    offsets.push_back(word.begin);
    offsets.push_back(word.end);
  }
  std::string data = header;
  data += stored.item_id;
  data += '\n';
  data += segment.text;
  append_ascending(data, offsets);
  document.add_value(kSlotSegment, data);
}

StoredSegment load_segment(const Xapian::Document& document, size_t word_limit) {
  StoredSegment stored;
  const std::string data = document.get_value(kSlotSegment);
  const size_t place_end = data.find('\n');
  const size_t size_end =
      place_end == std::string::npos ? place_end : data.find('\n', place_end + 1);
  const size_t id_end = size_end == std::string::npos ? size_end : data.find('\n', size_end + 1);
  if (id_end == std::string::npos) return stored;  // not a segment document
  if (data[0] == 't') {
    char* end = nullptr;
    stored.segment.start_s = std::strtod(data.c_str() + 2, &end);
    stored.segment.end_s = std::strtod(end, nullptr);
  } else {
    stored.segment.page = std::atoi(data.c_str() + 2);
  }
  stored.item_id = data.substr(size_end + 1, id_end - size_end - 1);
  const size_t text_size = std::min<size_t>(
      std::strtoull(data.c_str() + place_end + 1, nullptr, 10), data.size() - id_end - 1);
  stored.segment.text = data.substr(id_end + 1, text_size);
  // The spans' offsets, begin and end in turn, as append_ascending wrote them.
  const char* cursor = data.c_str() + id_end + 1 + text_size;
  const char* const end = data.c_str() + data.size();
  size_t previous = 0, begin_delta = 0, end_delta = 0;
  while (stored.words.size() < word_limit && read_varint(cursor, end, begin_delta) &&
         read_varint(cursor, end, end_delta)) {
    const size_t begin = previous + begin_delta;
    previous = begin + end_delta;
    stored.words.push_back({begin, previous});
  }
  return stored;
}

void store_hit_fields(Xapian::Document& document, const Item& item,
                      const std::vector<Xapian::termpos>& location_starts) {
  std::string value;
  for (std::string_view field : {std::string_view(item.id), std::string_view(item.slug),
                                 to_string(item.type), std::string_view(item.title)}) {
    append_field(value, field);
  }
  append_field(value, item.year ? std::to_string(*item.year) : std::string());
  std::string campaigns;
  for (const std::string& campaign : item.campaigns) {
    if (!campaigns.empty()) campaigns += kMultiValueSeparator;
    campaigns += campaign;
  }
  append_field(value, campaigns);
  append_field(value, item.project);
  append_field(value, item.description);
  append_varint(value, location_starts.size());
  append_ascending(value, std::vector<size_t>(location_starts.begin(), location_starts.end()));
  document.add_value(kSlotHit, value);
}

HitFields load_hit_fields(const std::string& value) {
  HitFields fields;
  Item& item = fields.item;
  const char* cursor = value.data();
  const char* end = value.data() + value.size();
  item.id = read_field(cursor, end);
  item.slug = read_field(cursor, end);
  item.type = parse_item_type(read_field(cursor, end)).value_or(ItemType::publication);
  item.title = read_field(cursor, end);
  if (std::string year = read_field(cursor, end); !year.empty())
    item.year = std::atoi(year.c_str());
  if (std::string campaigns = read_field(cursor, end); !campaigns.empty())
    item.campaigns = split(campaigns, kMultiValueSeparator);
  item.project = read_field(cursor, end);
  item.description = read_field(cursor, end);
  size_t count = 0;
  if (read_varint(cursor, end, count)) {
    for (size_t start : read_ascending(cursor, end, count)) {
      fields.location_starts.push_back(static_cast<Xapian::termpos>(start));
    }
  }
  return fields;
}

namespace {

// The separators cannot be told from the values' own characters: values lose them.
void append_clean(std::string& out, const std::string& value) {
  for (char c : value)
    out += c == kFieldSeparator || c == kMultiValueSeparator || c == kUnknownPlaceMark ? ' ' : c;
}

}  // namespace

std::string facet_value(const Item& item) {
  std::string value(to_string(item.type));
  value += kFieldSeparator;
  for (size_t i = 0; i < item.campaigns.size(); ++i) {
    if (i > 0) value += kMultiValueSeparator;
    append_clean(value, item.campaigns[i]);
  }
  value += kFieldSeparator;
  if (item.year) value += std::to_string(*item.year);
  value += kFieldSeparator;
  append_clean(value, item.project);
  return value;
}

std::string place_year_value(const Item& item) {
  if (item.places.empty()) return {};
  return (item.year ? std::to_string(*item.year) : std::string()) + kFieldSeparator +
         place_value(item);
}

std::string place_value(const Item& item) {
  if (item.places.empty()) return {};
  // Sorted, so that items of the same places and year share one value for the spy to count.
  std::vector<std::string> names;
  for (const Place& place : item.places) {
    std::string& name = names.emplace_back();
    if (place.unknown) name += kUnknownPlaceMark;
    append_clean(name, place.name);
  }
  std::sort(names.begin(), names.end());
  std::string value;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) value += kMultiValueSeparator;
    value += names[i];
  }
  return value;
}

FacetFields load_facet_fields(const std::string& value) {
  FacetFields fields;
  std::vector<std::string> parts = split(value, kFieldSeparator);
  parts.resize(4);
  fields.type = std::move(parts[0]);
  if (!parts[1].empty()) fields.campaigns = split(parts[1], kMultiValueSeparator);
  fields.year = std::move(parts[2]);
  fields.project = std::move(parts[3]);
  return fields;
}

Item load_item(const Xapian::Document& document) {
  return item_from_json(nlohmann::json::parse(document.get_data()));
}

}  // namespace mediateka::schema
