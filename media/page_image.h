// A page of a PDF as a picture for the item page (search-server's /i/{slug}/strony/{n}.png):
// rendered at a screen's width, with the words a visitor searched for painted over in yellow
// from Poppler's word boxes, so that they see where on the page the words are.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/config.h"
#include "extraction.h"
#include "media_settings.h"

namespace mediateka::media {

// A page number the document does not have.
struct NoSuchPage : ExtractionError {
  explicit NoSuchPage(const std::string& what) : ExtractionError(what) {}
};

// Where a marked word lies in the picture, in pixels.
struct MarkedWord {
  std::string text;
  int left = 0, top = 0, right = 0, bottom = 0;
};

struct RenderedPage {
  int width = 0, height = 0;
  int page_count = 0;
  std::vector<MarkedWord> marked;
};

// The colour a marked word's box is multiplied with: white paper becomes exactly this, the
// letters stay dark.
inline constexpr unsigned char kMarkRed = 255, kMarkGreen = 214, kMarkBlue = 0;

// Renders page `number` (1-based) of the PDF `file` `width` pixels wide (the height follows the
// page, at most four widths), marks every word Poppler finds on it for which `marks(word)` is
// true (the word as written, punctuation included; may be empty: nothing marked), and writes a
// PNG to png_out atomically. Throws NoSuchPage for a number outside 1..pages, ExtractionError
// when the file cannot be read or the picture written, std::invalid_argument for a width
// outside 16..4096. Pages turned by /Rotate are rendered turned, without marks.
// A page without a text layer (a scan) is read by OCR under `ocr` (when given and enabled, and
// only when there is something to mark) for its word boxes; one OCR at a time in a process.
RenderedPage render_page_image(const std::filesystem::path& file, int number, int width,
                               const std::function<bool(std::string_view)>& marks,
                               const std::filesystem::path& png_out,
                               const OcrSettings* ocr = nullptr);

// The number of pages of the PDF `file`; throws ExtractionError when it cannot be read.
int pdf_page_count(const std::filesystem::path& file);

}  // namespace mediateka::media
