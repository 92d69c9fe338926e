// What the indexer concludes about a file from its name and folders when no manifest
// says otherwise. The rules (documented in docs/indexer.md):
//   - importable extensions: .pdf; audio .mp3 .ogg .oga .opus .m4a .wav .flac;
//     video .mp4 .m4v .mkv .webm .avi .mov (case-insensitive);
//   - type: PDF → publication, or bulletin when a folder is named biuletyn*;
//     audio → radio; video → tv when a folder is named *tv* or telewizj*, else film.
//     Folder names are compared lower-cased and transliterated (Biuletyny, TELEWIZJA).
//   - year from the path: the deepest folder named exactly YYYY (1900-2099).
// `folders` are the folder names from the import root (its own name included) down to the file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/item.h"
#include "extraction.h"

namespace mediateka::indexer {

// The kind of media a file name promises, or nullopt for a file a folder walk skips.
std::optional<media::MediaKind> importable_kind(const std::filesystem::path& file);

ItemType infer_type(media::MediaKind kind, const std::vector<std::string>& folders);

std::optional<int> year_from_folders(const std::vector<std::string>& folders);

// The year of an ISO-like date ("2013", "2013-05", "2013-05-14T10:00"), if plausible.
std::optional<int> year_from_date(std::string_view date);

// "raport_roczny-2012.pdf" → "Raport roczny 2012".
std::string title_from_file_name(const std::filesystem::path& file);

}  // namespace mediateka::indexer
