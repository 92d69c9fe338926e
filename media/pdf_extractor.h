// PDF extraction with poppler-cpp.
#pragma once

#include <filesystem>

#include "extraction.h"

namespace mediateka::media {

// Text per page and document metadata. Text comes in Poppler's reading order, without the
// lines that repeat at the top or bottom of most pages (running headers, footers, page
// numbers), repaired by text_repair.h; pages without a text layer are read by OCR when
// options.ocr allows. Throws ExtractionError for a damaged, truncated or password-protected PDF.
Extraction extract_pdf(const std::filesystem::path& file, const ExtractOptions& options);

}  // namespace mediateka::media
