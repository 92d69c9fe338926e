#include "page_image.h"

#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "cover.h"
#include "ocr.h"
#include "poppler_document.h"

namespace mediateka::media {

namespace {

constexpr int kMaxHeightFactor = 4;

// Multiplies the pixels of [left, right) × [top, bottom) by the mark colour.
void paint_mark(std::uint8_t* pixels, int bytes_per_row, int width, int height,
                const MarkedWord& box) {
  const int left = std::clamp(box.left, 0, width), right = std::clamp(box.right, 0, width);
  const int top = std::clamp(box.top, 0, height), bottom = std::clamp(box.bottom, 0, height);
  for (int y = top; y < bottom; ++y) {
    std::uint8_t* row = pixels + static_cast<std::ptrdiff_t>(y) * bytes_per_row;
    for (int x = left; x < right; ++x) {
      std::uint8_t* pixel = row + 3 * x;
      pixel[0] = static_cast<std::uint8_t>(pixel[0] * kMarkRed / 255);
      pixel[1] = static_cast<std::uint8_t>(pixel[1] * kMarkGreen / 255);
      pixel[2] = static_cast<std::uint8_t>(pixel[2] * kMarkBlue / 255);
    }
  }
}

}  // namespace

int pdf_page_count(const std::filesystem::path& file) { return open_pdf(file)->pages(); }

RenderedPage render_page_image(const std::filesystem::path& file, int number, int width,
                               const std::function<bool(std::string_view)>& marks,
                               const std::filesystem::path& png_out, const OcrSettings* ocr) {
  if (width < 16 || width > 4096) throw std::invalid_argument("width must be 16..4096");
  const std::unique_ptr<poppler::document> document = open_pdf(file);
  RenderedPage rendered;
  rendered.page_count = document->pages();
  if (number < 1 || number > rendered.page_count)
    throw NoSuchPage("the PDF has no page " + std::to_string(number) + " (it has " +
                     std::to_string(rendered.page_count) + ")");
  std::unique_ptr<poppler::page> page(document->create_page(number - 1));
  if (!page) throw ExtractionError("page " + std::to_string(number) + " cannot be read");

  PageRaster page_picture =
      render_page_at_width(*page, width, kMaxHeightFactor, "page " + std::to_string(number));
  poppler::image& image = page_picture.image;
  const double dpi = page_picture.dpi;
  const bool turned = page_picture.turned;
  rendered.width = image.width();
  rendered.height = image.height();

  // Word boxes are in points from the crop box's top left corner, as the page is upright.
  std::vector<MarkedWord> words;
  if (marks && !turned) {
    const double scale = dpi / 72.0;
    for (const poppler::text_box& word : page->text_list()) {
      const poppler::byte_array utf8 = word.text().to_utf8();
      const poppler::rectf area = word.bbox();
      words.push_back({std::string(utf8.data(), utf8.size()),
                       static_cast<int>(std::floor(area.left() * scale)) - 1,
                       static_cast<int>(std::floor(area.top() * scale)) - 1,
                       static_cast<int>(std::ceil(area.right() * scale)) + 1,
                       static_cast<int>(std::ceil(area.bottom() * scale)) + 1});
    }
    // A scan: its words as OCR reads them at the configured resolution, boxes scaled to ours.
    if (words.empty() && ocr && ocr->enabled) {
      static std::mutex ocr_mutex;  // one Tesseract engine per process (ocr.h)
      std::lock_guard<std::mutex> lock(ocr_mutex);
      poppler::page_renderer grey;
      grey.set_render_hint(poppler::page_renderer::antialiasing);
      grey.set_render_hint(poppler::page_renderer::text_antialiasing);
      grey.set_image_format(poppler::image::format_gray8);
      const poppler::image scan = grey.render_page(page.get(), ocr->dpi, ocr->dpi);
      if (scan.is_valid()) {
        const OcrEngine::Page read = shared_ocr_engine(*ocr).read(
            reinterpret_cast<const unsigned char*>(scan.const_data()), scan.width(), scan.height(),
            1, scan.bytes_per_row(), ocr->dpi);
        const double scale = dpi / ocr->dpi;
        for (const OcrEngine::Word& word : read.words) {
          words.push_back({word.text, static_cast<int>(std::floor(word.left * scale)) - 1,
                           static_cast<int>(std::floor(word.top * scale)) - 1,
                           static_cast<int>(std::ceil(word.right * scale)) + 1,
                           static_cast<int>(std::ceil(word.bottom * scale)) + 1});
        }
      }
    }
  }
  for (MarkedWord& mark : words) {
    if (mark.text.empty() || !marks(mark.text)) continue;
    paint_mark(reinterpret_cast<std::uint8_t*>(image.data()), image.bytes_per_row(), rendered.width,
               rendered.height, mark);
    rendered.marked.push_back(std::move(mark));
  }
  write_rgb_png(reinterpret_cast<const std::uint8_t*>(image.const_data()), image.bytes_per_row(),
                rendered.width, rendered.height, png_out);
  return rendered;
}

}  // namespace mediateka::media
