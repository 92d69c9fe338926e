#include "subtitles.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include "text_util.h"

namespace mediateka::media {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool is_all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

std::string decode_to_utf8(std::string_view text, const std::string& source_name,
                           std::vector<std::string>& warnings) {
  if (starts_with(text, "\xEF\xBB\xBF")) return std::string(text.substr(3));
  const bool utf16_le = starts_with(text, "\xFF\xFE");
  if (utf16_le || starts_with(text, "\xFE\xFF")) {
    std::vector<std::uint16_t> units;
    units.reserve(text.size() / 2);
    for (std::size_t i = 2; i + 1 < text.size(); i += 2) {
      const auto first = static_cast<unsigned char>(text[i]);
      const auto second = static_cast<unsigned char>(text[i + 1]);
      units.push_back(utf16_le ? (second << 8 | first) : (first << 8 | second));
    }
    return utf16_to_utf8(units);
  }
  if (is_valid_utf8(text)) return std::string(text);
  warnings.push_back(source_name + ": not UTF-8, read as Windows-1250");
  return cp1250_to_utf8(text);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// A line outside a cue that was probably meant as a timestamp line ("00:00:01,000 00:00:02,000"
// or "00:00:01,000 -> 00:00:02,000") rather than a cue number or identifier.
bool looks_like_timestamp_line(std::string_view line) {
  return !line.empty() && std::isdigit(static_cast<unsigned char>(line.front())) &&
         line.find(':') != std::string_view::npos && !is_all_digits(line);
}

struct CueTimes {
  double start_s;
  double end_s;
};

std::optional<CueTimes> parse_timing_line(std::string_view line) {
  const std::size_t arrow = line.find("-->");
  if (arrow == std::string_view::npos) return std::nullopt;
  std::string_view right = trim(line.substr(arrow + 3));
  // WebVTT cue settings ("align:start line:0") follow the end time after whitespace.
  const auto settings = std::find_if(right.begin(), right.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c));
  });
  right = right.substr(0, static_cast<std::size_t>(settings - right.begin()));
  const auto start = parse_subtitle_time(trim(line.substr(0, arrow)));
  const auto end = parse_subtitle_time(right);
  if (!start || !end) return std::nullopt;
  return CueTimes{*start, *end};
}

}  // namespace

std::optional<double> parse_subtitle_time(std::string_view text) {
  text = trim(text);
  std::vector<long> fields;
  long fraction_value = 0;
  int fraction_digits = 0;
  std::size_t pos = 0;
  while (true) {
    const std::size_t digits_start = pos;
    long value = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])) &&
           pos - digits_start < 9) {
      value = value * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos == digits_start) return std::nullopt;
    fields.push_back(value);
    if (pos < text.size() && text[pos] == ':' && fields.size() < 3) {
      ++pos;
      continue;
    }
    break;
  }
  if (pos < text.size() && (text[pos] == ',' || text[pos] == '.')) {
    ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (fraction_digits < 6) {
        fraction_value = fraction_value * 10 + (text[pos] - '0');
        ++fraction_digits;
      }
      ++pos;
    }
    if (fraction_digits == 0) return std::nullopt;
  }
  if (pos != text.size() || fields.size() < 2) return std::nullopt;
  const long seconds = fields.back();
  const long minutes = fields[fields.size() - 2];
  const long hours = fields.size() == 3 ? fields[0] : 0;
  if (seconds >= 60 || (fields.size() == 3 && minutes >= 60)) return std::nullopt;
  double fraction = static_cast<double>(fraction_value);
  for (int i = 0; i < fraction_digits; ++i) fraction /= 10;
  return static_cast<double>(hours * 3600 + minutes * 60 + seconds) + fraction;
}

std::vector<mediateka::Segment> parse_subtitles(std::string_view raw_text,
                                                const std::string& source_name,
                                                std::vector<std::string>& warnings) {
  const std::string text = decode_to_utf8(raw_text, source_name, warnings);
  const std::vector<std::string_view> lines = split_lines(text);
  const bool webvtt = !lines.empty() && starts_with(lines.front(), "WEBVTT");

  std::vector<mediateka::Segment> segments;
  enum class State { between, in_cue, skipping_cue, skipping_block } state = State::between;
  mediateka::Segment cue;
  std::string cue_text;

  auto finish_cue = [&] {
    if (state == State::in_cue) {
      cue.text = collapse_whitespace(strip_subtitle_markup(cue_text));
      if (!cue.text.empty()) segments.push_back(cue);
    }
    cue_text.clear();
    state = State::between;
  };

  for (std::size_t index = webvtt ? 1 : 0; index < lines.size(); ++index) {
    const std::string_view line = trim(lines[index]);
    const std::size_t line_number = index + 1;
    const bool next_is_timing =
        index + 1 < lines.size() && lines[index + 1].find("-->") != std::string_view::npos;

    if (line.find("-->") != std::string_view::npos) {
      finish_cue();
      if (const auto times = parse_timing_line(line)) {
        if (times->end_s < times->start_s) {
          warnings.push_back(source_name + " line " + std::to_string(line_number) +
                             ": cue ends before it starts '" + std::string(line) + "'");
          state = State::skipping_cue;
        } else {
          cue = mediateka::Segment{0, times->start_s, times->end_s, {}};
          state = State::in_cue;
        }
      } else {
        warnings.push_back(source_name + " line " + std::to_string(line_number) +
                           ": bad timestamp '" + std::string(line) + "'");
        state = State::skipping_cue;
      }
      continue;
    }
    if (line.empty()) {
      finish_cue();
      continue;
    }
    switch (state) {
      case State::in_cue:
      case State::skipping_cue:
        // Without a blank line between cues, the next cue's number ends this one.
        if (next_is_timing && (is_all_digits(line) || webvtt)) {
          finish_cue();
        } else if (state == State::in_cue) {
          if (!cue_text.empty()) cue_text += ' ';
          cue_text += line;
        }
        break;
      case State::skipping_block:
        break;
      case State::between:
        if (webvtt && (starts_with(line, "NOTE") || starts_with(line, "STYLE") ||
                       starts_with(line, "REGION"))) {
          state = State::skipping_block;
        } else if (!next_is_timing && !is_all_digits(line) && !webvtt &&
                   looks_like_timestamp_line(line)) {
          warnings.push_back(source_name + " line " + std::to_string(line_number) +
                             ": bad timestamp '" + std::string(line) + "'");
          state = State::skipping_cue;
        }
        break;
    }
  }
  finish_cue();

  std::stable_sort(segments.begin(), segments.end(),
                   [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
  return segments;
}

}  // namespace mediateka::media
