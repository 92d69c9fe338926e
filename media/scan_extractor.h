// Standalone scans: TIFF (every page of a multi-page file), PNG and JPEG pictures, read by OCR.
#pragma once

#include <filesystem>
#include <string_view>

#include "extraction.h"

namespace mediateka::media {

// Whether a file's first bytes are those of a TIFF, PNG or JPEG picture.
bool is_scan_picture(std::string_view head);

// One segment per picture page, read by Tesseract as options.ocr says; with OCR disabled the
// item has its pages but no text (a warning says so). Throws ExtractionError for a picture
// that cannot be decoded.
Extraction extract_scan(const std::filesystem::path& file, std::string_view head,
                        const ExtractOptions& options);

}  // namespace mediateka::media
