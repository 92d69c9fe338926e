#include "api/item_metadata.h"

#include <algorithm>
#include <cmath>

#include "api/item_media.h"
#include "http/clip_range.h"
#include "pages/pages.h"

namespace mediateka::server {

namespace {

using nlohmann::json;

const char* schema_type(const Item& item) {
  switch (item.type) {
    case ItemType::publication:
      return "Book";
    case ItemType::bulletin:
      return "PublicationIssue";
    case ItemType::film:
    case ItemType::tv:
      return is_media(item) ? "VideoObject" : "CreativeWork";
    case ItemType::radio:
      return is_media(item) ? "AudioObject" : "CreativeWork";
  }
  return "CreativeWork";
}

// The cues' text as one transcript, a line per cue.
std::string transcript_of(const std::vector<Segment>& cues) {
  std::string text;
  for (const Segment& cue : cues) {
    if (!text.empty()) text += '\n';
    text += cue.text;
  }
  return text;
}

// schema.org wants Date or DateTime: "2013-05-14", "2013-05" or "2013" are all ISO 8601.
std::string published(const Item& item) {
  if (!item.date.empty()) return item.date;
  return item.year ? std::to_string(*item.year) : std::string();
}

}  // namespace

std::string iso_duration(double seconds) {
  const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  std::string text = "PT";
  if (total >= 3600) text += std::to_string(total / 3600) + "H";
  if (total >= 60) text += std::to_string(total / 60 % 60) + "M";
  return text + std::to_string(total % 60) + "S";
}

json item_json_ld(const Item& item, const std::vector<Segment>& cues, const std::string& origin,
                  const std::string& page_url, bool has_cover) {
  const std::string canonical = origin + page_url;
  const std::string file = origin + "/files/" + url_component(item.id);
  json ld = {{"@context", "https://schema.org"},
             {"@type", schema_type(item)},
             {"@id", canonical},
             {"url", canonical},
             {"name", item.title},
             {"identifier", item.id},
             {"isAccessibleForFree", true}};
  if (!item.description.empty()) ld["description"] = item.description;
  if (!item.language.empty()) ld["inLanguage"] = item.language;
  if (const std::string date = published(item); !date.empty()) ld["datePublished"] = date;
  if (!item.authors.empty()) {
    json authors = json::array();
    for (const auto& author : item.authors)
      authors.push_back({{"@type", "Person"}, {"name", author}});
    ld["author"] = authors;
  }
  if (!item.campaigns.empty()) ld["keywords"] = item.campaigns;
  if (has_cover) ld["thumbnailUrl"] = origin + "/thumbs/" + url_component(item.id);

  if (item.type == ItemType::bulletin) {
    if (!item.issue.empty()) ld["issueNumber"] = item.issue;
    if (!item.series.empty()) ld["isPartOf"] = {{"@type", "Periodical"}, {"name", item.series}};
  } else if (!item.series.empty()) {
    ld["isPartOf"] = {{"@type", "CreativeWorkSeries"}, {"name", item.series}};
  }
  if (item.pages) {
    ld[item.type == ItemType::publication ? "numberOfPages" : "pagination"] =
        item.type == ItemType::publication ? json(*item.pages)
                                           : json("1-" + std::to_string(*item.pages));
  }

  if (is_media(item)) {
    ld["contentUrl"] = file;
    ld["embedUrl"] = canonical + "/embed";
    if (!item.source.mime.empty()) ld["encodingFormat"] = item.source.mime;
    if (item.duration_s) ld["duration"] = iso_duration(*item.duration_s);
    // Search engines ask a video for the date it went online; the archive knows when it was made.
    if (const std::string date = published(item); !date.empty()) ld["uploadDate"] = date;
    if (!cues.empty()) ld["transcript"] = transcript_of(cues);
    if (!item.chapters.empty()) {
      json parts = json::array();
      for (std::size_t i = 0; i < item.chapters.size(); ++i) {
        const Chapter& chapter = item.chapters[i];
        const double end = chapter.end_s > chapter.start_s ? chapter.end_s
                           : i + 1 < item.chapters.size()  ? item.chapters[i + 1].start_s
                                                           : item.duration_s.value_or(0);
        json clip = {{"@type", "Clip"},
                     {"name", chapter.title.empty() ? "Rozdział" : chapter.title},
                     {"startOffset", std::lround(std::floor(chapter.start_s))},
                     {"url", canonical + "?t=" + seconds_value(std::floor(chapter.start_s))}};
        if (end > chapter.start_s) clip["endOffset"] = std::lround(std::ceil(end));
        parts.push_back(clip);
      }
      ld["hasPart"] = parts;
    }
  } else if (!item.source.mime.empty() || !item.source.url.empty()) {
    ld["encoding"] = {{"@type", "MediaObject"}, {"contentUrl", file}};
    if (!item.source.mime.empty()) ld["encoding"]["encodingFormat"] = item.source.mime;
  }
  return ld;
}

std::string json_ld_script(const Item& item, const std::vector<Segment>& cues,
                           const std::string& origin, const std::string& page_url, bool has_cover) {
  // Invalid UTF-8 (old PDFs' titles) becomes U+FFFD rather than an exception.
  const std::string text = item_json_ld(item, cues, origin, page_url, has_cover)
                               .dump(-1, ' ', false, json::error_handler_t::replace);
  // "</script>" must not end the element early: every '<' as its JSON escape.
  std::string safe;
  safe.reserve(text.size() + 16);
  for (char c : text) {
    if (c == '<') {
      safe += "\\u003c";
    } else {
      safe += c;
    }
  }
  return "<script type=\"application/ld+json\">" + safe + "</script>\n";
}

std::string citation_meta_tags(const Item& item, const std::string& origin,
                               const std::string& page_url) {
  if (item.type != ItemType::publication && item.type != ItemType::bulletin) return {};
  std::string tags;
  const auto tag = [&tags](const char* name, const std::string& value) {
    if (!value.empty())
      tags += std::string("<meta name=\"") + name + "\" content=\"" + h(value) + "\">\n";
  };
  tag("citation_title", item.title);
  for (const auto& author : item.authors) tag("citation_author", author);
  // Google Scholar reads dates as YYYY/MM/DD, or the year alone.
  std::string date = published(item);
  std::replace(date.begin(), date.end(), '-', '/');
  tag("citation_publication_date", date);
  tag("citation_language", item.language);
  if (!item.campaigns.empty()) {
    std::string keywords;
    for (const auto& campaign : item.campaigns)
      keywords += (keywords.empty() ? "" : "; ") + campaign;
    tag("citation_keywords", keywords);
  }
  if (item.type == ItemType::bulletin) {
    tag("citation_journal_title", item.series);
    tag("citation_issue", item.issue);
  }
  tag("citation_abstract_html_url", origin + page_url);
  if (is_pdf(item)) tag("citation_pdf_url", origin + "/files/" + url_component(item.id));
  return tags;
}

}  // namespace mediateka::server
