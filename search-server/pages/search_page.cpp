// GET / — the search page. Its query string has the names of /api/search (q, type,
// campaign, project, place, year, year_from, year_to, sort, page, per_page), parsed by the
// same code; the whole state lives in the URL (a GET form), so searches can be shared.
//
// Layout: one form (#szukaj) holding the search box; the facet checkboxes and the sort
// select belong to it through their form="szukaj" attribute, so one submit sends all.
#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "api/api_error.h"
#include "api/file_responses.h"
#include "api/search_parameters.h"
#include "desk/queries_api.h"
#include "pages/html_text.h"
#include "pages/pages.h"

namespace mediateka::server {

namespace {

constexpr const char* kFormId = "szukaj";

bool has_filters(const SearchRequest& search) {
  return !search.types.empty() || !search.campaigns.empty() || !search.projects.empty() ||
         !search.places.empty() || !search.years.empty() || search.year_from || search.year_to;
}

// "/?q=...&type=..." for the search `search` at `page`; filters left out when asked.
std::string search_url(const SearchRequest& search, int page, bool with_filters = true) {
  std::string query;
  auto add = [&query](const char* name, const std::string& value) {
    query += query.empty() ? '?' : '&';
    query += name;
    query += '=';
    query += url_component(value);
  };
  if (!search.q.empty()) add("q", search.q);
  if (with_filters) {
    for (const auto& value : search.types) add("type", value);
    for (const auto& value : search.campaigns) add("campaign", value);
    for (const auto& value : search.projects) add("project", value);
    for (const auto& value : search.places) add("place", value);
    for (int year : search.years) add("year", std::to_string(year));
    if (search.year_from) add("year_from", std::to_string(*search.year_from));
    if (search.year_to) add("year_to", std::to_string(*search.year_to));
  }
  if (search.sort != SortOrder::relevance) add("sort", sort_order_name(search.sort));
  if (search.per_page != kDefaultPerPage) add("per_page", std::to_string(search.per_page));
  if (!search.expand) add("expand", "0");
  if (page > 1) add("page", std::to_string(page));
  return "/" + query;
}

std::string count_text(std::size_t count) {
  // Thousands separated by a non-breaking space, as Polish writes them (from 10 000).
  std::string digits = std::to_string(count);
  if (digits.size() <= 4) return digits;
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00A0";
    out += digits[i];
  }
  return out;
}

std::string found_text(std::size_t total) {
  const auto n = static_cast<long long>(total);
  return "Znaleziono " + count_text(total) + " " +
         polish_plural(n, "materiał", "materiały", "materiałów");
}

// One fieldset of checkboxes; selected values missing from the counts are kept (count 0),
// so they can be unchecked.
std::string facet_group(const char* name, const char* legend, std::vector<FacetValue> values,
                        const std::vector<std::string>& selected) {
  const std::set<std::string> chosen(selected.begin(), selected.end());
  for (const auto& value : selected) {
    bool listed = false;
    for (const auto& facet : values) listed = listed || facet.value == value;
    if (!listed) values.push_back({value, 0});
  }
  if (values.empty()) return {};
  std::string html = "<fieldset class=\"facet\">\n<legend>" + h(legend) + "</legend>\n<ul>\n";
  int index = 0;
  for (const auto& facet : values) {
    const std::string id = std::string("f-") + name + "-" + std::to_string(index++);
    const char* label = std::string_view(name) == "type" ? type_label(facet.value) : nullptr;
    html +=
        "<li><input type=\"checkbox\" form=\"" + std::string(kFormId) + "\" id=\"" + id +
        "\" name=\"" + name + "\" value=\"" + h(facet.value) + "\"" +
        (chosen.count(facet.value) ? " checked" : "") + "><label for=\"" + id + "\">" +
        h(label ? label : facet.value) + " <span class=\"facet-count\">(" +
        count_text(facet.count) + "<span class=\"visually-hidden\"> " +
        polish_plural(static_cast<long long>(facet.count), "materiał", "materiały", "materiałów") +
        "</span>)</span></label></li>\n";
  }
  html += "</ul>\n</fieldset>\n";
  return html;
}

std::string year_input(const char* name, const char* label, const std::optional<int>& value) {
  return std::string("<div class=\"year-input\"><label for=\"") + name + "\">" + label +
         "</label><input type=\"number\" form=\"" + kFormId + "\" id=\"" + name + "\" name=\"" +
         name + "\" inputmode=\"numeric\" min=\"1000\" max=\"9999\" step=\"1\" value=\"" +
         (value ? std::to_string(*value) : "") + "\"></div>";
}

std::string filters_html(const SearchRequest& search, const Facets& facets) {
  std::vector<std::string> years;
  for (int year : search.years) years.push_back(std::to_string(year));
  std::string html =
      "<aside class=\"filters\" aria-labelledby=\"filtry-naglowek\">\n"
      "<h2 id=\"filtry-naglowek\">Zawęź wyniki</h2>\n"
      "<a class=\"skip-inline\" href=\"#wyniki\">Przejdź do wyników</a>\n";
  // Open without JS; the script folds it on narrow screens, where results would be far below.
  const std::size_t chosen = search.types.size() + search.campaigns.size() +
                             search.projects.size() + search.places.size() + search.years.size() +
                             (search.year_from ? 1 : 0) + (search.year_to ? 1 : 0);
  html += "<details class=\"filter-panel\" open>\n<summary>Filtry";
  if (chosen > 0) {
    html += " (" + std::to_string(chosen) + " " +
            polish_plural(static_cast<long long>(chosen), "wybrany", "wybrane", "wybranych") + ")";
  }
  html += "</summary>\n";
  html += facet_group("type", "Rodzaj materiału", facets.type, search.types);
  html += facet_group("campaign", "Kampania", facets.campaign, search.campaigns);
  html += facet_group("year", "Rok", facets.year, years);
  html += "<fieldset class=\"facet year-range\">\n<legend>Zakres lat</legend>\n";
  html += year_input("year_from", "Od roku", search.year_from);
  html += year_input("year_to", "Do roku", search.year_to);
  html += "</fieldset>\n";
  html += facet_group("project", "Projekt", facets.project, search.projects);
  html += facet_group("place", "Miejsce", facets.place, search.places);
  html += "<p class=\"facet-more\"><a href=\"/miejsca\">Wszystkie miejsca według lat</a></p>\n";
  html += "<div class=\"filter-actions\"><button type=\"submit\" form=\"" + std::string(kFormId) +
          "\">Zastosuj filtry</button>";
  if (has_filters(search)) {
    html += " <a href=\"" + h(search_url(search, 1, false)) + "\">Wyczyść filtry</a>";
  }
  html += "</div>\n</details>\n</aside>\n";
  return html;
}

std::string sort_select(const SearchRequest& search) {
  std::string html =
      "<div class=\"sort\"><label for=\"sort\">Sortuj według</label> <select id=\"sort\" "
      "name=\"sort\" form=\"" +
      std::string(kFormId) + "\">";
  const std::pair<SortOrder, const char*> options[] = {{SortOrder::relevance, "trafność"},
                                                       {SortOrder::newest, "najnowsze"},
                                                       {SortOrder::oldest, "najstarsze"}};
  for (const auto& [order, label] : options) {
    html += std::string("<option value=\"") + sort_order_name(order) + "\"" +
            (search.sort == order ? " selected" : "") + ">" + label + "</option>";
  }
  html += "</select> <button type=\"submit\" form=\"" + std::string(kFormId) +
          "\" class=\"secondary\">Sortuj</button></div>\n";
  return html;
}

// "?q=…" (or "&q=…" after other parameters) carrying the visitor's words to the item page, where
// they mark the page image and fill the link back to the search.
std::string with_query(const std::string& q, bool first) {
  if (q.empty()) return {};
  return std::string(first ? "?" : "&") + "q=" + url_component(q);
}

// What a location's link says: "s. 7" or "01:33"; two locations with one label are one link.
std::string location_label(const Location& location) {
  return location.page > 0 ? "s. " + std::to_string(location.page) : clock_time(location.t);
}

std::string location_link(const Location& location, const std::string& slug, const std::string& q) {
  const std::string base = "/i/" + url_component(slug);
  if (location.page > 0) {
    return "<a href=\"" + base + "?page=" + std::to_string(location.page) +
           h(with_query(q, false)) + "\">" + location_label(location) + "</a>";
  }
  const auto second = static_cast<long long>(std::floor(std::max(0.0, location.t)));
  return "<a href=\"" + base + "?t=" + std::to_string(second) + h(with_query(q, false)) + "\">" +
         location_label(location) + "</a>";
}

// Whether a hit is restricted: only a token holder sees such items, and the hit's fields do not
// carry its access groups, so the item is looked up for them alone.
bool restricted_hit(const Hit& hit, ServerContext& context, const Audience& audience) {
  if (!hit.item.access.empty()) return true;
  if (audience.anonymous()) return false;
  const auto item = context.index.searcher().item_by_id(hit.item.id, audience);
  return item && !item->access.empty();
}

std::string hit_html(const Hit& hit, ServerContext& context, const std::string& q,
                     const Audience& audience) {
  const Item& item = hit.item;
  const std::string url = "/i/" + url_component(item.slug);
  const bool cover = has_cover(context, item.id);
  std::string html = "<li class=\"hit\">\n<div class=\"cover\">";
  if (cover) {
    html += "<img src=\"/thumbs/" + url_component(item.id) + "\" alt=\"Okładka: " + h(item.title) +
            "\" width=\"96\" height=\"128\" loading=\"lazy\">";
  } else {
    html += type_icon(item.type);
  }
  html += "</div>\n<div class=\"hit-body\">\n";
  html += "<h3 class=\"hit-title\"><a href=\"" + url + h(with_query(q, true)) + "\">" +
          h(item.title) + "</a></h3>\n";
  html +=
      "<p class=\"hit-meta\"><span class=\"type-label\">" + h(type_label(item.type)) + "</span>";
  if (item.year) html += " · <span>" + std::to_string(*item.year) + "</span>";
  if (!item.campaigns.empty()) {
    html += " · <span>";
    html += item.campaigns.size() == 1 ? "Kampania: " : "Kampanie: ";
    for (std::size_t i = 0; i < item.campaigns.size(); ++i) {
      html += (i ? ", " : "") + h(item.campaigns[i]);
    }
    html += "</span>";
  }
  if (restricted_hit(hit, context, audience)) html += " · " + restricted_badge();
  html += "</p>\n";
  // The snippet once; under it each place of the words once, as a link, with its own words
  // only where they are not the snippet's.
  std::set<std::string> shown_texts;
  if (!hit.snippet.empty()) {
    html += "<p class=\"snippet\">" + snippet_html(hit.snippet) + "</p>\n";
    shown_texts.insert(hit.snippet.text);
  }
  std::set<std::string> labels;
  std::vector<const Location*> locations;
  for (const auto& location : hit.locations) {
    if (labels.insert(location_label(location)).second) locations.push_back(&location);
  }
  if (!locations.empty()) {
    const bool pages = locations.front()->page > 0;
    html += std::string("<ul class=\"locations\" aria-label=\"") +
            (pages ? "Strony z wynikiem" : "Fragmenty nagrania z wynikiem") + "\">\n";
    for (const Location* location : locations) {
      html += "<li>" + location_link(*location, item.slug, q);
      if (!location->snippet.empty() && shown_texts.insert(location->snippet.text).second) {
        html += " <span class=\"location-snippet\">" + snippet_html(location->snippet) + "</span>";
      }
      html += "</li>\n";
    }
    html += "</ul>\n";
  }
  html += "</div>\n</li>\n";
  return html;
}

std::string pagination_html(const SearchRequest& search, std::size_t total) {
  const long long last = std::min<long long>(
      (static_cast<long long>(total) + search.per_page - 1) / search.per_page, kMaxPage);
  if (last <= 1) return {};
  const long long current = search.page;
  std::string html = "<nav class=\"pagination\" aria-label=\"Strony wyników\">\n<ul>\n";
  auto link = [&](long long page, const std::string& label, const char* rel) {
    return "<li><a href=\"" + h(search_url(search, static_cast<int>(page))) + "\"" +
           (rel ? std::string(" rel=\"") + rel + "\"" : "") + ">" + label + "</a></li>\n";
  };
  if (current > 1 && current <= last) {
    html += link(current - 1, "<span aria-hidden=\"true\">‹ </span>Poprzednia", "prev");
  }
  long long previous = 0;
  for (long long page = 1; page <= last; ++page) {
    const bool shown = page == 1 || page == last || (page >= current - 2 && page <= current + 2);
    if (!shown) continue;
    if (page > previous + 1) html += "<li class=\"gap\" aria-hidden=\"true\">…</li>\n";
    if (page == current) {
      html += "<li><a href=\"" + h(search_url(search, static_cast<int>(page))) +
              "\" aria-current=\"page\"><span class=\"visually-hidden\">Strona </span>" +
              std::to_string(page) + "</a></li>\n";
    } else {
      html += link(page, "<span class=\"visually-hidden\">Strona </span>" + std::to_string(page),
                   nullptr);
    }
    previous = page;
  }
  if (current < last) {
    html += link(current + 1, "Następna<span aria-hidden=\"true\"> ›</span>", "next");
  }
  html += "</ul>\n</nav>\n";
  return html;
}

std::string empty_state(const SearchRequest& search, bool beyond_last_page) {
  if (beyond_last_page) {
    return "<div class=\"empty\"><p>Ta strona wyników jest pusta.</p><p><a href=\"" +
           h(search_url(search, 1)) + "\">Wróć do pierwszej strony wyników</a></p></div>\n";
  }
  std::string html = "<div class=\"empty\">\n<p class=\"empty-title\">Nic nie znaleziono";
  if (!search.q.empty()) html += " dla zapytania „" + h(search.q) + "”";
  html += ".</p>\n<p>Co można zrobić:</p>\n<ul>\n";
  html += "<li>sprawdź pisownię wpisanych słów,</li>\n";
  html += "<li>wpisz mniej słów albo słowa bardziej ogólne,</li>\n";
  if (has_filters(search)) {
    html += "<li>usuń filtry: <a href=\"" + h(search_url(search, 1, false)) +
            "\">szukaj bez filtrów</a>,</li>\n";
  }
  html += "<li>albo <a href=\"/\">przeglądaj wszystkie materiały</a>.</li>\n</ul>\n</div>\n";
  return html;
}

std::string search_box(const std::string& q, const SearchRequest& search) {
  std::string html =
      "<form id=\"" + std::string(kFormId) +
      "\" class=\"search-form\" role=\"search\" method=\"get\" action=\"/\" "
      "data-suggest=\"/api/suggest\">\n"
      "<label for=\"q\">Czego szukasz?</label>\n<div class=\"search-row\">"
      "<div class=\"combo\"><input type=\"search\" id=\"q\" name=\"q\" value=\"" +
      h(q) +
      "\" autocomplete=\"off\" spellcheck=\"false\" aria-describedby=\"q-podpowiedz\">"
      "</div><button type=\"submit\">Szukaj</button></div>\n"
      "<p id=\"q-podpowiedz\" class=\"hint\">Wpisz słowa, np. ekonomia społeczna. "
      "Cytat ujmij w cudzysłów, słowo do pominięcia poprzedź minusem.</p>\n";
  if (search.per_page != kDefaultPerPage) {
    html += "<input type=\"hidden\" name=\"per_page\" value=\"" + std::to_string(search.per_page) +
            "\">\n";
  }
  html += "</form>\n";
  return html;
}

std::string render(const std::string& q, const SearchRequest& search, const SearchResult* result,
                   const Facets& facets, const std::string& error, ServerContext& context) {
  std::string main = "<h1>Wyszukiwarka materiałów</h1>\n";
  main += search_box(q, search);
  main += "<div class=\"search-layout\">\n";
  main += filters_html(search, facets);
  main +=
      "<section id=\"wyniki\" class=\"results\" aria-labelledby=\"wyniki-naglowek\" "
      "tabindex=\"-1\">\n";
  main += "<h2 id=\"wyniki-naglowek\">";
  main += search.q.empty() ? std::string("Wszystkie materiały")
                           : "Wyniki dla zapytania „" + h(search.q) + "”";
  main += "</h2>\n";
  if (!error.empty()) {
    main +=
        "<div class=\"error-box\" role=\"alert\"><p><strong>Nie można wykonać wyszukiwania."
        "</strong> " +
        h(error) + "</p><p><a href=\"/\">Zacznij nowe wyszukiwanie</a></p></div>\n";
  }
  if (result) {
    if (result->suggestion) {
      SearchRequest corrected = search;
      corrected.q = *result->suggestion;
      main += "<p class=\"suggestion\">Czy chodziło o: <a href=\"" + h(search_url(corrected, 1)) +
              "\">" + h(*result->suggestion) + "</a>?</p>\n";
    }
    if (!result->expanded.empty()) {
      // What acronyms and full names were searched as too, and the search without that.
      std::string also;
      for (const Expansion& expansion : result->expanded) {
        std::string forms;
        for (const std::string& to : expansion.to) {
          forms += (forms.empty() ? "" : ", ") + ("<strong>" + h(to) + "</strong>");
        }
        also += (also.empty() ? "" : "; ") + forms + " (dla „" + h(expansion.from) + "”)";
      }
      SearchRequest as_typed = search;
      as_typed.expand = false;
      main += "<p class=\"expanded\">Szukano też: " + also + ". <a href=\"" +
              h(search_url(as_typed, 1)) + "\">Szukaj tylko „" + h(search.q) + "”</a></p>\n";
    }
    if (!result->missing_shards.empty()) {
      std::string names;
      for (const std::string& name : result->missing_shards) {
        names += (names.empty() ? "" : ", ") + h(name);
      }
      main += "<p class=\"notice\" role=\"status\">Wyniki są niepełne: archiwum " + names +
              " nie odpowiada. Spróbuj ponownie za chwilę.</p>\n";
    }
    main +=
        "<div class=\"toolbar\">\n<p id=\"liczba-wynikow\" class=\"result-count\" "
        "role=\"status\">";
    main +=
        result->total == 0 ? std::string("Nie znaleziono materiałów") : found_text(result->total);
    main += "</p>\n" + sort_select(search) + "</div>\n";
    if (result->hits.empty()) {
      main += empty_state(search, result->total > 0);
    } else {
      const long long first = static_cast<long long>(search.page - 1) * search.per_page + 1;
      main += "<ol class=\"hits\" start=\"" + std::to_string(first) + "\">\n";
      for (const auto& hit : result->hits)
        main += hit_html(hit, context, search.q, search.audience);
      main += "</ol>\n";
    }
    main += pagination_html(search, result->total);
  }
  main += "</section>\n</div>\n";

  PageHead head;
  head.title = search.q.empty() ? std::string("Wyszukiwarka materiałów")
                                : "„" + search.q + "” – wyniki wyszukiwania";
  if (search.page > 1) head.title += ", strona " + std::to_string(search.page);
  head.current_path = "/";
  head.extra =
      "<meta name=\"description\" content=\"Wyszukiwarka publikacji, biuletynów, filmów i audycji "
      "z kampanii społecznych.\">\n";
  if (!search.q.empty() || has_filters(search)) {
    head.extra += "<meta name=\"robots\" content=\"noindex, follow\">\n";
  }
  return page_layout(head, main);
}

}  // namespace

Response get_search_page(const ApiRequest& request, ServerContext& context) {
  // The box shows what was typed even when a parameter is wrong.
  const auto typed = request.query.all("q");
  std::string q = typed.empty() ? std::string() : typed.front();
  if (q.size() > kMaxQueryBytes) q.clear();

  SearchRequest search;
  std::string error;
  try {
    search = parse_search_request(request.query);
    search.audience = request.audience;
  } catch (const ApiError& failure) {
    error = polish_error_message(failure.code, failure.what());
    search = SearchRequest{};
    search.q = q;
    search.audience = request.audience;
  }
  if (error.empty()) {
    try {
      const SearchResult result = context.index.search(search);
      count_search(request, context, search, result);
      return html_response(200, render(search.q, search, &result, result.facets, "", context));
    } catch (const QueryError& failure) {
      error = polish_error_message(failure.code, failure.what());
    }
  }
  return html_response(
      400, render(q, search, nullptr, context.index.whole_archive(request.audience).facets, error,
                  context));
}

}  // namespace mediateka::server
