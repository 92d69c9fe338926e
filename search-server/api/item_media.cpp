#include "api/item_media.h"

#include <cmath>

#include "archive/text/slug.h"

namespace mediateka::server {

std::optional<FoundItem> find_item(Searcher& searcher, const std::string& key,
                                   const Audience& audience) {
  if (!is_valid_identifier(key)) return std::nullopt;
  if (auto item = searcher.item_by_slug(key, audience)) return FoundItem{std::move(*item), false};
  if (auto item = searcher.item_by_id(key, audience)) return FoundItem{std::move(*item), true};
  return std::nullopt;
}

std::vector<Segment> cues_of(const Item& item, const std::vector<Segment>& segments) {
  std::vector<Segment> cues;
  for (const auto& segment : segments) {
    if (!segment.timed()) continue;
    bool chapter = false;
    for (const auto& c : item.chapters) {
      chapter =
          chapter || (std::fabs(c.start_s - segment.start_s) < 1e-3 && c.title == segment.text);
    }
    if (!chapter && !segment.text.empty()) cues.push_back(segment);
  }
  return cues;
}

bool is_media(const Item& item) {
  return is_timed(item.type) || item.source.mime.rfind("audio/", 0) == 0 ||
         item.source.mime.rfind("video/", 0) == 0;
}

bool is_audio(const Item& item) {
  if (item.source.mime.rfind("audio/", 0) == 0) return true;
  if (item.source.mime.rfind("video/", 0) == 0) return false;
  return item.type == ItemType::radio;
}

bool is_pdf(const Item& item) {
  return item.source.mime == "application/pdf" ||
         (!is_media(item) &&
          (item.type == ItemType::publication || item.type == ItemType::bulletin));
}

}  // namespace mediateka::server
