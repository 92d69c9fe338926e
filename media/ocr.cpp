#include "ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <vector>

#include "extraction.h"

namespace mediateka::media {
namespace {

// Debian's tesseract-ocr-* packages install their data here (tesseract 5).
constexpr const char* kDebianTessdata = "/usr/share/tesseract-ocr/5/tessdata";

std::vector<std::string> language_names(const std::string& languages) {
  std::vector<std::string> names;
  std::istringstream in(languages);
  for (std::string name; std::getline(in, name, '+');)
    if (!name.empty()) names.push_back(name);
  return names;
}

// Debian names the package of a language after Tesseract's name with '_' as '-'.
std::string package_of(std::string language) {
  std::replace(language.begin(), language.end(), '_', '-');
  return "tesseract-ocr-" + language;
}

}  // namespace

std::string tessdata_folder(const OcrSettings& settings) {
  if (!settings.tessdata.empty()) return settings.tessdata;
  const char* prefix = std::getenv("TESSDATA_PREFIX");
  return prefix && *prefix ? prefix : kDebianTessdata;
}

std::string ocr_setup_problem(const OcrSettings& settings) {
  if (!settings.enabled) return "";
  const std::vector<std::string> names = language_names(settings.languages);
  if (names.empty()) return "OCR languages are empty (e.g. languages = \"pol+eng\")";
  const std::filesystem::path folder = tessdata_folder(settings);
  for (const std::string& name : names) {
    const std::filesystem::path data = folder / (name + ".traineddata");
    std::error_code error;
    if (!std::filesystem::is_regular_file(data, error))
      return "OCR language '" + name + "' is not installed: no " + data.string() +
             " (apt-get install " + package_of(name) + ", or set [ocr] languages)";
  }
  return "";
}

std::string ocr_time_limit_warning(int pages, const OcrSettings& settings) {
  return std::to_string(pages) + (pages == 1 ? " page" : " pages") +
         " took longer than the OCR time limit (" + std::to_string(settings.page_seconds) +
         " s) and " + (pages == 1 ? "was" : "were") + " read only in part";
}

OcrEngine::OcrEngine(const OcrSettings& settings)
    : settings_(settings), api_(std::make_unique<tesseract::TessBaseAPI>()) {
  const std::string problem = ocr_setup_problem(settings);
  if (!problem.empty()) throw ExtractionError(problem);
  // Tesseract's own messages ("Estimating resolution as ...") would clutter the import's output.
  api_->SetVariable("debug_file", "/dev/null");
  const std::string folder = tessdata_folder(settings);
  if (api_->Init(folder.c_str(), settings.languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
    throw ExtractionError("Tesseract cannot load OCR languages '" + settings.languages + "' from " +
                          folder);
  std::vector<std::string> loaded;
  api_->GetLoadedLanguagesAsVector(&loaded);
  for (const std::string& name : language_names(settings.languages))
    if (std::find(loaded.begin(), loaded.end(), name) == loaded.end())
      throw ExtractionError("Tesseract cannot load OCR language '" + name + "' from " + folder);
}

OcrEngine::~OcrEngine() {
  if (api_) api_->End();
}

OcrEngine::Page OcrEngine::read(const unsigned char* pixels, int width, int height,
                                int bytes_per_pixel, int bytes_per_line, int dpi) {
  api_->SetImage(pixels, width, height, bytes_per_pixel, bytes_per_line);
  return recognise(dpi);
}

OcrEngine::Page OcrEngine::read(Pix* picture) {
  api_->SetImage(picture);
  const int dpi = pixGetXRes(picture);
  // Scans often carry no resolution, or a nonsense one; 300 dpi is what scanners default to.
  return recognise(dpi >= 70 && dpi <= 1200 ? dpi : 300);
}

OcrEngine::Page OcrEngine::recognise(int dpi) {
  api_->SetSourceResolution(dpi);
  tesseract::ETEXT_DESC monitor;
  monitor.set_deadline_msecs(settings_.page_seconds * 1000);
  Page page;
  page.timed_out = api_->Recognize(&monitor) != 0 && monitor.deadline_exceeded();
  const std::unique_ptr<char[]> text(api_->GetUTF8Text());
  if (text) page.text = text.get();
  const std::unique_ptr<tesseract::ResultIterator> words(api_->GetIterator());
  if (words) {
    do {
      const std::unique_ptr<char[]> word(words->GetUTF8Text(tesseract::RIL_WORD));
      Word box;
      if (!word ||
          !words->BoundingBox(tesseract::RIL_WORD, &box.left, &box.top, &box.right, &box.bottom))
        continue;
      box.text = word.get();
      page.words.push_back(std::move(box));
    } while (words->Next(tesseract::RIL_WORD));
  }
  api_->Clear();
  return page;
}

OcrEngine& shared_ocr_engine(const OcrSettings& settings) {
  static std::mutex mutex;
  static std::unique_ptr<OcrEngine> engine;
  std::lock_guard<std::mutex> lock(mutex);
  const auto same = [&](const OcrSettings& other) {
    return other.languages == settings.languages && other.tessdata == settings.tessdata &&
           other.page_seconds == settings.page_seconds;
  };
  if (!engine || !same(engine->settings())) {
    engine.reset();
    engine = std::make_unique<OcrEngine>(settings);
  }
  return *engine;
}

}  // namespace mediateka::media
