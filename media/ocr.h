// Optical character recognition of scanned pages with Tesseract (libtesseract), for PDFs
// without a text layer and for standalone scans (TIFF, PNG, JPEG).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "archive/config.h"
#include "media_settings.h"

struct Pix;

namespace tesseract {
class TessBaseAPI;
}

namespace mediateka::media {

using mediateka::OcrSettings;  // media_settings.h: [ocr]

// The folder Tesseract's language data is read from under `settings`.
std::string tessdata_folder(const OcrSettings& settings);

// What stops OCR from running as configured, in words for a librarian ("OCR language 'pol' is
// not installed: no /usr/share/tesseract-ocr/5/tessdata/pol.traineddata (apt-get install
// tesseract-ocr-pol)"); empty when OCR can run or is disabled. Cheap: looks at files only.
std::string ocr_setup_problem(const OcrSettings& settings);

// "3 pages took longer than the OCR time limit (60 s) and were read only in part".
std::string ocr_time_limit_warning(int pages, const OcrSettings& settings);

// One Tesseract engine with its languages loaded (~0.4 s for pol+eng). Not thread-safe: one
// per thread or process (the extraction workers each have one).
class OcrEngine {
 public:
  // Throws ExtractionError when Tesseract cannot load every language.
  explicit OcrEngine(const OcrSettings& settings);
  ~OcrEngine();
  OcrEngine(const OcrEngine&) = delete;
  OcrEngine& operator=(const OcrEngine&) = delete;

  const OcrSettings& settings() const { return settings_; }

  // A word Tesseract read, with its box in the picture's pixels.
  struct Word {
    std::string text;
    int left = 0, top = 0, right = 0, bottom = 0;
  };
  struct Page {
    std::string text;         // lines separated by '\n', as Tesseract reads them
    bool timed_out = false;   // stopped at settings().page_seconds; `text` is what was read
    std::vector<Word> words;  // each word with its box (page pictures mark them)
  };
  // A grey (1 byte per pixel) or colour picture at `dpi`.
  Page read(const unsigned char* pixels, int width, int height, int bytes_per_pixel,
            int bytes_per_line, int dpi);
  Page read(Pix* picture);

 private:
  Page recognise(int dpi);

  OcrSettings settings_;
  std::unique_ptr<tesseract::TessBaseAPI> api_;
};

// The engine of this process for `settings`, made on first use and kept (made anew when the
// settings change). Throws as OcrEngine does.
OcrEngine& shared_ocr_engine(const OcrSettings& settings);

}  // namespace mediateka::media
