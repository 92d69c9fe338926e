// Cover pictures: the first page of a PDF or a representative frame of a video, as a PNG.
#pragma once

#include <cstdint>
#include <filesystem>

#include "extraction.h"

namespace mediateka::media {

// An audio file without embedded cover art: nothing to render, and nothing wrong with the file.
struct NoCoverArt : ExtractionError {
  NoCoverArt() : ExtractionError("no picture in an audio file") {}
};

// Renders a cover `width` pixels wide (height follows the picture's aspect ratio, capped at
// four times the width) and writes it to png_out atomically: a temporary file beside it, then
// a rename, so a reader never sees half a PNG and a failure leaves an older cover in place.
//
//   pdf:   the first page (poppler-cpp).
//   video: a frame at 10% of the duration or 5 s, whichever is earlier; the first decodable
//          frame when seeking fails. Video heights are even.
//   audio: the embedded cover art (an attached picture) when there is one.
//
// Throws ExtractionError when the file has no usable picture (locked or damaged PDF, truncated
// or undecodable video; NoCoverArt for audio without cover art) or png_out cannot be written;
// std::invalid_argument for a width outside 16..4096.
// Thread-safe: calls share nothing. Runs in the calling process, like extract_file().
void render_cover(const std::filesystem::path& file, MediaKind kind,
                  const std::filesystem::path& png_out, int width = 320);

// Encodes packed RGB24 rows as a PNG and writes it to png_out atomically, as covers are.
// Throws ExtractionError when it cannot.
void write_rgb_png(const std::uint8_t* rgb, int bytes_per_row, int width, int height,
                   const std::filesystem::path& png_out);

}  // namespace mediateka::media
