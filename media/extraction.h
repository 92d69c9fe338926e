// What extraction makes of one file: its metadata and its text with places.
// Every extractor in media/ fills this one structure; the indexer turns it into an Item.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "item.h"

namespace mediateka::media {

// A file that cannot be read: locked, corrupt, empty, truncated beyond use, or of
// an unknown kind. what() is a short reason for a librarian, in English.
struct ExtractionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class MediaKind { pdf, audio, video };

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
  // Problems that did not stop extraction ("transcript.srt line 12: bad timestamp").
  std::vector<std::string> warnings;
};

// Extracts a file, choosing the extractor from its content (not only its name).
// A sidecar NAME.srt / NAME.vtt beside a media file NAME.ext is read as its transcript.
// Throws ExtractionError.
Extraction extract_file(const std::filesystem::path& file);

// For carrying an extraction across a process boundary.
nlohmann::json to_json(const Extraction& extraction);
Extraction extraction_from_json(const nlohmann::json& json);

}  // namespace mediateka::media
