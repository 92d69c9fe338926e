#include "archive/text/utf8.h"

namespace mediateka {

Utf8Sequence utf8_sequence(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {1, true};
  std::size_t length = 0;
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // beyond U+10FFFF
  } else {
    return {1, false};
  }
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned char low = i == 1 ? second_min : 0x80, high = i == 1 ? second_max : 0xBF;
    if (i >= text.size() || byte(i) < low || byte(i) > high) return {i, false};
  }
  return {length, true};
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const Utf8Sequence sequence = utf8_sequence(text.substr(i));
    if (!sequence.valid) return false;
    i += sequence.length;
  }
  return true;
}

std::string repaired_utf8(std::string text) {
  if (is_valid_utf8(text)) return text;
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t i = 0;
  while (i < text.size()) {
    const Utf8Sequence sequence = utf8_sequence(std::string_view(text).substr(i));
    if (sequence.valid) {
      out.append(text, i, sequence.length);
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
    }
    i += sequence.length;
  }
  return out;
}

}  // namespace mediateka
