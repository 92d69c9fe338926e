// GET /i/{slug} — an item's page: metadata, the player (films, broadcasts) with chapters
// and a transcript whose times are links (?t=N permalinks; with JS they seek in place; ?t=S,E
// plays a clip) and the share controls, or the PDF viewer (?page=N); Open Graph tags,
// schema.org JSON-LD and citation_* tags (item_metadata.h). /i/{id} redirects to /i/{slug}.
// GET /i/{slug}/captions.vtt is captions_page.cpp.
#include <cmath>
#include <cstdio>
#include <optional>

#include "api/document_search.h"
#include "api/file_responses.h"
#include "api/item_media.h"
#include "api/item_metadata.h"
#include "http/clip_range.h"
#include "pages/html_text.h"
#include "pages/pages.h"
#include "pages/player_html.h"

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

std::string decimal_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", std::max(0.0, seconds));
  std::string value = text;
  while (value.back() == '0') value.pop_back();
  if (value.back() == '.') value.pop_back();
  return value;
}

// Where each cue ends: its own end, else where the next begins, else a second later.
double cue_end(const std::vector<Segment>& cues, std::size_t i) {
  const Segment& cue = cues[i];
  if (cue.end_s > cue.start_s) return cue.end_s;
  return i + 1 < cues.size() ? cues[i + 1].start_s : cue.start_s + 1;
}

// The cues ticked for a clip (?cue=3&cue=4, their indexes), as ?t=START,END; nullopt when none.
std::optional<std::pair<double, double>> ticked_clip(const QueryParameters& query,
                                                     const std::vector<Segment>& cues,
                                                     std::vector<bool>& ticked) {
  ticked.assign(cues.size(), false);
  std::optional<std::pair<double, double>> clip;
  for (const std::string& value : query.all("cue")) {
    if (value.empty() || value.size() > 6 ||
        value.find_first_not_of("0123456789") != std::string::npos)
      continue;
    const std::size_t i = std::stoul(value);
    if (i >= cues.size()) continue;
    ticked[i] = true;
    const double start = std::floor(cues[i].start_s), end = cue_end(cues, i);
    if (!clip) clip = std::make_pair(start, end);
    clip->first = std::min(clip->first, start);
    clip->second = std::max(clip->second, end);
  }
  return clip;
}

// The transcript beside the player: every cue with its time, a link to that moment (without
// JavaScript a plain list of timed links; with it the player seeks in place and the cue being
// played is marked), a search inside the transcript (?q=, marked; with JavaScript also as you
// type), and ticking cues makes a ?t=START,END clip link (a GET form without JavaScript).
std::string transcript_html(const std::string& page_url, const std::vector<Segment>& cues,
                            const std::optional<ClipRange>& clip, const QueryParameters& query,
                            const std::string& q, const std::string& origin) {
  const QueryWords words(q);
  std::vector<bool> ticked;
  const auto clip_of_ticked = ticked_clip(query, cues, ticked);
  std::size_t found = 0;
  std::string items;
  for (std::size_t i = 0; i < cues.size(); ++i) {
    const Segment& cue = cues[i];
    const double end = cue_end(cues, i);
    // Links floor the start (?t=93 for 93.5 s), so the cue counts from its whole second.
    const bool current = clip && clip->start >= std::floor(cue.start_s) && clip->start < end;
    std::string text = h(cue.text);
    if (!words.empty()) {
      Snippet marked = words.snippet(cue.text);
      if (!marked.marks.empty() && !marked.cut_before && !marked.cut_after) {
        text = snippet_html(marked);
        ++found;
      } else if (!marked.marks.empty()) {
        ++found;
      }
    }
    const std::string index = std::to_string(i);
    items += "<li id=\"cue-" + index + "\" data-start=\"" + decimal_text(cue.start_s) +
             "\" data-end=\"" + decimal_text(end) + "\"" +
             (current ? " class=\"current\" aria-current=\"true\"" : "") + ">" +
             "<input type=\"checkbox\" name=\"cue\" value=\"" + index + "\" id=\"zaznacz-" + index +
             "\" form=\"fragment-transkrypcji\"" + (ticked[i] ? " checked" : "") +
             " aria-label=\"Zaznacz do fragmentu: " + h(clock_time(cue.start_s)) + "\">" +
             time_link(page_url, cue.start_s,
                       "<span class=\"cue-time\">" + h(clock_time(cue.start_s)) + "</span>") +
             " <span class=\"cue-text\">" + text + "</span></li>\n";
  }

  std::string html =
      "<section class=\"transcript-panel\" aria-labelledby=\"transkrypcja\">\n"
      "<h2 id=\"transkrypcja\">Transkrypcja</h2>\n"
      "<p class=\"hint\" id=\"transkrypcja-pomoc\">Kliknij czas albo naciśnij na nim Enter, aby "
      "odtworzyć nagranie od tego miejsca. Zaznacz wypowiedzi, aby utworzyć link do "
      "fragmentu.</p>\n";
  html +=
      "<form class=\"transcript-search\" role=\"search\" aria-label=\"W transkrypcji\" "
      "method=\"get\" action=\"" +
      page_url +
      "#transkrypcja\"><label for=\"szukaj-transkrypcja\">Szukaj w transkrypcji</label>"
      "<div class=\"search-row\"><input type=\"search\" id=\"szukaj-transkrypcja\" "
      "name=\"q\" autocomplete=\"off\" value=\"" +
      h(q) +
      "\" aria-controls=\"lista-transkrypcji\"><button type=\"submit\">Szukaj</button></div>"
      "</form>\n";
  html += "<p id=\"transkrypcja-status\" role=\"status\">";
  if (!words.empty()) {
    html += found ? "Szukane słowa są w " + std::to_string(found) + " " +
                        polish_plural(static_cast<long long>(found), "wypowiedzi", "wypowiedziach",
                                      "wypowiedziach") +
                        "; zaznaczono je na żółto."
                  : std::string("Tych słów nie ma w transkrypcji.");
  }
  html += "</p>\n";
  html +=
      "<ol class=\"transcript\" id=\"lista-transkrypcji\" aria-labelledby=\"transkrypcja\" "
      "tabindex=\"-1\">\n" +
      items + "</ol>\n";
  html += "<form id=\"fragment-transkrypcji\" class=\"transcript-tools\" method=\"get\" action=\"" +
          page_url + "#fragment\">";
  if (!q.empty()) html += "<input type=\"hidden\" name=\"q\" value=\"" + h(q) + "\">";
  html +=
      "<button type=\"submit\" class=\"secondary\" id=\"utworz-fragment\">Utwórz link do "
      "zaznaczonego fragmentu</button></form>\n";
  html += "<div id=\"fragment\" class=\"clip-result\"" +
          std::string(clip_of_ticked ? "" : " hidden") +
          "><p>Link do fragmentu: <a class=\"clip-link\" "
          "id=\"link-fragmentu\" href=\"";
  if (clip_of_ticked) {
    const std::string t = page_url + "?t=" + seconds_text(clip_of_ticked->first) + "," +
                          decimal_text(clip_of_ticked->second);
    html += h(t) + "\">" + h(origin + t);
  } else {
    html += page_url + "\">";
  }
  html +=
      "</a></p><button type=\"button\" class=\"secondary\" id=\"kopiuj-link-fragmentu\" "
      "hidden>Kopiuj link do fragmentu</button></div>\n";
  html += "</section>\n";
  return html;
}

std::string player_html(const Item& item, const std::string& page_url,
                        const std::vector<Segment>& cues, const std::optional<ClipRange>& clip,
                        const QueryParameters& query, const std::string& q,
                        const std::string& origin) {
  const std::string file = "/files/" + url_component(item.id);
  const bool audio = is_audio(item);
  std::string html;
  if (!cues.empty()) html += "<div class=\"player-with-transcript\">\n";
  html += "<section class=\"player\" aria-labelledby=\"odtwarzacz-naglowek\">\n";
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
        "tekst nagrania jest w transkrypcji.</p>\n";
  }
  html += "</section>\n";
  if (!cues.empty()) html += transcript_html(page_url, cues, clip, query, q, origin) + "</div>\n";

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
  return html;
}

// "&q=…" for links that keep the visitor's words.
std::string q_parameter(const std::string& q) { return q.empty() ? "" : "&q=" + url_component(q); }

// The page of a publication as a picture with the words of q marked (/i/{slug}/strony/{n}.png),
// previous and next page, the PDF beside it, the page's text as its text alternative, and
// "Szukaj w tym dokumencie" with the pages that match.
std::string pdf_html(const Item& item, const std::string& page_url,
                     const std::vector<Segment>& segments, std::optional<int> asked,
                     const std::string& q, bool picture) {
  const std::string file = "/files/" + url_component(item.id);
  const QueryWords words(q);
  const std::vector<PageMatch> matches = pages_matching(words, segments);
  // The page asked for; else, after a search, the first page that matches.
  const int shown = asked ? *asked : (matches.empty() ? 1 : matches.front().page);
  const int last = item.pages ? *item.pages : 0;
  const std::string target = file + "#page=" + std::to_string(shown);
  const std::string of_pages = last ? " z " + std::to_string(last) : std::string();
  std::string html =
      "<section class=\"pdf\" aria-labelledby=\"dokument\">\n"
      "<h2 id=\"dokument\">Dokument</h2>\n";
  html += "<p class=\"pdf-actions\"><a class=\"button\" href=\"" + target +
          "\">Otwórz PDF</a> <a href=\"" + file + "\" download>Pobierz PDF</a>";
  if (asked) html += " <span>(strona " + std::to_string(shown) + ")</span>";
  html += "</p>\n";

  const auto page_link = [&](int page) {
    return h(page_url + "?page=" + std::to_string(page) + q_parameter(q));
  };
  std::string pager = "<nav class=\"page-nav\" aria-label=\"Strony dokumentu\"><ul>";
  if (shown > 1)
    pager += "<li><a rel=\"prev\" href=\"" + page_link(shown - 1) +
             "\"><span aria-hidden=\"true\">← </span>Poprzednia strona</a></li>";
  pager += "<li aria-current=\"page\">Strona " + std::to_string(shown) + of_pages + "</li>";
  if (!last || shown < last)
    pager += "<li><a rel=\"next\" href=\"" + page_link(shown + 1) +
             "\">Następna strona<span aria-hidden=\"true\"> →</span></a></li>";
  pager += "</ul></nav>\n";

  const Segment* text = nullptr;
  for (const auto& segment : segments) {
    if (segment.page == shown && !segment.text.empty()) text = &segment;
  }
  if (picture) {
    html += pager;
    html += "<figure class=\"page-image\"><img src=\"" + page_url + "/strony/" +
            std::to_string(shown) + ".png" + h(q.empty() ? "" : "?q=" + url_component(q)) +
            "\" alt=\"Strona " + std::to_string(shown) + of_pages + " dokumentu " + h(item.title) +
            (text ? ". Jej tekst jest niżej, pod obrazem." : ".") + "\"" +
            (text ? " aria-describedby=\"tekst-strony\"" : "") + ">";
    if (!words.empty())
      html += "<figcaption>Na żółto zaznaczono szukane słowa: " + h(q) + "</figcaption>";
    html += "</figure>\n";
  }
  html +=
      "<form class=\"page-jump\" method=\"get\" action=\"" + page_url +
      "\"><label for=\"strona\">Przejdź do strony</label> <input type=\"number\" "
      "id=\"strona\" name=\"page\" min=\"1\" inputmode=\"numeric\"" +
      (last ? " max=\"" + std::to_string(last) + "\"" : std::string()) + " value=\"" +
      std::to_string(shown) + "\">" +
      (q.empty() ? std::string() : "<input type=\"hidden\" name=\"q\" value=\"" + h(q) + "\">") +
      " <button type=\"submit\" class=\"secondary\">Pokaż</button></form>\n";
  if (text) {
    html += "<details class=\"page-text\"" + std::string(picture ? "" : " open") +
            "><summary>Tekst strony " + std::to_string(shown) +
            "</summary>\n<div id=\"tekst-strony\"><p>" + h(text->text) + "</p></div>\n</details>\n";
  }

  html += "<section class=\"document-search\" aria-labelledby=\"szukaj-w-dokumencie\">\n";
  html += "<h3 id=\"szukaj-w-dokumencie\">Szukaj w tym dokumencie</h3>\n";
  html += "<form role=\"search\" aria-label=\"W tym dokumencie\" method=\"get\" action=\"" +
          page_url +
          "\"><label for=\"q-dokument\">Słowa do znalezienia</label><div class=\"search-row\">"
          "<input type=\"search\" id=\"q-dokument\" name=\"q\" value=\"" +
          h(q) + "\"><button type=\"submit\">Szukaj</button></div></form>\n";
  if (!words.empty()) {
    html +=
        "<p role=\"status\">" +
        (matches.empty() ? std::string("Żadna strona tego dokumentu nie zawiera szukanych słów.")
                         : "Szukane słowa są na " + std::to_string(matches.size()) + " " +
                               polish_plural(static_cast<long long>(matches.size()), "stronie",
                                             "stronach", "stronach") +
                               ":") +
        "</p>\n";
    if (!matches.empty()) {
      html += "<ol class=\"document-matches\">\n";
      for (const PageMatch& match : matches) {
        html += "<li><a href=\"" + page_link(match.page) + "\"" +
                (match.page == shown ? " aria-current=\"page\"" : "") + ">s. " +
                std::to_string(match.page) + "</a> " + snippet_html(match.snippet) + "</li>\n";
      }
      html += "</ol>\n";
    }
  }
  html += "</section>\n</section>\n";
  return html;
}

// Where "Wyszukiwarka" leads back to: the search the visitor came from (same-site Referer), else
// a search for the words they brought, else the search page.
std::string back_link(const ApiRequest& request, const std::string& q) {
  const auto referer = request.headers.find("referer");
  const std::string origin = site_origin(request);
  if (referer != request.headers.end() && !origin.empty() &&
      referer->second.rfind(origin + "/?", 0) == 0 && referer->second.size() < 2000) {
    const std::string path = referer->second.substr(origin.size());
    if (path.find_first_of("\"<> \\") == std::string::npos) return path;
  }
  return q.empty() ? "/" : "/?q=" + url_component(q);
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

  std::string q;
  try {
    q = request.query.single("q").value_or("");
  } catch (const std::exception&) {
  }
  if (q.size() > 1024) q.clear();
  std::string main = "<p class=\"back\"><a href=\"" + h(back_link(request, q)) + "\">" +
                     (q.empty() ? "Wyszukiwarka" : "Wróć do wyników wyszukiwania") + "</a></p>\n";
  main += "<article class=\"item\">\n<header class=\"item-header\">\n";
  main += "<p class=\"type-label\">" + h(type_label(item.type)) + "</p>\n";
  main += "<h1>" + h(item.title) + "</h1>\n";
  if (!item.access.empty())
    main += "<p class=\"restricted-note\">" + restricted_badge() +
            " Ten materiał widzą tylko zalogowane instytucje partnerskie.</p>\n";
  main += "</header>\n";
  main += "<div class=\"item-layout\">\n<div class=\"item-main\">\n";
  if (is_media(item)) {
    main += player_html(item, page_url, cues, parse_clip_range(request.query), request.query, q,
                        site_origin(request));
  } else if (is_pdf(item)) {
    const auto located = searcher.locate_item(item.id, request.audience);
    const bool picture = located && !located->remote && stored_file_is_intact(item.source.file);
    main += pdf_html(item, page_url, segments, pdf_page(request.query, item), q, picture);
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
