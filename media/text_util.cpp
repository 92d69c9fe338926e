#include "text_util.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "archive/text/utf8.h"

namespace mediateka::media {
namespace {

// PDF 1.7 table D.2, codes 0x80-0xA0 (the rest of 0xA1-0xFF is Latin-1; 0xAD is undefined).
constexpr std::array<char16_t, 33> kPdfDocHigh = {
    0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203A, 0x2212,
    0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141,
    0x0152, 0x0160, 0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0x0000, 0x20AC};
// Codes 0x18-0x1F: spacing accents.
constexpr std::array<char16_t, 8> kPdfDocAccents = {0x02D8, 0x02C7, 0x02C6, 0x02D9,
                                                    0x02DD, 0x02DB, 0x02DA, 0x02DC};

constexpr std::array<char16_t, 128> kCp1250High = {
    0x20AC, 0xFFFD, 0x201A, 0xFFFD, 0x201E, 0x2026, 0x2020, 0x2021, 0xFFFD, 0x2030, 0x0160, 0x2039,
    0x015A, 0x0164, 0x017D, 0x0179, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0xFFFD, 0x2122, 0x0161, 0x203A, 0x015B, 0x0165, 0x017E, 0x017A, 0x00A0, 0x02C7, 0x02D8, 0x0141,
    0x00A4, 0x0104, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x015E, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x017B,
    0x00B0, 0x00B1, 0x02DB, 0x0142, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x0105, 0x015F, 0x00BB,
    0x013D, 0x02DD, 0x013E, 0x017C, 0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7,
    0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E, 0x0110, 0x0143, 0x0147, 0x00D3,
    0x00D4, 0x0150, 0x00D6, 0x00D7, 0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,
    0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7, 0x010D, 0x00E9, 0x0119, 0x00EB,
    0x011B, 0x00ED, 0x00EE, 0x010F, 0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7,
    0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9};

// Length of the UTF-8 sequence starting at text[i], or 0 when it is malformed (utf8.h decides).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const Utf8Sequence sequence = utf8_sequence(text.substr(i));
  return sequence.valid ? sequence.length : 0;
}

char32_t decode_utf8_at(std::string_view text, std::size_t i, std::size_t length) {
  if (length == 1) return static_cast<unsigned char>(text[i]);
  char32_t code_point = static_cast<unsigned char>(text[i]) & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k)
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  return code_point;
}

bool is_space_like(char32_t c) {
  return c <= 0x20 || c == 0x7F || (c >= 0x80 && c <= 0xA0) || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool is_invisible(char32_t c) {
  return c == 0xAD || c == 0x200B || c == 0x200E || c == 0x200F || c == 0xFEFF;
}

int parse_digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool digit_at(std::string_view text, std::size_t pos) {
  return pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]));
}

std::string format_date(int year, int month, int day) {
  char buffer[16];
  if (month < 1 || month > 12) {
    std::snprintf(buffer, sizeof buffer, "%04d", year);
  } else if (day < 1 || day > 31) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  }
  return buffer;
}

}  // namespace

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string utf16_to_utf8(const std::vector<std::uint16_t>& units) {
  std::string out;
  out.reserve(units.size());
  for (std::size_t i = 0; i < units.size(); ++i) {
    const char32_t unit = units[i];
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 &&
        units[i + 1] <= 0xDFFF) {
      append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (units[i + 1] - 0xDC00));
      ++i;
    } else if (unit >= 0xD800 && unit <= 0xDFFF) {
      append_utf8(out, 0xFFFD);
    } else {
      append_utf8(out, unit);
    }
  }
  return out;
}

std::string pdfdoc_to_utf8(std::string_view bytes) {
  std::string out;
  for (const char byte : bytes) {
    const auto code = static_cast<unsigned char>(byte);
    char32_t c = code;
    if (code >= 0x18 && code <= 0x1F) {
      c = kPdfDocAccents[code - 0x18];
    } else if (code >= 0x80 && code <= 0xA0) {
      c = kPdfDocHigh[code - 0x80];
    } else if (code == 0x7F || code == 0xAD) {
      c = 0;
    }
    if (c != 0) append_utf8(out, c);
  }
  return out;
}

std::string cp1250_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (const char byte : bytes) {
    const auto code = static_cast<unsigned char>(byte);
    append_utf8(out, code < 0x80 ? char32_t{code} : char32_t{kCp1250High[code - 0x80]});
  }
  return out;
}

bool utf8_to_cp1250(std::string_view utf8, std::string& bytes) {
  bytes.clear();
  bytes.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t length = utf8_sequence_length(utf8, i);
    if (length == 0) return false;
    const char32_t c = decode_utf8_at(utf8, i, length);
    i += length;
    if (c < 0x80) {
      bytes += static_cast<char>(c);
      continue;
    }
    const auto high = std::find(kCp1250High.begin(), kCp1250High.end(), c);
    if (c == 0xFFFD || high == kCp1250High.end()) return false;
    bytes += static_cast<char>(0x80 + (high - kCp1250High.begin()));
  }
  return true;
}

std::string ensure_utf8(std::string_view text) {
  return is_valid_utf8(text) ? std::string(text) : cp1250_to_utf8(text);
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {  // a byte that is not UTF-8 is dropped: output must stay valid
      ++i;
      continue;
    }
    const char32_t c = decode_utf8_at(text, i, length);
    if (is_space_like(c)) {
      pending_space = true;
    } else if (!is_invisible(c)) {
      if (pending_space && !out.empty()) out += ' ';
      pending_space = false;
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

std::string strip_subtitle_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '<' && i + 1 < text.size()) {
      const char next = text[i + 1];
      const std::size_t close = text.find('>', i + 1);
      const std::size_t line_end = text.find('\n', i + 1);
      if ((std::isalnum(static_cast<unsigned char>(next)) || next == '/') &&
          close != std::string_view::npos && close < line_end) {
        i = close;
        continue;
      }
    } else if (c == '{' && i + 1 < text.size() && text[i + 1] == '\\') {
      const std::size_t close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    } else if (c == '\\' && i + 1 < text.size() &&
               (text[i + 1] == 'N' || text[i + 1] == 'n' || text[i + 1] == 'h')) {
      out += ' ';
      ++i;
      continue;
    } else if (c == '&') {
      static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
          {"&amp;", "&"},  {"&lt;", "<"},   {"&gt;", ">"}, {"&quot;", "\""},
          {"&apos;", "'"}, {"&nbsp;", " "}, {"&lrm;", ""}, {"&rlm;", ""}};
      bool replaced = false;
      for (const auto& [entity, replacement] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out += replacement;
          i += entity.size() - 1;
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += c;
  }
  return out;
}

std::string_view ass_event_text(std::string_view event) {
  int fields_before_text = 8;
  constexpr std::string_view kDialogue = "Dialogue:";
  if (event.substr(0, kDialogue.size()) == kDialogue) {
    event.remove_prefix(kDialogue.size());
    fields_before_text = 9;
  }
  std::size_t pos = 0;
  for (int field = 0; field < fields_before_text; ++field) {
    pos = event.find(',', pos);
    if (pos == std::string_view::npos) return event;
    ++pos;
  }
  return event.substr(pos);
}

std::string iso_date(std::string_view tag) {
  while (!tag.empty() && std::isspace(static_cast<unsigned char>(tag.front())))
    tag.remove_prefix(1);
  if (tag.substr(0, 2) == "D:") tag.remove_prefix(2);

  // "14.05.2013", as Polish metadata often has it.
  if (tag.size() >= 10 && tag[2] == '.' && tag[5] == '.' && !digit_at(tag, 10)) {
    const int day = parse_digits(tag, 0, 2), month = parse_digits(tag, 3, 2),
              year = parse_digits(tag, 6, 4);
    if (day > 0 && month > 0 && year >= 1000) return format_date(year, month, day);
  }

  const int year = parse_digits(tag, 0, 4);
  if (year < 1000 || year > 2999) return {};
  std::size_t pos = 4;
  if (!digit_at(tag, pos) && pos < tag.size() && tag[pos] != '-' && tag[pos] != '/' &&
      tag[pos] != '.')
    return format_date(year, 0, 0);
  int month = 0, day = 0;
  if (pos < tag.size() && !digit_at(tag, pos)) ++pos;  // separator
  const bool separated = pos == 5;
  if (digit_at(tag, pos)) {
    month = parse_digits(tag, pos, 2);
    pos += 2;
    if (pos < tag.size() && separated && (tag[pos] == '-' || tag[pos] == '/' || tag[pos] == '.'))
      ++pos;
    if (digit_at(tag, pos)) {
      day = parse_digits(tag, pos, 2);
      pos += 2;
    }
    if (digit_at(tag, pos) && separated) return format_date(year, 0, 0);  // "2013-123"
  }
  return format_date(year, month, day);
}

}  // namespace mediateka::media
