// Times as a clock shows them, the one formatter of the import's progress line, the pages'
// times and the captions' cue times. Callers round to whole seconds as suits them.
#pragma once

#include <string>

namespace mediateka {

// H:MM:SS from an hour on, else M:SS (MM:SS with `pad_minutes`); negative counts as 0.
std::string clock_text(long long seconds, bool pad_minutes = false);

// HH:MM:SS.mmm, as WebVTT writes cue times; negative counts as 0.
std::string clock_text_millis(long long milliseconds);

}  // namespace mediateka
