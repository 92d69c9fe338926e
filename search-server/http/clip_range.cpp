#include "http/clip_range.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mediateka::server {

std::optional<double> parse_clock_time(std::string_view text) {
  if (text.empty() || text.size() > 16) return std::nullopt;
  double seconds = 0, part = 0;
  bool digits = false, fraction = false;
  double scale = 0.1;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (fraction) {
        part += (c - '0') * scale;
        scale /= 10;
      } else {
        part = part * 10 + (c - '0');
      }
      digits = true;
    } else if (c == ':' && digits && !fraction) {
      seconds = (seconds + part) * 60;
      part = 0;
      digits = false;
    } else if (c == '.' && digits && !fraction) {
      fraction = true;
    } else {
      return std::nullopt;
    }
  }
  if (!digits) return std::nullopt;
  return seconds + part;
}

std::optional<ClipRange> parse_clip_range(const QueryParameters& query) {
  std::optional<std::string> text;
  try {
    text = query.single("t");
  } catch (const std::exception&) {
    return std::nullopt;  // ?t= given twice: a page ignores what it cannot read
  }
  if (!text) return std::nullopt;
  const std::size_t comma = text->find(',');
  const auto start = parse_clock_time(std::string_view(*text).substr(0, comma));
  if (!start) return std::nullopt;
  ClipRange clip{*start, std::nullopt};
  if (comma == std::string::npos) return clip;
  const auto end = parse_clock_time(std::string_view(*text).substr(comma + 1));
  if (!end) return std::nullopt;
  if (*end > *start) clip.end = end;
  return clip;
}

std::string seconds_value(double seconds) {
  char text[48];
  std::snprintf(text, sizeof text, "%.3f", std::max(0.0, seconds));
  std::string value = text;
  while (value.back() == '0') value.pop_back();
  if (value.back() == '.') value.pop_back();
  return value;
}

std::string media_fragment(const ClipRange& clip) {
  std::string fragment = "#t=" + seconds_value(std::floor(clip.start));
  if (clip.end) fragment += "," + seconds_value(*clip.end);
  return fragment;
}

}  // namespace mediateka::server
