#include "media_settings.h"

#include <string>

#include "archive/config_file.h"

namespace mediateka::media {

MediaSettings read_media_settings(const ConfigFile& file) {
  const toml::table& root = file.root();
  MediaSettings settings;
  OcrSettings& ocr = settings.ocr;
  if (auto enabled = root["ocr"]["enabled"]) {
    if (!enabled.is_boolean()) file.fail("ocr.enabled must be true or false");
    ocr.enabled = *enabled.value<bool>();
  }
  if (auto languages = root["ocr"]["languages"]) {
    auto value = languages.value<std::string>();
    const bool valid =
        value && !value->empty() &&
        value->find_first_not_of("abcdefghijklmnopqrstuvwxyz_+") == std::string::npos;
    if (!valid)
      file.fail("ocr.languages must be Tesseract language names joined by '+' (\"pol+eng\")");
    ocr.languages = *value;
  }
  file.number_in("ocr", "dpi", 70, 600, ocr.dpi);
  file.number_in("ocr", "page_seconds", 1, 3600, ocr.page_seconds);
  ExtractionLimits& limits = settings.extraction;
  file.number_in("extraction", "cpu_seconds", 1, 86400, limits.cpu_seconds);
  file.number_in("extraction", "memory_mb", 64, 1 << 20, limits.memory_mb);
  file.number_in("extraction", "inactivity_seconds", 1, 86400, limits.inactivity_seconds);
  if (auto tessdata = root["ocr"]["tessdata"]) {
    if (!tessdata.is_string()) file.fail("ocr.tessdata must be a string");
    ocr.tessdata = file.resolved(*tessdata.value<std::string>());
  }
  return settings;
}

}  // namespace mediateka::media
