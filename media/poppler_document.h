// Opening PDFs with poppler-cpp, shared by text extraction and covers. Internal to media/.
#pragma once

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page.h>

#include <filesystem>
#include <memory>
#include <string>

namespace mediateka::media {

// Opens `file` for reading, or throws ExtractionError saying why it cannot be read (damaged,
// truncated, password-protected, no pages). Poppler's messages on stderr are silenced, and its
// global state (font configuration) is kept between files rather than rebuilt for each one.
std::unique_ptr<poppler::document> open_pdf(const std::filesystem::path& file);

// A page rendered as RGB exactly `width` pixels wide, its height following the page's proportions
// (at most `max_height_factor` widths), the page's /Rotate applied.
struct PageRaster {
  poppler::image image;
  double dpi = 0;       // the resolution that made it `width` wide
  bool turned = false;  // rotated by /Rotate: word boxes no longer match the picture
};
// Throws ExtractionError("<name> has no size" / "<name> cannot be rendered").
PageRaster render_page_at_width(poppler::page& page, int width, int max_height_factor,
                                  const std::string& name);

}  // namespace mediateka::media
