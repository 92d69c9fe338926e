#include "pdf_extractor.h"

#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <vector>

#include "poppler_document.h"
#include "text_repair.h"
#include "text_util.h"

namespace mediateka::media {
namespace {

// A page with fewer letters and digits than this in its text layer is read by OCR too; the
// reading with more of them is kept.
constexpr std::size_t kMinTextLayerCharacters = 16;

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
  return repair_text(utf8).text;
}

// A line of a page as Poppler's reading order gives it, with where it sits on the page.
struct Line {
  std::string text;
  double top = 0, bottom = 0;
};

// The page's words in Poppler's reading order (columns whole, not interleaved as in its
// physical layout), grouped into lines: a word that does not overlap the line's height, or
// that moves left, starts a new one. Hyphens at line ends are kept for text_repair to judge.
std::vector<Line> page_lines(const poppler::page& page) {
  std::vector<Line> lines;
  double last_left = 0, last_right = 0;
  bool space_after_last = false;
  for (const poppler::text_box& box : page.text_list()) {
    const poppler::rectf area = box.bbox();
    const double top = area.top(), bottom = area.bottom();
    const double height = std::max(bottom - top, 1.0);
    const poppler::byte_array word = box.text().to_utf8();
    bool same_line = false;
    if (!lines.empty()) {
      const Line& line = lines.back();
      const double overlap = std::min(bottom, line.bottom) - std::max(top, line.top);
      same_line =
          overlap > 0.5 * std::min(height, line.bottom - line.top) && area.left() >= last_left;
    }
    if (same_line) {
      Line& line = lines.back();
      if (space_after_last || area.left() - last_right > 0.2 * height) line.text += ' ';
      line.top = std::min(line.top, top);
      line.bottom = std::max(line.bottom, bottom);
    } else {
      lines.push_back({std::string(), top, bottom});
    }
    lines.back().text.append(word.data(), word.size());
    last_left = area.left();
    last_right = area.right();
    space_after_last = box.has_space_after();
  }
  return lines;
}

// A line with its digits blurred, so that "Strona 3" and "Strona 4" count as one line.
std::string line_shape(const std::string& text) {
  std::string shape;
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (shape.empty() || shape.back() != '#') shape += '#';
    } else if (c != ' ' || (!shape.empty() && shape.back() != ' ')) {
      shape += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return shape;
}

// The lines nearest the top and the bottom edge of a page: where running headers, footers and
// page numbers sit.
std::vector<std::size_t> edge_lines(const std::vector<Line>& lines) {
  constexpr std::size_t kPerEdge = 2;
  std::vector<std::size_t> order(lines.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return lines[a].top < lines[b].top; });
  if (order.size() <= 2 * kPerEdge) return order;
  std::vector<std::size_t> edges(order.begin(), order.begin() + kPerEdge);
  edges.insert(edges.end(), order.end() - kPerEdge, order.end());
  return edges;
}

// Whether a line's shape (line_shape()) is a page number however it is written: "7", "- 7 -",
// "[7]", "s. 7", "str. 7", "strona 7", "strona 7 z 12", "7 z 12", "7/12", "page 7 of 12". Such a
// line at a page's edge is a running line even in a document too short for repetition to tell.
bool page_number_shape(std::string shape, const std::string& text) {
  // A lone number of four digits is more likely a year than a page.
  const auto digits = std::count_if(
      text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (digits > 6) return false;
  while (!shape.empty() && std::string_view("-–—[]()|. ").find(shape.back()) != std::string::npos)
    shape.pop_back();
  std::size_t start = 0;
  while (start < shape.size() &&
         std::string_view("-–—[]()|. ").find(shape[start]) != std::string_view::npos)
    ++start;
  shape.erase(0, start);
  static const char* const kShapes[] = {
      "#",   "s.#",   "s. #",   "str.#",       "str. #", "strona #",   "strona # z #", "# z #",
      "#/#", "# / #", "page #", "page # of #", "# of #", "str. # z #", "s. # z #"};
  if (shape == "#") return digits <= 3;
  for (const char* known : kShapes)
    if (shape == known) return true;
  return false;
}

// Marks the running lines: an edge line whose shape is an edge line of at least half the
// pages (and of three pages or more) repeats on every page, and would otherwise come up in
// snippets and join the text around it into false phrases. A page number ("strona 2 z 2", a
// lone "2") at the edge of a page of three lines or more is one whatever the page count.
std::vector<std::vector<bool>> running_lines(const std::vector<std::vector<Line>>& pages) {
  std::map<std::string, int> pages_with_shape;
  int pages_with_text = 0;
  for (const std::vector<Line>& lines : pages) {
    if (lines.empty()) continue;
    ++pages_with_text;
    std::set<std::string> shapes;
    for (const std::size_t i : edge_lines(lines)) shapes.insert(line_shape(lines[i].text));
    for (const std::string& shape : shapes) ++pages_with_shape[shape];
  }
  std::vector<std::vector<bool>> running(pages.size());
  for (std::size_t page = 0; page < pages.size(); ++page) {
    running[page].assign(pages[page].size(), false);
    for (const std::size_t i : edge_lines(pages[page])) {
      const std::string shape = line_shape(pages[page][i].text);
      const int count = pages_with_shape[shape];
      running[page][i] = (count >= 3 && 2 * count >= pages_with_text) ||
                         (pages[page].size() >= 3 && page_number_shape(shape, pages[page][i].text));
    }
  }
  return running;
}

// Letters and digits in `text`: fewer than a handful means a scan (or an empty page).
std::size_t visible_characters(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    count += std::isalnum(byte) || (byte & 0xC0) == 0xC0 ? 1 : 0;  // ASCII, or a UTF-8 lead
  }
  return count;
}

// The page as Tesseract reads it, rendered in grey at the configured resolution.
OcrEngine::Page ocr_page(const poppler::page& page, const OcrSettings& settings) {
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing);
  renderer.set_image_format(poppler::image::format_gray8);
  const poppler::image image = renderer.render_page(&page, settings.dpi, settings.dpi);
  if (!image.is_valid()) throw ExtractionError("the page cannot be rendered for OCR");
  return shared_ocr_engine(settings).read(
      reinterpret_cast<const unsigned char*>(image.const_data()), image.width(), image.height(), 1,
      image.bytes_per_row(), settings.dpi);
}

}  // namespace

Extraction extract_pdf(const std::filesystem::path& file, const ExtractOptions& options) {
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

  std::vector<std::unique_ptr<poppler::page>> pages(static_cast<std::size_t>(page_count));
  std::vector<std::vector<Line>> lines(pages.size());
  int unreadable_pages = 0;
  for (std::size_t index = 0; index < pages.size(); ++index) {
    pages[index].reset(document->create_page(static_cast<int>(index)));
    if (pages[index]) {
      lines[index] = page_lines(*pages[index]);
    } else {
      ++unreadable_pages;
    }
  }
  // A page tree that loops, or whose pages are all broken: nothing of the file can be archived.
  if (unreadable_pages == page_count)
    throw ExtractionError("none of the PDF's " + std::to_string(page_count) +
                          " pages can be read (a damaged page tree)");
  const std::vector<std::vector<bool>> running = running_lines(lines);

  int timed_out_pages = 0, pages_with_little_text = 0;
  std::string ocr_problem;
  for (std::size_t index = 0; index < pages.size(); ++index) {
    if (!pages[index]) continue;
    const int number = static_cast<int>(index) + 1;
    std::string text;
    for (std::size_t i = 0; i < lines[index].size(); ++i) {
      if (running[index][i]) continue;
      text += lines[index][i].text;
      text += '\n';
    }
    lines[index].clear();
    const bool little_text = visible_characters(text) < kMinTextLayerCharacters;
    if (little_text) ++pages_with_little_text;
    if (little_text && options.ocr.enabled && ocr_problem.empty()) {
      if (options.on_long_step) options.on_long_step();
      try {
        OcrEngine::Page read = ocr_page(*pages[index], options.ocr);
        if (read.timed_out) ++timed_out_pages;
        // A short text layer may be all there is ("Spis treści" on a page of its own).
        if (visible_characters(read.text) > visible_characters(text)) {
          text = std::move(read.text);
          extraction.ocr_pages.push_back(number);
        }
      } catch (const ExtractionError& error) {
        ocr_problem = error.what();  // the same for every page: say it once
      }
    }
    pages[index].reset();
    RepairedText repaired = repair_text(text);
    if (repaired.re_decoded) extraction.repaired_pages.push_back(number);
    if (!repaired.text.empty())
      extraction.segments.push_back({number, 0, 0, std::move(repaired.text)});
  }
  if (!ocr_problem.empty()) extraction.warnings.push_back("OCR failed: " + ocr_problem);
  if (timed_out_pages > 0)
    extraction.warnings.push_back(ocr_time_limit_warning(timed_out_pages, options.ocr));
  if (options.ocr.enabled && extraction.segments.empty())
    extraction.warnings.push_back("PDF has no text, not even by OCR");
  if (!options.ocr.enabled && pages_with_little_text > 0)
    extraction.warnings.push_back(std::to_string(pages_with_little_text) + " of " +
                                  std::to_string(page_count) +
                                  " pages have no text layer (OCR is disabled)");
  if (unreadable_pages > 0)
    extraction.warnings.push_back(std::to_string(unreadable_pages) + " of " +
                                  std::to_string(page_count) + " pages could not be read");
  return extraction;
}

}  // namespace mediateka::media
