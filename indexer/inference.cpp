#include "inference.h"

#include <algorithm>
#include <cctype>

#include "archive/text/slug.h"

namespace mediateka::indexer {
namespace {

std::string lower_extension(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool any_folder(const std::vector<std::string>& folders, bool (*matches)(std::string_view)) {
  return std::any_of(folders.begin(), folders.end(), [&](const std::string& folder) {
    return matches(transliterate_ascii(folder));
  });
}

bool is_bulletin_folder(std::string_view name) { return starts_with(name, "biuletyn"); }

bool is_tv_folder(std::string_view name) {
  return name.find("tv") != std::string_view::npos || starts_with(name, "telewizj");
}

std::optional<int> plausible_year(std::string_view digits) {
  if (digits.size() != 4 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  int year = std::stoi(std::string(digits));
  if (year < 1900 || year > 2099) return std::nullopt;
  return year;
}

}  // namespace

std::optional<media::MediaKind> importable_kind(const std::filesystem::path& file) {
  static const std::vector<std::string> kAudio = {".mp3", ".ogg", ".oga", ".opus",
                                                  ".m4a", ".wav", ".flac"};
  static const std::vector<std::string> kVideo = {".mp4", ".m4v", ".mkv", ".webm", ".avi", ".mov"};
  static const std::vector<std::string> kScans = {".tif", ".tiff", ".png", ".jpg", ".jpeg"};
  std::string extension = lower_extension(file);
  if (extension == ".pdf") return media::MediaKind::pdf;
  if (std::find(kAudio.begin(), kAudio.end(), extension) != kAudio.end()) {
    return media::MediaKind::audio;
  }
  if (std::find(kVideo.begin(), kVideo.end(), extension) != kVideo.end()) {
    return media::MediaKind::video;
  }
  if (std::find(kScans.begin(), kScans.end(), extension) != kScans.end()) {
    return media::MediaKind::image;
  }
  return std::nullopt;
}

ItemType infer_type(media::MediaKind kind, const std::vector<std::string>& folders) {
  switch (kind) {
    case media::MediaKind::pdf:
    case media::MediaKind::image:  // a scan of a publication or of a bulletin
      return any_folder(folders, is_bulletin_folder) ? ItemType::bulletin : ItemType::publication;
    case media::MediaKind::audio:
      return ItemType::radio;
    case media::MediaKind::video:
      return any_folder(folders, is_tv_folder) ? ItemType::tv : ItemType::film;
  }
  return ItemType::publication;
}

std::optional<int> year_from_folders(const std::vector<std::string>& folders) {
  for (auto folder = folders.rbegin(); folder != folders.rend(); ++folder) {
    if (auto year = plausible_year(*folder)) return year;
  }
  return std::nullopt;
}

std::optional<int> year_from_date(std::string_view date) {
  if (date.size() > 4 && std::isdigit(static_cast<unsigned char>(date[4]))) return std::nullopt;
  return plausible_year(date.substr(0, 4));
}

std::string title_from_file_name(const std::filesystem::path& file) {
  std::string title;
  for (char c : file.stem().string()) {
    if (c == '_' || c == '-' || c == '.' || c == ' ') {
      if (!title.empty() && title.back() != ' ') title += ' ';
    } else {
      title += c;
    }
  }
  while (!title.empty() && title.back() == ' ') title.pop_back();
  if (!title.empty() && title[0] >= 'a' && title[0] <= 'z')
    title[0] = static_cast<char>(title[0] - 'a' + 'A');
  return title.empty() ? file.filename().string() : title;
}

}  // namespace mediateka::indexer
