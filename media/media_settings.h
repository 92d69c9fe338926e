// The settings media/ owns in the configuration file (config/mediateka.toml): [ocr], how scanned
// pages are read, and [extraction], the limits of the extraction workers. mediateka-index and the
// server's desk read them beside the core's settings (archive/config.h) from the same file.
#pragma once

#include <string>

namespace mediateka {

class ConfigFile;  // archive/config_file.h

// [ocr]: how scanned pages are read (media/ocr.h does the reading).
struct OcrSettings {
  bool enabled = true;
  std::string languages = "pol+eng";  // Tesseract's language names joined by '+'
  int dpi = 300;                      // resolution PDF pages are rendered at for OCR
  int page_seconds = 60;              // time allowed for one page
  std::string tessdata;  // folder of the *.traineddata files; empty: $TESSDATA_PREFIX or Debian's
};

// [extraction]: the limits of each extraction worker, the child process that reads one file
// after another (media/isolated_extractor.h); a file that exceeds one fails alone.
struct ExtractionLimits {
  int cpu_seconds = 60;         // CPU time per file
  int memory_mb = 2048;         // address space of the worker
  int inactivity_seconds = 60;  // wall-clock time the worker may stay silent on one file
};

namespace media {

struct MediaSettings {
  OcrSettings ocr;
  ExtractionLimits extraction;
};

// [ocr] and [extraction] of `file`, defaults where it says nothing. Throws ConfigError
// (archive/config.h) naming the file and the wrong key.
MediaSettings read_media_settings(const ConfigFile& file);

}  // namespace media
}  // namespace mediateka
