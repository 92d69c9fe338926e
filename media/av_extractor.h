// Audio and video extraction with libavformat / libavcodec.
#pragma once

#include <filesystem>

#include "extraction.h"

namespace mediateka::media {

// Duration, stream summary, tags, chapters and embedded text subtitles (as timed segments).
// Throws ExtractionError for files libavformat does not recognise or cannot open, and for
// files without an audio or video stream (still images, bare subtitle files).
Extraction extract_av(const std::filesystem::path& file);

}  // namespace mediateka::media
