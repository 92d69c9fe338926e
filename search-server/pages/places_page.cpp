// GET /miejsca — the places the items are about (archive/places/gazetteer.h), województwa, powiats
// and gminas, each with its items' counts by year: a table per kind, every count a link to the
// search for that place (and year). Counts are of the items the visitor may see, as every
// facet's (the Searcher counts for the request's audience).
#include <algorithm>
#include <set>

#include "archive/places/gazetteer.h"
#include "archive/text/vocabulary.h"
#include "pages/pages.h"

namespace mediateka::server {

namespace {

struct PlaceRow {
  std::string name;
  std::map<int, std::size_t> years;  // 0: no year
  std::size_t total = 0;
};

std::string search_link(const std::string& place, std::optional<int> year) {
  std::string url = "/?place=" + url_component(place);
  if (year) url += "&year=" + std::to_string(*year);
  return url;
}

std::string count_cell(const PlaceRow& row, std::optional<int> year, std::size_t count) {
  if (count == 0) return "<td class=\"count zero\">0</td>";
  // Year 0 (items without a year) cannot be searched for by year: no link.
  if (year && *year == 0) return "<td class=\"count\">" + std::to_string(count) + "</td>";
  return "<td class=\"count\"><a href=\"" + h(search_link(row.name, year)) + "\">" +
         std::to_string(count) + "<span class=\"visually-hidden\"> " +
         polish_plural(static_cast<long long>(count), "materiał", "materiały", "materiałów") +
         ": " + h(row.name) + (year ? ", " + std::to_string(*year) : std::string()) +
         "</span></a></td>";
}

// One table of places with a column per year.
std::string places_table(const std::string& id, const char* caption,
                         const std::vector<PlaceRow>& rows) {
  if (rows.empty()) return {};
  std::set<int> years;
  for (const PlaceRow& row : rows) {
    for (const auto& [year, count] : row.years) years.insert(year);
  }
  std::string html =
      "<section aria-labelledby=\"" + id + "\">\n<h2 id=\"" + id + "\">" + h(caption) + "</h2>\n";
  // The table may be wider than the screen: its region scrolls and takes the focus to do so.
  html += "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"" + id +
          "\">\n<table class=\"places\">\n<caption class=\"visually-hidden\">" + h(caption) +
          ": liczba materiałów według lat</caption>\n<thead><tr><th scope=\"col\">Miejsce</th>";
  for (int year : years) {
    html +=
        "<th scope=\"col\">" + (year ? std::to_string(year) : std::string("bez roku")) + "</th>";
  }
  html += "<th scope=\"col\">Razem</th></tr></thead>\n<tbody>\n";
  for (const PlaceRow& row : rows) {
    html += "<tr><th scope=\"row\"><a href=\"" + h(search_link(row.name, std::nullopt)) + "\">" +
            h(row.name) + "</a></th>";
    for (int year : years) {
      auto found = row.years.find(year);
      html += count_cell(row, year, found == row.years.end() ? 0 : found->second);
    }
    html += count_cell(row, std::nullopt, row.total) + "</tr>\n";
  }
  html += "</tbody>\n</table>\n</div>\n</section>\n";
  return html;
}

}  // namespace

Response get_places_page(const ApiRequest& request, ServerContext& context) {
  SearchRequest all;
  all.per_page = 1;
  all.snippets = false;
  all.place_years = true;
  all.audience = request.audience;
  const Facets facets = context.index.search(all).facets;
  const Gazetteer& gazetteer = Gazetteer::instance();
  // By kind, in the order of the gazetteer's keys (alphabetical, diacritics folded).
  std::map<std::string, PlaceRow> by_kind[4];
  for (const auto& [name, years] : facets.place_years) {
    std::size_t kind = 3;  // a name the gazetteer does not know
    if (auto place = gazetteer.by_canonical(name); place && !facets.unknown_places.count(name))
      kind = static_cast<std::size_t>(gazetteer.entry(*place).kind);
    PlaceRow row{name, years, 0};
    for (const auto& [year, count] : years) row.total += count;
    by_kind[kind].emplace(Vocabulary::key(name), std::move(row));
  }
  auto rows = [&](PlaceKind kind) {
    std::vector<PlaceRow> list;
    for (auto& [key, row] : by_kind[static_cast<std::size_t>(kind)]) list.push_back(row);
    return list;
  };
  // Names the gazetteer does not know are most often misspelt (a manifest's "Atlantyda"):
  // visitors are not shown them (the Searcher does not count them for anyone but a librarian,
  // Place::unknown); librarians are, to correct them.
  std::vector<PlaceRow> others;
  if (request.librarian)
    for (auto& [key, row] : by_kind[3]) others.push_back(row);

  std::string main = "<article class=\"prose places-page\">\n<h1>Miejsca</h1>\n";
  main +=
      "<p>Województwa, powiaty i gminy, których dotyczą materiały archiwum, z liczbą materiałów "
      "w kolejnych latach. Miejsce materiału pochodzi z jego opisu albo zostało odnalezione w "
      "jego treści (np. „w powiecie wyszkowskim”). Liczba prowadzi do wyszukiwania materiałów "
      "z danego miejsca i roku; w wyszukiwarce można też wybrać kilka miejsc naraz.</p>\n";
  if (facets.place_years.empty()) {
    main += "<p>Żaden materiał nie ma jeszcze przypisanego miejsca.</p>\n";
  }
  main += places_table("wojewodztwa", "Województwa", rows(PlaceKind::wojewodztwo));
  main += places_table("powiaty", "Powiaty i miasta na prawach powiatu", rows(PlaceKind::powiat));
  main += places_table("gminy", "Gminy", rows(PlaceKind::gmina));
  if (!others.empty()) {
    main += places_table("inne", "Nazwy spoza rejestru", others);
    main +=
        "<p>Tę tabelę widzą tylko bibliotekarze: to nazwy miejsc z opisów materiałów, których nie "
        "ma w rejestrze województw, powiatów i gmin (najczęściej literówki). Popraw je w opisie "
        "materiału; odwiedzający ich nie widzą.</p>\n";
  }
  main += "</article>\n";
  return html_response(200, page_layout({"Miejsca", "", "/miejsca"}, main));
}

}  // namespace mediateka::server
