// Opening PDFs with poppler-cpp, shared by text extraction and covers. Internal to media/.
#pragma once

#include <poppler-document.h>

#include <filesystem>
#include <memory>

namespace mediateka::media {

// Opens `file` for reading, or throws ExtractionError saying why it cannot be read (damaged,
// truncated, password-protected, no pages). Poppler's messages on stderr are silenced, and its
// global state (font configuration) is kept between files rather than rebuilt for each one.
std::unique_ptr<poppler::document> open_pdf(const std::filesystem::path& file);

}  // namespace mediateka::media
