// Times as a clock shows them, the one formatter of the import's progress line, the pages'
// times and the captions' cue times (callers round to whole seconds as suits them); and the
// one UTC timestamp.
#pragma once

#include <string>

namespace mediateka {

// H:MM:SS from an hour on, else M:SS (MM:SS with `pad_minutes`); negative counts as 0.
std::string clock_text(long long seconds, bool pad_minutes = false);

// HH:MM:SS.mmm, as WebVTT writes cue times; negative counts as 0.
std::string clock_text_millis(long long milliseconds);

// "2026-12-03T09:46:33Z": seconds since the epoch as a UTC date and time (ISO 8601 / RFC 3339),
// as reports, sitemaps, Atom and OAI-PMH write it.
std::string utc_timestamp(long long seconds);

}  // namespace mediateka
