// Small text helpers shared by the extractors: encodings, markup, whitespace, dates.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/text/utf8.h"  // is_valid_utf8

namespace mediateka::media {

void append_utf8(std::string& out, char32_t code_point);
// UTF-16 code units (surrogate pairs joined, lone surrogates replaced by U+FFFD) to UTF-8.
std::string utf16_to_utf8(const std::vector<std::uint16_t>& units);
// Bytes in PDFDocEncoding (PDF 1.7, table D.2) to UTF-8; undefined codes are dropped.
std::string pdfdoc_to_utf8(std::string_view bytes);
// Windows-1250 (the usual encoding of Polish .srt files) to UTF-8.
std::string cp1250_to_utf8(std::string_view bytes);
// UTF-8 to Windows-1250; false when a character has no byte there (or the text is not UTF-8).
bool utf8_to_cp1250(std::string_view utf8, std::string& bytes);

// The text itself when it is valid UTF-8, else its Windows-1250 reading (old Polish ID3 tags
// and subtitles).
std::string ensure_utf8(std::string_view text);

// Replaces every run of whitespace (including no-break spaces and control characters) by one
// space and trims both ends. Bytes that are not UTF-8 are dropped.
std::string collapse_whitespace(std::string_view text);

// Removes subtitle markup: HTML-like tags (<i>, <font ...>, <c.x>, <v Speaker>) and ASS override
// blocks ({\an8}); ASS line breaks (\N, \n) and hard spaces (\h) become spaces.
std::string strip_subtitle_markup(std::string_view text);

// The text field of an ASS event line as FFmpeg's decoders produce it
// ("ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text", or an older
// "Dialogue: Layer,Start,End,Style,Name,MarginL,MarginR,MarginV,Effect,Text").
std::string_view ass_event_text(std::string_view event);

// A date tag ("2013", "2013-05", "2013-05-14", "2013-05-14T10:00:00Z", "20130514",
// "2013/05/14", PDF "D:20130514100000+02'00'") as ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY";
// empty when it is not a plausible date.
std::string iso_date(std::string_view tag);

}  // namespace mediateka::media
