// What an import of a folder of PDFs cannot do without, each part timed alone on one thread
// (CPU seconds), so that docs/performance.md can set the import against a lower bound:
//
//   poppler text  Poppler's text of every page in its physical layout, nothing more (what
//               pdftotext -layout does, and what extraction did before text repairs);
//   extraction  the text of every page as the extraction workers make it, without the process
//               boundary (media::extract_file: reading order, running lines left out, repairs
//               of text_repair.h; the born-digital corpus has no page to OCR);
//   covers      the first page rendered as a 320-pixel PNG (media::render_cover);
//   plain index the extracted text indexed by Xapian's own TermGenerator with positions and
//               no stemmer, one document per file, no spelling table, no stored data, one
//               commit: the least any Xapian-based importer writes for positional search.
//
// Mediateka's import does more than the last row (lemma keys, exact forms, places, hit fields,
// spelling table) on the same files.
//
// Usage: mediateka-bench-import-floor PDF_DIR
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include <poppler-document.h>
#include <poppler-page.h>

#include <memory>

#include "cover.h"
#include "extraction.h"
#include "test_files.h"

namespace {

namespace fs = std::filesystem;

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PDF_DIR\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(argv[1])) {
    if (entry.path().extension() == ".pdf") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "no .pdf files in %s\n", argv[1]);
    return 2;
  }
  const mediateka::test::TemporaryFolder scratch("mediateka-floor-");

  double start = cpu_seconds();
  std::size_t poppler_bytes = 0;
  for (const fs::path& file : files) {
    const std::unique_ptr<poppler::document> document(
        poppler::document::load_from_file(file.string()));
    if (!document || document->is_locked()) continue;
    for (int index = 0; index < document->pages(); ++index) {
      const std::unique_ptr<poppler::page> page(document->create_page(index));
      if (page)
        poppler_bytes +=
            page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8().size();
    }
  }
  const double poppler_text = cpu_seconds() - start;

  start = cpu_seconds();
  std::vector<std::string> texts;
  std::size_t failed = 0;
  for (const fs::path& file : files) {
    try {
      std::string text;
      for (const mediateka::Segment& page : mediateka::media::extract_file(file).segments) {
        text += page.text;
        text += '\n';
      }
      texts.push_back(std::move(text));
    } catch (const mediateka::media::ExtractionError& error) {
      ++failed;
      std::fprintf(stderr, "%s: %s\n", file.c_str(), error.what());
    }
  }
  const double extraction = cpu_seconds() - start;

  start = cpu_seconds();
  for (const fs::path& file : files) {
    try {
      mediateka::media::render_cover(file, mediateka::media::MediaKind::pdf,
                                     scratch.path() / "cover.png");
    } catch (const mediateka::media::ExtractionError&) {
      // counted above
    }
  }
  const double covers = cpu_seconds() - start;

  start = cpu_seconds();
  Xapian::WritableDatabase db((scratch.path() / "index").string(), Xapian::DB_CREATE);
  Xapian::TermGenerator generator;
  for (const std::string& text : texts) {
    Xapian::Document document;
    generator.set_document(document);
    generator.index_text(text);
    db.add_document(document);
  }
  db.commit();
  const double plain_index = cpu_seconds() - start;

  std::printf("files %zu (%zu failed), words %llu\n", files.size(), failed,
              static_cast<unsigned long long>(db.get_total_length()));
  std::printf("poppler_text %.2f (%zu bytes)\n", poppler_text, poppler_bytes);
  std::printf("extraction %.2f\ncovers %.2f\nplain_index %.2f\n", extraction, covers, plain_index);
  return failed == 0 ? 0 : 1;
}
