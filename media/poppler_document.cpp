#include "poppler_document.h"

#include <poppler-global.h>

#include "extraction.h"

namespace mediateka::media {
namespace {

void ignore_poppler_message(const std::string&, void*) {}

// Poppler builds its global parameters (fonts, encodings) when the first document opens and
// frees them when the last one closes, so opening files one after another rebuilt them for
// every file (~1 ms each). A tiny document held open for the life of the process keeps them.
// It is read from memory that poppler does not copy, hence the static storage.
constexpr char kResidentPdf[] =
    "%PDF-1.4\n"
    "1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    "2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    "3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 1 1]>> endobj\n"
    "trailer <</Root 1 0 R /Size 4>>\n"
    "%%EOF\n";

void prepare_poppler() {
  static const bool prepared = [] {
    poppler::set_debug_error_function(ignore_poppler_message, nullptr);
    static std::unique_ptr<poppler::document> resident(
        poppler::document::load_from_raw_data(kResidentPdf, sizeof kResidentPdf - 1));
    return true;
  }();
  (void)prepared;
}

}  // namespace

std::unique_ptr<poppler::document> open_pdf(const std::filesystem::path& file) {
  prepare_poppler();
  std::unique_ptr<poppler::document> document(poppler::document::load_from_file(file.string()));
  if (!document) throw ExtractionError("PDF is damaged or truncated");
  // pages() on a locked document crashes poppler 22.12: check first.
  if (document->is_locked()) throw ExtractionError("PDF is password-protected");
  if (document->pages() <= 0) throw ExtractionError("PDF is damaged or truncated (no pages)");
  return document;
}

}  // namespace mediateka::media
