#include "text_repair.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "archive/text/polish_dictionary.h"
#include "text_util.h"

namespace mediateka::media {
namespace {

// Windows-1252's characters in 0x80-0x9F (the rest of the byte range is Latin-1's).
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// The bytes a Latin-1 or Windows-1252 decoder turned into `text` (decoders of either kind, or
// a mix, leave C1 controls or Windows-1252's letters for 0x80-0x9F); false when a character
// cannot have come from one byte.
bool western_bytes(std::string_view text, std::string& bytes) {
  bytes.clear();
  for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
    const unsigned c = *it;
    if (c <= 0xFF) {
      bytes += static_cast<char>(c);
      continue;
    }
    const auto high = std::find(kCp1252High.begin(), kCp1252High.end(), c);
    if (high == kCp1252High.end()) return false;
    bytes += static_cast<char>(0x80 + (high - kCp1252High.begin()));
  }
  return true;
}

std::string cp1252_to_utf8(std::string_view bytes) {
  std::string out;
  for (const char byte : bytes) {
    const auto code = static_cast<unsigned char>(byte);
    Xapian::Unicode::append_utf8(
        out, code >= 0x80 && code < 0xA0 ? kCp1252High[code - 0x80] : unsigned{code});
  }
  return out;
}

std::string latin2_to_utf8(std::string_view bytes) {
  const icu::UnicodeString decoded(bytes.data(), static_cast<int32_t>(bytes.size()), "ISO-8859-2");
  std::string out;
  decoded.toUTF8String(out);
  return out;
}

// Characters that correct Polish text rarely holds and mis-decoded Polish nearly always does:
// Latin-1's letters and signs (but no-break space, §, ©, «, soft hyphen, ®, °, ·, », Ó, ×, ó),
// Windows-1252's letters (but its dashes, quotes, ellipsis, bullet and euro) and Ă, Ĺ (UTF-8
// read as Windows-1250).
bool looks_mis_decoded(std::string_view text) {
  static constexpr std::u32string_view kCommonInPolish =
      U"\u00A0\u00A7\u00A9\u00AB\u00AD\u00AE\u00B0\u00B7\u00BB\u00D3\u00D7\u00F3"
      U"\u2013\u2014\u2018\u2019\u201C\u201D\u201E\u2022\u2026\u20AC";
  for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
    const char32_t c = *it;
    if (c < 0x80 || kCommonInPolish.find(c) != std::u32string_view::npos) continue;
    if (c <= 0xFF || c == 0x0102 || c == 0x0139 ||
        std::find(kCp1252High.begin(), kCp1252High.end(), c) != kCp1252High.end())
      return true;
  }
  return false;
}

// How well the dictionary reads `text`: words it knows minus words it does not (words of two
// letters or more; digits and signs split words, as "spo³eczna" splits into "spo" "eczna").
class ReadingScore {
 public:
  explicit ReadingScore(const PolishDictionary& dictionary) : dictionary_(dictionary) {}

  int operator()(std::string_view text) {
    int score = 0;
    std::string word;
    std::size_t letters = 0;
    const auto finish_word = [&] {
      if (letters >= 2) score += known(word) ? 1 : -1;
      word.clear();
      letters = 0;
    };
    for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
      if (u_isalpha(static_cast<UChar32>(*it))) {
        Xapian::Unicode::append_utf8(word, *it);
        ++letters;
      } else {
        finish_word();
      }
    }
    finish_word();
    return score;
  }

 private:
  bool known(const std::string& word) {
    const auto cached = known_.find(word);
    if (cached != known_.end()) return cached->second;
    const bool knows = dictionary_.knows(word);
    known_.emplace(word, knows);
    return knows;
  }

  const PolishDictionary& dictionary_;
  std::unordered_map<std::string, bool> known_;  // the readings share most of their words
};

// The Latin ligatures U+FB00-U+FB06 spelled out. Mis-decoded text may hold them too, and they
// have no byte in the code pages repair_encoding() tries, while NFKC, which would spell them
// out, must wait: it turns the "³" of "spo³eczna" into a "3".
std::string spell_out_ligatures(std::string_view text) {
  static constexpr const char* kLigatures[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
  std::string out;
  out.reserve(text.size());
  for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
    const unsigned c = *it;
    if (c >= 0xFB00 && c <= 0xFB06) {
      out += kLigatures[c - 0xFB00];
    } else {
      Xapian::Unicode::append_utf8(out, c);
    }
  }
  return out;
}

bool is_letter(char32_t c) { return u_isalpha(static_cast<UChar32>(c)); }

bool is_line_end_hyphen(char32_t c) { return c == '-' || c == 0x00AD || c == 0x2010; }

// The code point that ends before `end`, and where it starts.
char32_t previous_code_point(std::string_view text, std::size_t end, std::size_t& start) {
  start = end;
  do {
    --start;
  } while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80);
  Xapian::Utf8Iterator it(text.data() + start, end - start);
  return *it;
}

}  // namespace

const PolishDictionary* repair_dictionary() {
  static const std::unique_ptr<PolishDictionary> dictionary =
      []() -> std::unique_ptr<PolishDictionary> {
    try {
      return std::make_unique<PolishDictionary>();
    } catch (const std::runtime_error&) {
      return nullptr;
    }
  }();
  return dictionary.get();
}

bool repair_encoding(std::string& text, const PolishDictionary& dictionary) {
  if (!looks_mis_decoded(text)) return false;

  std::vector<std::string> readings;
  std::string bytes;
  if (western_bytes(text, bytes)) {
    readings.push_back(cp1250_to_utf8(bytes));  // Windows-1250 read as Latin-1/Windows-1252
    readings.push_back(latin2_to_utf8(bytes));  // ISO-8859-2 read as Latin-1/Windows-1252
    if (is_valid_utf8(bytes)) readings.push_back(bytes);  // UTF-8 read as Latin-1/1252
  }
  if (utf8_to_cp1250(text, bytes)) {
    if (is_valid_utf8(bytes)) readings.push_back(bytes);  // UTF-8 read as Windows-1250
    readings.push_back(cp1252_to_utf8(bytes));            // Windows-1252 read as Windows-1250
  }
  if (readings.empty()) return false;

  ReadingScore score(dictionary);
  int best_score = score(text);
  const std::string* best = nullptr;
  for (const std::string& reading : readings) {
    if (reading == text) continue;
    const int reading_score = score(reading);
    if (reading_score > best_score) {
      best_score = reading_score;
      best = &reading;
    }
  }
  if (!best) return false;
  text = *best;
  return true;
}

std::string normalize_text(std::string_view text) {
  bool ascii = true;
  for (const char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(text);

  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* const nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (!nfkc) throw std::runtime_error("ICU has no NFKC normalizer");
  status = U_ZERO_ERROR;
  const icu::UnicodeString normalized =
      nfkc->normalize(icu::UnicodeString::fromUTF8(
                          icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))),
                      status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

std::string join_hyphenated_lines(std::string_view text, const PolishDictionary* dictionary) {
  std::string out;
  out.reserve(text.size());
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    const bool last = line_end == std::string_view::npos;
    if (last) line_end = text.size();
    out.append(text.substr(line_start, line_end - line_start));
    if (last) break;
    line_start = line_end + 1;

    // Does this line end with letters and a hyphen, and the next begin with a letter?
    std::size_t trimmed = out.size();
    while (trimmed > 0 && (out[trimmed - 1] == ' ' || out[trimmed - 1] == '\t')) --trimmed;
    std::size_t next = line_start;
    while (next < text.size() && (text[next] == ' ' || text[next] == '\t')) ++next;
    std::size_t hyphen_start = 0, letter_start = 0;
    const char32_t hyphen = trimmed == 0 ? 0 : previous_code_point(out, trimmed, hyphen_start);
    const char32_t first =
        next >= text.size() ? 0 : *Xapian::Utf8Iterator(text.data() + next, text.size() - next);
    if (!is_line_end_hyphen(hyphen) || hyphen_start == 0 ||
        !is_letter(previous_code_point(out, hyphen_start, letter_start)) || !is_letter(first)) {
      out += '\n';
      continue;
    }

    // A soft hyphen always joins. Otherwise a capital after the break ("Bielsko-\nBiała"), or a
    // word of its own when the joined letters are none ("polsko-\nniemiecki"), is a compound.
    bool keep_hyphen = false;
    if (hyphen != 0x00AD) keep_hyphen = u_isupper(static_cast<UChar32>(first));
    if (hyphen != 0x00AD && !keep_hyphen && dictionary) {
      std::size_t head_start = hyphen_start;
      for (std::size_t start = 0; head_start > 0; head_start = start)
        if (!is_letter(previous_code_point(out, head_start, start))) break;
      const std::string head = out.substr(head_start, hyphen_start - head_start);
      std::string tail;
      for (Xapian::Utf8Iterator it(text.data() + next, text.size() - next);
           it != Xapian::Utf8Iterator() && is_letter(*it); ++it)
        Xapian::Unicode::append_utf8(tail, *it);
      keep_hyphen = !dictionary->knows(head + tail) && dictionary->knows(tail);
    }
    out.resize(keep_hyphen ? trimmed : hyphen_start);
    line_start = next;
  }
  return out;
}

RepairedText repair_text(std::string_view text) {
  RepairedText repaired;
  std::string working(text);
  const PolishDictionary* dictionary = repair_dictionary();
  if (dictionary && looks_mis_decoded(working)) {
    // Line by line: a page may mix a mis-decoded font with correct ones (a heading, a quote).
    std::string lines;
    std::size_t start = 0;
    while (start <= working.size()) {
      std::size_t end = working.find('\n', start);
      if (end == std::string::npos) end = working.size();
      std::string line = spell_out_ligatures(std::string_view(working).substr(start, end - start));
      if (repair_encoding(line, *dictionary)) repaired.re_decoded = true;
      lines += line;
      if (end < working.size()) lines += '\n';
      start = end + 1;
    }
    working = std::move(lines);
  }
  working = normalize_text(working);
  repaired.text = collapse_whitespace(join_hyphenated_lines(working, dictionary));
  return repaired;
}

}  // namespace mediateka::media
