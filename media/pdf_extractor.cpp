#include "pdf_extractor.h"

#include <poppler-document.h>
#include <poppler-page.h>

#include <memory>

#include "poppler_document.h"
#include "text_util.h"

namespace mediateka::media {
namespace {

// poppler-cpp hands an info string back as UTF-16 code units, but for a string stored in
// PDFDocEncoding (no byte order mark) each unit is simply one raw byte, and its to_utf8() then
// reads 0x85 as U+0085 instead of an en dash and 0x9B instead of 'ł'. The byte order mark is
// already gone, so a string whose units all fit in a byte is read as PDFDocEncoding; it could
// only be misread if it were UTF-16 made of C1 control characters or U+00A0.
std::string decode_info_string(const poppler::ustring& value) {
  bool all_bytes = true;
  for (const auto unit : value) all_bytes = all_bytes && unit <= 0xFF;
  std::string utf8;
  if (all_bytes) {
    std::string bytes;
    bytes.reserve(value.size());
    for (const auto unit : value) bytes += static_cast<char>(unit);
    utf8 = pdfdoc_to_utf8(bytes);
  } else {
    std::vector<std::uint16_t> units;
    units.reserve(value.size());
    bool in_language_tag = false;  // U+001B brackets a language code inside UTF-16 text
    for (const auto unit : value) {
      if (unit == 0x1B) {
        in_language_tag = !in_language_tag;
      } else if (!in_language_tag) {
        units.push_back(unit);
      }
    }
    utf8 = utf16_to_utf8(units);
  }
  return collapse_whitespace(utf8);
}

std::string page_text(const poppler::page& page) {
  const poppler::byte_array utf8 =
      page.text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
  return collapse_whitespace(std::string_view(utf8.data(), utf8.size()));
}

}  // namespace

Extraction extract_pdf(const std::filesystem::path& file) {
  const std::unique_ptr<poppler::document> document = open_pdf(file);
  const int page_count = document->pages();

  Extraction extraction;
  extraction.kind = MediaKind::pdf;
  extraction.mime = "application/pdf";
  extraction.pages = page_count;
  extraction.title = decode_info_string(document->info_key("Title"));
  extraction.author = decode_info_string(document->info_key("Author"));
  extraction.subject = decode_info_string(document->info_key("Subject"));
  extraction.keywords = decode_info_string(document->info_key("Keywords"));
  // The raw string keeps the local date as written; a time_t would shift it across midnight.
  extraction.date = iso_date(decode_info_string(document->info_key("CreationDate")));

  int unreadable_pages = 0;
  for (int index = 0; index < page_count; ++index) {
    std::unique_ptr<poppler::page> page(document->create_page(index));
    if (!page) {
      ++unreadable_pages;
      continue;
    }
    std::string text = page_text(*page);
    if (!text.empty()) extraction.segments.push_back({index + 1, 0, 0, std::move(text)});
  }
  if (extraction.segments.empty())
    extraction.warnings.push_back("PDF has no text layer (scanned pages need OCR)");
  if (unreadable_pages > 0)
    extraction.warnings.push_back(std::to_string(unreadable_pages) + " of " +
                                  std::to_string(page_count) + " pages could not be read");
  return extraction;
}

}  // namespace mediateka::media
