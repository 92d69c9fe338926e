// What extraction makes of one file: its metadata and its text with places.
// Every extractor in media/ fills this one structure; the indexer turns it into an Item.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "archive/item.h"
#include "archive/text/enum_names.h"
#include "ocr.h"

namespace mediateka::media {

// A file that cannot be read: locked, corrupt, empty, truncated beyond use, or of
// an unknown kind. what() is a short reason for a librarian, in English.
struct ExtractionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// image: a standalone scan (TIFF, PNG, JPEG), read by OCR.
enum class MediaKind { pdf, audio, video, image };
// The names the worker protocol gives the kinds (worker_protocol.h).
inline constexpr NameTable<MediaKind, 4> kMediaKindNames{{{MediaKind::pdf, "pdf"},
                                                          {MediaKind::audio, "audio"},
                                                          {MediaKind::video, "video"},
                                                          {MediaKind::image, "image"}}};

struct Extraction {
  MediaKind kind = MediaKind::pdf;
  std::string mime;  // "application/pdf", "audio/mpeg", "video/mp4", ...
  // Embedded metadata; empty when absent. Dates as ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY".
  std::string title, author, subject, keywords, description, date;
  std::string artist, album, genre, language;
  std::optional<int> pages;
  std::optional<double> duration_s;
  std::vector<Chapter> chapters;
  MediaSummary media;
  // PDF: one segment per page with text (page numbers 1-based).
  // Media: one per subtitle cue or transcript line, in time order.
  std::vector<Segment> segments;
  // Pages (1-based) whose text came from OCR, and pages whose text was mis-decoded and
  // repaired (see text_repair.h).
  std::vector<int> ocr_pages;
  std::vector<int> repaired_pages;
  // Problems that did not stop extraction ("transcript.srt line 12: bad timestamp").
  std::vector<std::string> warnings;
};

struct ExtractOptions {
  OcrSettings ocr;
  // Called before each long step (a page to OCR), so that a caller watching the time can tell
  // slow work from a hang. May be empty.
  std::function<void()> on_long_step;
};

// Extracts a file, choosing the extractor from its content (not only its name).
// A sidecar NAME.srt / NAME.vtt beside a media file NAME.ext is read as its transcript.
// Every text passes through repair_text() (text_repair.h). Throws ExtractionError.
Extraction extract_file(const std::filesystem::path& file, const ExtractOptions& options = {});

// For carrying an extraction across a process boundary; its chapters and media summary are
// written as the item JSON writes them (archive/item_json.h).
nlohmann::json to_json(const Extraction& extraction);
Extraction extraction_from_json(const nlohmann::json& json);

}  // namespace mediateka::media
