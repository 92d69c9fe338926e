#include "scan_extractor.h"

#include <leptonica/allheaders.h>

#include <cstdio>
#include <memory>
#include <string>

#include "text_repair.h"

namespace mediateka::media {
namespace {

struct PixDeleter {
  void operator()(Pix* picture) const { pixDestroy(&picture); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// A scan larger than this (about A0 at 300 dpi) is refused rather than decoded.
constexpr double kMaxPixels = 150e6;

enum class Format { tiff, png, jpeg, none };

Format format_of(std::string_view head) {
  if (head.substr(0, 4) == std::string_view("II*\0", 4) ||
      head.substr(0, 4) == std::string_view("MM\0*", 4))
    return Format::tiff;
  if (head.substr(0, 8) == "\x89PNG\r\n\x1a\n") return Format::png;
  if (head.substr(0, 3) == "\xFF\xD8\xFF") return Format::jpeg;
  return Format::none;
}

int tiff_page_count(const std::filesystem::path& file) {
  std::FILE* stream = std::fopen(file.c_str(), "rb");
  if (!stream) throw ExtractionError("cannot open file");
  l_int32 count = 0;
  const bool counted = tiffGetCount(stream, &count) == 0;
  std::fclose(stream);
  if (!counted || count <= 0) throw ExtractionError("damaged TIFF: its pages cannot be counted");
  return count;
}

PixPtr read_page(const std::filesystem::path& file, Format format, int index) {
  PixPtr picture(format == Format::tiff ? pixReadTiff(file.c_str(), index) : pixRead(file.c_str()));
  if (!picture) return nullptr;
  const double pixels =
      static_cast<double>(pixGetWidth(picture.get())) * pixGetHeight(picture.get());
  if (pixels > kMaxPixels) throw ExtractionError("picture too large to read (over 150 Mpx)");
  return picture;
}

}  // namespace

bool is_scan_picture(std::string_view head) { return format_of(head) != Format::none; }

Extraction extract_scan(const std::filesystem::path& file, std::string_view head,
                        const ExtractOptions& options) {
  static const bool quiet = [] {
    setMsgSeverity(L_SEVERITY_NONE);  // Leptonica's complaints go to the report instead
    return true;
  }();
  (void)quiet;
  const Format format = format_of(head);
  Extraction extraction;
  extraction.kind = MediaKind::image;
  extraction.mime = format == Format::tiff  ? "image/tiff"
                    : format == Format::png ? "image/png"
                                            : "image/jpeg";
  const int page_count = format == Format::tiff ? tiff_page_count(file) : 1;
  extraction.pages = page_count;

  int unreadable_pages = 0, timed_out_pages = 0;
  for (int index = 0; index < page_count; ++index) {
    const PixPtr picture = read_page(file, format, index);
    if (!picture) {
      if (page_count == 1) throw ExtractionError("damaged or truncated picture");
      ++unreadable_pages;
      continue;
    }
    if (!options.ocr.enabled) continue;
    if (options.on_long_step) options.on_long_step();
    OcrEngine::Page read = shared_ocr_engine(options.ocr).read(picture.get());
    if (read.timed_out) ++timed_out_pages;
    RepairedText repaired = repair_text(read.text);
    if (repaired.text.empty()) continue;
    extraction.ocr_pages.push_back(index + 1);
    if (repaired.re_decoded) extraction.repaired_pages.push_back(index + 1);
    extraction.segments.push_back({index + 1, 0, 0, std::move(repaired.text)});
  }
  if (!options.ocr.enabled)
    extraction.warnings.push_back("scanned picture without text: OCR is disabled");
  else if (extraction.segments.empty())
    extraction.warnings.push_back("OCR found no text in the picture");
  if (timed_out_pages > 0)
    extraction.warnings.push_back(ocr_time_limit_warning(timed_out_pages, options.ocr));
  if (unreadable_pages > 0)
    extraction.warnings.push_back(std::to_string(unreadable_pages) + " of " +
                                  std::to_string(page_count) + " pages could not be read");
  return extraction;
}

}  // namespace mediateka::media
