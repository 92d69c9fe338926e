#include "poppler_document.h"

#include <poppler-global.h>
#include <poppler-page-renderer.h>

#include <algorithm>
#include <cmath>
#include <utility>

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

namespace mediateka::media {

PageRaster render_page_at_width(poppler::page& page, int width, int max_height_factor,
                                  const std::string& name) {
  // page_rect() is the unrotated crop box; the renderer applies the page's /Rotate.
  const poppler::rectf box = page.page_rect(poppler::crop_box);
  double page_width = box.width(), page_height = box.height();
  const auto orientation = page.orientation();
  PageRaster rendered;
  rendered.turned = orientation != poppler::page::portrait;
  if (orientation == poppler::page::landscape || orientation == poppler::page::seascape)
    std::swap(page_width, page_height);
  if (!(page_width > 1 && page_height > 1)) throw ExtractionError(name + " has no size");

  // Points are 1/72 inch, so this resolution makes the page exactly `width` pixels wide; the
  // slice arguments pin the size so rounding inside poppler cannot add or lose a column.
  rendered.dpi = width * 72.0 / page_width;
  const int height = std::clamp(static_cast<int>(std::lround(page_height * rendered.dpi / 72.0)), 1,
                                max_height_factor * width);
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing);
  renderer.set_image_format(poppler::image::format_rgb24);
  rendered.image = renderer.render_page(&page, rendered.dpi, rendered.dpi, 0, 0, width, height);
  if (!rendered.image.is_valid()) throw ExtractionError(name + " cannot be rendered");
  return rendered;
}

}  // namespace mediateka::media
