// The moment or the clip an item page's ?t= names: "?t=93" starts the player at 93 s,
// "?t=1:30,2:05" plays from 1:30 and stops at 2:05 (item pages and their embeds).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/query_string.h"

namespace mediateka::server {

struct ClipRange {
  double start = 0;           // seconds
  std::optional<double> end;  // seconds, after `start`; none: play on
};

// Seconds from "93", "93.5", "1:33" or "1:02:03" (at most 16 characters); nullopt otherwise.
std::optional<double> parse_clock_time(std::string_view text);

// ?t=START or ?t=START,END, each as parse_clock_time() reads it; nullopt when absent or
// malformed. An END not after START is dropped, so the player simply starts at START.
std::optional<ClipRange> parse_clip_range(const QueryParameters& query);

// Seconds as a media fragment and the pages' data attributes write them: "93", "93.5",
// "97.125" (at most three decimals).
std::string seconds_value(double seconds);

// The media fragment that starts (and ends) the player: "#t=93" or "#t=93,97.5"; the start
// floored to whole seconds, as the pages' links give it.
std::string media_fragment(const ClipRange& clip);

}  // namespace mediateka::server
