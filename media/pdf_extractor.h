// PDF extraction with poppler-cpp.
#pragma once

#include <filesystem>

#include "extraction.h"

namespace mediateka::media {

// Text per page and document metadata. Throws ExtractionError for a damaged, truncated or
// password-protected PDF.
Extraction extract_pdf(const std::filesystem::path& file);

}  // namespace mediateka::media
