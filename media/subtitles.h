// A tolerant reader of SubRip (.srt) and WebVTT (.vtt) subtitles and transcripts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/item.h"

namespace mediateka::media {

// Parses SRT or WebVTT text (UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1250)
// into one timed segment (page 0) per cue, in time order, markup stripped. Cues with a broken
// timestamp line are skipped with a warning naming `source_name` and the line
// ("film.srt line 12: bad timestamp '00:0x:01,000'").
std::vector<mediateka::Segment> parse_subtitles(std::string_view text,
                                                const std::string& source_name,
                                                std::vector<std::string>& warnings);

// "01:02:03,456", "01:02:03.456", "02:03.456", "01:02:03" in seconds; nullopt when malformed.
std::optional<double> parse_subtitle_time(std::string_view text);

}  // namespace mediateka::media
