// GET /i/{slug} — an item's page: metadata, the player (films, broadcasts) with chapters
// and a transcript whose times are links (?t=N permalinks; with JS they seek in place; ?t=S,E
// plays a clip) and the share controls, or the PDF viewer (?page=N); Open Graph tags,
// schema.org JSON-LD and citation_* tags (item_metadata.h). /i/{id} redirects to /i/{slug}.
// GET /i/{slug}/captions.vtt is captions_page.cpp.
#include <cmath>
#include <cstdio>
#include <optional>

#include "clip_range.h"
#include "file_responses.h"
#include "item_media.h"
#include "item_metadata.h"
#include "pages.h"
#include "player_html.h"

namespace mediateka::server {

namespace {

Response unknown_item() { return page_error(404, "not_found", "no item with this slug or id"); }

std::optional<int> pdf_page(const QueryParameters& query, const Item& item) {
  std::optional<std::string> text;
  try {
    text = query.single("page");
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (!text || text->empty() || text->size() > 6) return std::nullopt;
  for (char c : *text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int page = std::stoi(*text);
  if (page < 1) return std::nullopt;
  if (item.pages && page > *item.pages) page = *item.pages;
  return page;
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld",
                static_cast<long long>(std::floor(std::max(0.0, seconds))));
  return text;
}

std::string duration_text(double seconds) {
  const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  const long long hours = total / 3600, minutes = total / 60 % 60, rest = total % 60;
  std::string text;
  if (hours) text += std::to_string(hours) + " godz. ";
  if (hours || minutes) text += std::to_string(minutes) + " min ";
  if (!hours) text += std::to_string(rest) + " s";
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

std::string date_text(const std::string& date) {
  static const char* genitive[] = {"stycznia", "lutego",       "marca",     "kwietnia",
                                   "maja",     "czerwca",      "lipca",     "sierpnia",
                                   "września", "października", "listopada", "grudnia"};
  static const char* nominative[] = {"styczeń",  "luty",        "marzec",   "kwiecień",
                                     "maj",      "czerwiec",    "lipiec",   "sierpień",
                                     "wrzesień", "październik", "listopad", "grudzień"};
  int year = 0, month = 0, day = 0;
  if (date.size() == 10 && std::sscanf(date.c_str(), "%4d-%2d-%2d", &year, &month, &day) == 3 &&
      month >= 1 && month <= 12 && day >= 1 && day <= 31) {
    return std::to_string(day) + " " + genitive[month - 1] + " " + std::to_string(year) + " r.";
  }
  if (date.size() == 7 && std::sscanf(date.c_str(), "%4d-%2d", &year, &month) == 2 && month >= 1 &&
      month <= 12) {
    return std::string(nominative[month - 1]) + " " + std::to_string(year) + " r.";
  }
  return date;
}

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + h(value);
  return text;
}

// At most `limit` bytes of `text`, cut at a space (UTF-8 safe), "…" when cut.
std::string shortened(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = text.rfind(' ', limit);
  if (cut == std::string::npos || cut < limit / 2) {
    cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut) + "…";
}

std::string metadata_html(const Item& item) {
  std::string html = "<dl class=\"item-meta\">\n";
  auto row = [&html](const char* term, const std::string& value_html) {
    if (!value_html.empty())
      html += "<dt>" + std::string(term) + "</dt><dd>" + value_html + "</dd>\n";
  };
  row("Rodzaj", h(type_label(item.type)));
  row(item.campaigns.size() > 1 ? "Kampanie" : "Kampania", joined(item.campaigns));
  if (!item.date.empty()) {
    row("Data", "<time datetime=\"" + h(item.date) + "\">" + h(date_text(item.date)) + "</time>");
  } else if (item.year) {
    row("Rok", std::to_string(*item.year));
  }
  row("Projekt", h(item.project));
  row("Seria", h(item.series));
  row("Numer", h(item.issue));
  row(item.authors.size() > 1 ? "Autorzy" : "Autor", joined(item.authors));
  if (item.pages) {
    row("Liczba stron", std::to_string(*item.pages));
  }
  if (item.duration_s) row("Czas trwania", h(duration_text(*item.duration_s)));
  std::vector<std::string> media;
  for (const auto* part : {&item.media.container, &item.media.video, &item.media.audio}) {
    if (!part->empty()) media.push_back(*part);
  }
  if (!media.empty()) {
    std::string text;
    for (const auto& part : media) text += (text.empty() ? "" : " · ") + h(part);
    row("Format", text);
  }
  html += "</dl>\n";
  return html;
}

std::string time_link(const std::string& page_url, double t, const std::string& label_html) {
  const std::string second = seconds_text(t);
  return "<a class=\"seek\" href=\"" + page_url + "?t=" + second + "\" data-t=\"" + second + "\">" +
         label_html + "</a>";
}

std::string player_html(const Item& item, const std::string& page_url,
                        const std::vector<Segment>& cues, const std::optional<ClipRange>& clip) {
  const std::string file = "/files/" + url_component(item.id);
  const bool audio = is_audio(item);
  std::string html = "<section class=\"player\" aria-labelledby=\"odtwarzacz-naglowek\">\n";
  html += std::string("<h2 id=\"odtwarzacz-naglowek\">") +
          (audio ? "Odsłuchaj nagranie" : "Obejrzyj nagranie") + "</h2>\n";
  html += media_element_html(item, page_url, !cues.empty(), clip);
  html +=
      "<div class=\"player-tools\"><button type=\"button\" class=\"secondary\" "
      "id=\"kopiuj-chwile\" hidden>Kopiuj link do tej chwili</button>"
      "<span id=\"kopiuj-status\" class=\"copy-status\" role=\"status\"></span>"
      "<a href=\"" +
      file + "\">Pobierz plik</a></div>\n";
  html += share_controls_html(clip);
  if (!cues.empty()) {
    html +=
        "<p class=\"hint\">Napisy można włączyć lub wyłączyć w ustawieniach odtwarzacza. Pełny "
        "tekst nagrania jest niżej, w transkrypcji.</p>\n";
  }
  html += "</section>\n";

  if (!item.chapters.empty()) {
    html +=
        "<section aria-labelledby=\"rozdzialy\">\n<h2 id=\"rozdzialy\">Rozdziały</h2>\n"
        "<ol class=\"chapters\">\n";
    for (const auto& chapter : item.chapters) {
      html += "<li>" + time_link(page_url, chapter.start_s, h(clock_time(chapter.start_s))) + " " +
              h(chapter.title.empty() ? "Rozdział" : chapter.title) + "</li>\n";
    }
    html += "</ol>\n</section>\n";
  }
  if (!cues.empty()) {
    html +=
        "<section aria-labelledby=\"transkrypcja\">\n<h2 id=\"transkrypcja\">Transkrypcja</h2>\n"
        "<p class=\"hint\">Kliknij czas, aby odtworzyć nagranie od tego miejsca; każdy czas "
        "jest też linkiem do tej chwili nagrania.</p>\n<ol class=\"transcript\">\n";
    for (std::size_t i = 0; i < cues.size(); ++i) {
      const Segment& cue = cues[i];
      const double end = cue.end_s > cue.start_s
                             ? cue.end_s
                             : (i + 1 < cues.size() ? cues[i + 1].start_s : cue.start_s + 1);
      // Links floor the start (?t=93 for 93.5 s), so the cue counts from its whole second.
      const bool current = clip && clip->start >= std::floor(cue.start_s) && clip->start < end;
      html += std::string("<li") + (current ? " class=\"current\"" : "") + ">" +
              time_link(page_url, cue.start_s, h(clock_time(cue.start_s))) + " <span>" +
              h(cue.text) + "</span></li>\n";
    }
    html += "</ol>\n</section>\n";
  }
  return html;
}

std::string pdf_html(const Item& item, const std::string& page_url,
                     const std::vector<Segment>& segments, std::optional<int> page) {
  const std::string file = "/files/" + url_component(item.id);
  const std::string target = file + (page ? "#page=" + std::to_string(*page) : "");
  std::string html =
      "<section class=\"pdf\" aria-labelledby=\"dokument\">\n"
      "<h2 id=\"dokument\">Dokument</h2>\n";
  html += "<p class=\"pdf-actions\"><a class=\"button\" href=\"" + target + "\">Otwórz PDF</a>";
  if (page) html += " <span>(strona " + std::to_string(*page) + ")</span>";
  html += "</p>\n";
  html += "<object class=\"pdf-view\" data=\"" + target +
          "\" type=\"application/pdf\" title=\"Podgląd dokumentu PDF: " + h(item.title) +
          "\" aria-label=\"Podgląd dokumentu PDF: " + h(item.title) + "\">\n" +
          "<p>Podgląd dokumentu nie jest dostępny w tej przeglądarce. <a href=\"" + target +
          "\">Otwórz PDF</a>.</p>\n</object>\n";
  html += "<form class=\"page-jump\" method=\"get\" action=\"" + page_url +
          "\"><label for=\"strona\">Przejdź do strony</label> <input type=\"number\" "
          "id=\"strona\" name=\"page\" min=\"1\" inputmode=\"numeric\"" +
          (item.pages ? " max=\"" + std::to_string(*item.pages) + "\"" : std::string()) +
          " value=\"" + (page ? std::to_string(*page) : std::string("1")) +
          "\"> <button type=\"submit\" class=\"secondary\">Pokaż</button></form>\n";
  const int shown = page.value_or(1);
  for (const auto& segment : segments) {
    if (segment.page != shown || segment.text.empty()) continue;
    html += "<details class=\"page-text\"" + std::string(page ? " open" : "") +
            "><summary>Tekst strony " + std::to_string(shown) + "</summary>\n<p>" +
            h(segment.text) + "</p>\n</details>\n";
    break;
  }
  html += "</section>\n";
  return html;
}

std::string meta_property(const char* property, const std::string& value) {
  return std::string("<meta property=\"") + property + "\" content=\"" + h(value) + "\">\n";
}

std::string head_tags(const Item& item, const std::string& origin, const std::string& page_url,
                      bool has_cover) {
  const std::string canonical = origin + page_url;
  const std::string description =
      shortened(item.description.empty()
                    ? std::string(type_label(item.type)) + " z archiwum Mediateki: " + item.title
                    : item.description,
                300);
  const char* og_type = item.type == ItemType::radio ? "music.song"
                        : is_media(item)             ? "video.other"
                                                     : "article";
  std::string tags = "<link rel=\"canonical\" href=\"" + h(canonical) + "\">\n";
  tags += "<meta name=\"description\" content=\"" + h(description) + "\">\n";
  tags += meta_property("og:site_name", "Mediateka");
  tags += meta_property("og:locale", "pl_PL");
  tags += meta_property("og:title", item.title);
  tags += meta_property("og:type", og_type);
  tags += meta_property("og:url", canonical);
  tags += meta_property("og:description", description);
  if (has_cover) tags += meta_property("og:image", origin + "/thumbs/" + url_component(item.id));
  const std::string file = origin + "/files/" + url_component(item.id);
  if (is_media(item)) {
    const char* kind = is_audio(item) ? "og:audio" : "og:video";
    tags += meta_property(kind, file);
    if (!item.source.mime.empty())
      tags += meta_property((std::string(kind) + ":type").c_str(), item.source.mime);
  }
  return tags;
}

}  // namespace

Response get_item_page(const ApiRequest& request, ServerContext& context) {
  Searcher& searcher = context.index.searcher();
  auto found = find_item(searcher, request.path_parameters.at("slug"), request.audience);
  if (!found) {
    const std::string& name = request.path_parameters.at("slug");
    if (searcher.is_gone(name, request.audience))
      return page_error(410, "gone", "this item was removed");
    return unknown_item();
  }
  const Item& item = found->item;
  const std::string page_url = "/i/" + url_component(item.slug);
  if (found->by_id) {
    std::string query;
    for (const auto& [name, value] : request.query.entries()) {
      query += (query.empty() ? "?" : "&") + url_component(name) + "=" + url_component(value);
    }
    return Response{301,
                    kHtmlContentType,
                    "<!DOCTYPE html><html lang=\"pl\"><title>Przeniesiono</title><p><a href=\"" +
                        h(page_url + query) + "\">" + h(item.title) + "</a></p></html>\n",
                    {{"Location", page_url + query}, {"Cache-Control", "public, max-age=3600"}}};
  }

  const std::vector<Segment> segments = searcher.segments(item.id, request.audience);
  const std::vector<Segment> cues = cues_of(item, segments);
  const bool cover = has_cover(context, item.id);

  std::string main = "<p class=\"back\"><a href=\"/\">Wyszukiwarka</a></p>\n";
  main += "<article class=\"item\">\n<header class=\"item-header\">\n";
  main += "<p class=\"type-label\">" + h(type_label(item.type)) + "</p>\n";
  main += "<h1>" + h(item.title) + "</h1>\n</header>\n";
  main += "<div class=\"item-layout\">\n<div class=\"item-main\">\n";
  if (is_media(item)) {
    main += player_html(item, page_url, cues, parse_clip_range(request.query));
  } else if (is_pdf(item)) {
    main += pdf_html(item, page_url, segments, pdf_page(request.query, item));
  }
  main += "</div>\n<div class=\"item-side\">\n";
  if (cover && !is_media(item)) {
    main += "<img class=\"item-cover\" src=\"/thumbs/" + url_component(item.id) +
            "\" alt=\"Okładka: " + h(item.title) + "\">\n";
  }
  main += "<h2>Informacje</h2>\n" + metadata_html(item);
  if (!item.description.empty()) {
    main += "<h2>Opis</h2>\n<p class=\"description\">" + h(item.description) + "</p>\n";
  }
  main += "</div>\n</div>\n</article>\n";

  PageHead head;
  head.title = item.title;
  const std::string origin = site_origin(request);
  head.extra = head_tags(item, origin, page_url, cover) +
               citation_meta_tags(item, origin, page_url) +
               json_ld_script(item, cues, origin, page_url, cover);
  return html_response(200, page_layout(head, main));
}

}  // namespace mediateka::server
