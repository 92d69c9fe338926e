#include "desk/desk_pages.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <mutex>

#include "api/api_error.h"
#include "api/search_parameters.h"
#include "archive/access/access_tokens.h"
#include "archive/places/gazetteer.h"
#include "archive/searcher.h"
#include "archive/text/clock_text.h"
#include "archive/text/slug.h"
#include "audit_trail.h"
#include "desk/admin_api.h"
#include "desk/desk.h"
#include "desk/query_log.h"
#include "pages/pages.h"
#include "run_history.h"

namespace mediateka::server {

namespace fs = std::filesystem;

namespace {

// --- shared pieces ----------------------------------------------------------------------------

Response see_other(const std::string& location) {
  return Response{
      303, kHtmlContentType, "", {{"Location", location}, {"Cache-Control", "no-store"}}};
}

std::string desk_nav(const std::string& current) {
  static const std::pair<const char*, const char*> kLinks[] = {
      {"/biblioteka", "Pulpit"},
      {"/biblioteka/dodaj", "Dodaj materiał"},
      {"/biblioteka/import", "Import"},
      {"/biblioteka/tokeny", "Tokeny czytelników"},
      {"/biblioteka/historia", "Historia zmian"}};
  std::string html = "<nav class=\"desk-nav\" aria-label=\"Biblioteka\"><ul>";
  for (const auto& [href, label] : kLinks)
    html += std::string("<li><a href=\"") + href + "\"" +
            (current == href ? " aria-current=\"page\"" : "") + ">" + label + "</a></li>";
  return html + "</ul></nav>\n";
}

Response desk_page(int status, const std::string& title, const std::string& current,
                   const std::string& main, const std::string& extra_head = {}) {
  PageHead head;
  head.title = title + " – Biblioteka";
  head.extra = "<meta name=\"robots\" content=\"noindex\">\n" + extra_head;
  head.current_path = current;
  Response response = html_response(
      status, page_layout(head, "<div class=\"desk\">" + desk_nav(current) + main + "</div>"));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// An error of a desk page, in Polish; the core's own (English) words follow as a detail.
Response desk_error(int status, const std::string& code, const std::string& message) {
  std::string title, text;
  if (code == "csrf") {
    title = "Formularz wygasł";
    text =
        "Ta zmiana nie przyszła z formularza tej strony albo formularz jest nieaktualny. Wróć, "
        "odśwież stronę i spróbuj ponownie.";
  } else if (status == 403) {
    title = "Brak uprawnień";
    text =
        "Ta strona jest tylko dla biblioteki. Zalogowano tokenem instytucji partnerskiej; "
        "zaloguj się tokenem bibliotekarza.";
  } else if (status == 401) {
    title = "Brak dostępu";
    text = "Zaloguj się tokenem bibliotekarza, aby korzystać z biblioteki.";
  } else if (status == 404) {
    title = "Nie znaleziono";
    text = "Nie ma takiej pozycji, zadania ani tokenu.";
  } else if (status == 410) {
    title = "Pozycja wycofana";
    text = "Ta pozycja została wycofana z archiwum.";
  } else if (status == 503) {
    title = "Biblioteka jest niedostępna";
    text =
        "Ten serwer nie zapisuje indeksu (biblioteka wyłączona w konfiguracji, replika lub "
        "archiwum złożone z części) albo indeks jest zajęty. Spróbuj ponownie później.";
  } else if (status >= 500) {
    title = "Wystąpił błąd serwera";
    text = "Nie udało się wykonać tej operacji. Błąd został zapisany.";
  } else {
    title = "Nie udało się wykonać zmiany";
    text = "Sprawdź wpisane dane i spróbuj ponownie.";
  }
  std::string main =
      "<h1>" + h(title) + "</h1>\n<div class=\"error-box\" role=\"alert\"><p>" + h(text) + "</p>";
  if (!message.empty() && status < 500 && status != 401 && status != 403)
    main += "<p>Szczegóły: <span lang=\"en\">" + h(message) + "</span></p>";
  if (status == 401 || status == 403)
    main += "<p><a href=\"/logowanie\">Przejdź do logowania</a></p>";
  main += "</div>\n<p><a href=\"/biblioteka\">Wróć do pulpitu biblioteki</a></p>\n";
  PageHead head;
  head.title = title;
  head.extra = "<meta name=\"robots\" content=\"noindex\">\n";
  Response response = html_response(status, page_layout(head, main));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// Runs a page's body for a librarian: anonymous visitors are sent to the login page, readers
// and wrong CSRF tokens get a Polish 403, the core's refusals a Polish error page.
template <class Body>
Response for_librarian(const ApiRequest& request, ServerContext& context, bool changes, Body body) {
  if (request.token_id.empty()) return see_other("/logowanie");
  try {
    Desk& desk = desk_for(request, context, changes);
    return body(desk);
  } catch (const ApiError& error) {
    return desk_error(error.status, error.code, error.what());
  } catch (const DeskError& error) {
    return desk_error(400, "bad_parameter", error.what());
  } catch (const QueryError& error) {
    return desk_error(400, error.code, error.what());
  }
}

indexer::AuditActor actor_of(const ApiRequest& request) {
  return {request.token_id, request.token_label};
}

std::string csrf_field(const ApiRequest& request, ServerContext& context) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" +
         h(csrf_token(context, request.token_id)) + "\">\n";
}

std::string when(std::int64_t seconds) {
  if (seconds <= 0) return "–";
  std::string text = utc_timestamp(seconds);  // 2026-12-06T14:05:09Z
  if (text.size() >= 16) text = text.substr(0, 10) + " " + text.substr(11, 5) + " UTC";
  return text;
}

std::string when(const std::string& iso) {
  if (iso.size() >= 16) return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
  return iso.empty() ? "–" : iso;
}

std::string joined(const std::vector<std::string>& values, const char* separator = "; ") {
  std::string text;
  for (const std::string& value : values) text += (text.empty() ? "" : separator) + value;
  return text;
}

std::string trimmed(std::string_view text) {
  const auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(start, end - start + 1));
}

// "a ;b;; c" → "a;b;c": a list field as the manifest writes it.
std::string normal_list(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string value = trimmed(text.substr(start, end - start));
    if (!value.empty()) out += (out.empty() ? "" : ";") + value;
    start = end + 1;
  }
  return out;
}

// Labels for librarians, not names: the names are kJobStateNames (jobs.h).
constexpr NameTable<JobState, 4> kJobStateLabels{{{JobState::queued, "w kolejce"},
                                                  {JobState::running, "w toku"},
                                                  {JobState::done, "zakończone"},
                                                  {JobState::failed, "nieudane"}}};

const char* state_label(JobState state) {
  return name_of(kJobStateLabels, state, JobState::failed);
}

std::string kind_label(const std::string& kind) {
  static const std::map<std::string, std::string> kLabels = {
      {"add", "dodanie materiału"},
      {"edit", "poprawka opisu"},
      {"replace", "wymiana pliku"},
      {"withdraw", "wycofanie"},
      {"restore", "przywrócenie"},
      {"import", "import manifestu"},
      {"preview", "podgląd importu"},
      {"token_create", "nowy token"},
      {"token_revoke", "unieważnienie tokenu"},
      {"synonyms", "synonimy"}};
  const auto found = kLabels.find(kind);
  return found == kLabels.end() ? kind : found->second;
}

std::string field_label(const std::string& field) {
  static const std::map<std::string, std::string> kLabels = {
      {"title", "Tytuł"},     {"type", "Rodzaj"},    {"campaign", "Kampania"},
      {"year", "Rok"},        {"date", "Data"},      {"project", "Projekt"},
      {"series", "Seria"},    {"issue", "Numer"},    {"description", "Opis"},
      {"authors", "Autorzy"}, {"language", "Język"}, {"access", "Dostęp (grupy)"},
      {"places", "Miejsca"},  {"source", "Źródło"},  {"label", "Nazwa"},
      {"role", "Rola"},       {"groups", "Grupy"}};
  const auto found = kLabels.find(field);
  return found == kLabels.end() ? field : found->second;
}

std::string state_badge(const JobRecord& job) {
  return "<span class=\"state state-" + std::string(to_string(job.state)) + "\">" +
         state_label(job.state) + "</span>";
}

std::string json_text(const nlohmann::ordered_json& value) {
  if (value.is_null()) return {};
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// --- the item form ----------------------------------------------------------------------------

struct FormField {
  const char* name;
  const char* label;
  const char* hint;  // may be empty
  enum Kind { text, textarea, type, number, date, list } kind;
  const char* datalist;  // may be null
};

const std::vector<FormField>& item_fields() {
  static const std::vector<FormField> fields = {
      {"title", "Tytuł", "", FormField::text, nullptr},
      {"type", "Rodzaj", "", FormField::type, nullptr},
      {"campaign", "Kampanie", "Kilka oddziel średnikiem (;).", FormField::list, "kampanie"},
      {"year", "Rok", "", FormField::number, nullptr},
      {"date", "Data", "RRRR-MM-DD albo RRRR-MM.", FormField::text, nullptr},
      {"project", "Projekt", "", FormField::text, nullptr},
      {"series", "Seria", "", FormField::text, nullptr},
      {"issue", "Numer", "Np. numer biuletynu.", FormField::text, nullptr},
      {"description", "Opis", "", FormField::textarea, nullptr},
      {"authors", "Autorzy", "Kilka oddziel średnikiem (;).", FormField::list, nullptr},
      {"language", "Język", "Kod języka, np. pl.", FormField::text, nullptr},
      {"access", "Dostęp – grupy",
       "Puste: materiał publiczny. Grupy oddziel średnikiem, np. gmina-wyszkow.", FormField::list,
       nullptr},
      {"places", "Miejsca", "Gminy, powiaty, województwa; oddziel średnikiem (;).", FormField::list,
       "miejsca"},
  };
  return fields;
}

std::map<std::string, std::string> item_values(const Item& item) {
  std::vector<std::string> places;
  for (const Place& place : item.places)
    if (!place.inferred) places.push_back(place.name);
  return {{"title", item.title},
          {"type", std::string(to_string(item.type))},
          {"campaign", joined(item.campaigns, ";")},
          {"year", item.year ? std::to_string(*item.year) : ""},
          {"date", item.date},
          {"project", item.project},
          {"series", item.series},
          {"issue", item.issue},
          {"description", item.description},
          {"authors", joined(item.authors, ";")},
          {"language", item.language},
          {"access", joined(item.access, ";")},
          {"places", joined(places, ";")}};
}

std::string datalists(const Desk& desk) {
  std::string html = "<datalist id=\"kampanie\">";
  for (const std::string& name : desk.config().campaigns.canonical_names())
    html += "<option value=\"" + h(name) + "\"></option>";
  html += "</datalist>\n<datalist id=\"miejsca\">";
  // Województwa and powiaty (with cities): gminy are many, and typed names are matched anyway.
  for (const PlaceEntry& place : Gazetteer::instance().entries())
    if (place.kind != PlaceKind::gmina) html += "<option value=\"" + h(place.name) + "\"></option>";
  return html + "</datalist>\n";
}

std::string item_form_fields(const std::map<std::string, std::string>& values,
                             bool required_title) {
  std::string html;
  for (const FormField& field : item_fields()) {
    const auto found = values.find(field.name);
    const std::string value = found == values.end() ? "" : found->second;
    const std::string id = std::string("pole-") + field.name;
    const std::string hint_id = id + "-opis";
    const std::string described =
        *field.hint ? " aria-describedby=\"" + hint_id + "\"" : std::string();
    html += "<div class=\"field\"><label for=\"" + id + "\">" + field.label + "</label>\n";
    switch (field.kind) {
      case FormField::textarea:
        html += "<textarea id=\"" + id + "\" name=\"" + field.name + "\" rows=\"5\"" + described +
                ">" + h(value) + "</textarea>";
        break;
      case FormField::type: {
        html += "<select id=\"" + id + "\" name=\"type\"" + described + ">";
        if (!required_title)
          html += std::string("<option value=\"\"") + (value.empty() ? " selected" : "") +
                  ">rozpoznaj z pliku</option>";
        for (const auto& [type, name] : kItemTypeNames)
          html += std::string("<option value=\"") + name + "\"" +
                  (value == name ? " selected" : "") + ">" + type_label(type) + "</option>";
        html += "</select>";
        break;
      }
      default:
        html += "<input id=\"" + id + "\" name=\"" + field.name + "\" type=\"" +
                (field.kind == FormField::number ? "number\" inputmode=\"numeric" : "text") +
                "\" value=\"" + h(value) + "\"" + described +
                (field.datalist ? std::string(" list=\"") + field.datalist + "\"" : "") +
                (required_title && std::string(field.name) == "title" ? " required" : "") + ">";
    }
    if (*field.hint) html += "<p class=\"hint\" id=\"" + hint_id + "\">" + field.hint + "</p>";
    html += "</div>\n";
  }
  return html;
}

// The item a librarian names by id or slug, read from the index as it is now (not from a
// searcher the commit watcher reopens only within its interval).
std::optional<Item> current_item(const Desk& desk, const std::string& name) {
  Searcher fresh(std::vector<std::string>{desk.config().db}, desk.config().campaigns);
  std::optional<Item> item;
  if (is_valid_identifier(name)) item = fresh.item_by_id(name, Audience::everyone());
  if (!item) item = fresh.item_by_slug(name, Audience::everyone());
  return item;
}

bool is_withdrawn(const Desk& desk, const std::string& id) {
  if (!is_valid_identifier(id)) return false;
  Searcher fresh(std::vector<std::string>{desk.config().db}, desk.config().campaigns);
  return fresh.is_gone(id, Audience::everyone());
}

Item item_or_throw(const Desk& desk, const std::string& name) {
  std::optional<Item> item = current_item(desk, name);
  if (!item && is_withdrawn(desk, name))
    throw ApiError(410, "gone", "item '" + name + "' is withdrawn");
  if (!item) throw not_found("no item with id or slug '" + name.substr(0, 120) + "'");
  return *item;
}

std::string job_link(const JobRecord& job) {
  return "<a href=\"/biblioteka/zadania/" + h(job.id) + "\">" + h(kind_label(job.kind)) +
         (job.item.empty() ? "" : " (" + h(job.item) + ")") + "</a>";
}

std::string jobs_table(const std::vector<JobRecord>& jobs, const char* caption) {
  std::string html = "<div class=\"table-scroll\"><table class=\"desk-table\"><caption>" +
                     std::string(caption) +
                     "</caption>\n<thead><tr><th scope=\"col\">Zadanie</th><th "
                     "scope=\"col\">Stan</th><th scope=\"col\">Postęp</th><th "
                     "scope=\"col\">Zlecono</th><th scope=\"col\">Kto</th></tr></thead><tbody>\n";
  for (const JobRecord& job : jobs) {
    html += "<tr><td>" + job_link(job) + "</td><td>" + state_badge(job) +
            (job.waiting ? " (czeka na mediateka-index)" : "") + "</td><td>" +
            std::to_string(job.done) + " z " + std::to_string(job.total) + "</td><td>" +
            when(job.created) + "</td><td>" + h(job.by_label) + "</td></tr>\n";
  }
  return html + "</tbody></table></div>\n";
}

// The last imports of the runs history, the command line's and the desk's, newest first.
std::string runs_table(const std::vector<indexer::RunSummary>& runs) {
  std::string html =
      "<div class=\"table-scroll\"><table class=\"desk-table\"><caption>Ostatnie importy, "
      "najnowsze najpierw</caption>\n<thead><tr><th scope=\"col\">Nr</th><th "
      "scope=\"col\">Rozpoczęty</th><th scope=\"col\">Kto</th><th scope=\"col\">Nowe</th><th "
      "scope=\"col\">Zmienione</th><th scope=\"col\">Bez zmian</th><th "
      "scope=\"col\">Błędy</th></tr></thead><tbody>\n";
  for (auto it = runs.rbegin(); it != runs.rend(); ++it)
    html += "<tr><td>" + std::to_string(it->run) + (it->interrupted ? " (przerwany)" : "") +
            "</td><td>" + h(it->started) + "</td><td>" + h(it->user) + "</td><td>" +
            std::to_string(it->imported) + "</td><td>" + std::to_string(it->updated) + "</td><td>" +
            std::to_string(it->unchanged) + "</td><td>" + std::to_string(it->failed) +
            "</td></tr>\n";
  return html + "</tbody></table></div>\n";
}

// --- one-time display of a new token's secret ---------------------------------------------------

struct ShownOnce {
  NewToken made;
  std::string by;  // the librarian's token id: only they see it
  std::chrono::steady_clock::time_point made_at;
};
std::mutex secrets_mutex;
std::map<std::string, ShownOnce> secrets;

std::string keep_secret(NewToken made, const std::string& by) {
  std::lock_guard<std::mutex> lock(secrets_mutex);
  const auto now = std::chrono::steady_clock::now();
  for (auto it = secrets.begin(); it != secrets.end();)
    it = now - it->second.made_at > std::chrono::minutes(10) ? secrets.erase(it) : std::next(it);
  std::string key = random_hex_id() + random_hex_id();
  secrets[key] = ShownOnce{std::move(made), by, now};
  return key;
}

std::optional<NewToken> take_secret(const std::string& key, const std::string& by) {
  std::lock_guard<std::mutex> lock(secrets_mutex);
  const auto found = secrets.find(key);
  if (found == secrets.end() || found->second.by != by) return std::nullopt;
  NewToken made = std::move(found->second.made);
  secrets.erase(found);
  return made;
}

// A list of visitors' queries, each a link to its search.
std::string queries_list(const std::vector<QueryCount>& queries, bool zero) {
  if (queries.empty()) return "<p>Brak zapytań w tym okresie.</p>\n";
  std::string html = "<ol class=\"desk-list\">\n";
  for (const QueryCount& query : queries)
    html += "<li><a href=\"/?q=" + h(url_component(query.q)) + "\">" + h(query.q) + "</a> (" +
            std::to_string(zero ? query.zero : query.count) + "×)</li>\n";
  return html + "</ol>\n";
}

}  // namespace

// --- GET /biblioteka --------------------------------------------------------------------------

Response get_desk_home(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk& desk) {
    std::string main = "<h1>Biblioteka</h1>\n";
    const std::string q = trimmed(request.query.single("q").value_or(""));
    main +=
        "<form class=\"search-form\" method=\"get\" action=\"/biblioteka\" role=\"search\">\n"
        "<label for=\"szukaj-pozycji\">Znajdź pozycję do poprawienia</label>\n"
        "<div class=\"search-row\"><input id=\"szukaj-pozycji\" name=\"q\" type=\"search\" "
        "value=\"" +
        h(q) + "\"><button type=\"submit\">Szukaj</button></div>\n</form>\n";
    if (!q.empty()) {
      QueryParameters parameters = QueryParameters::parse("per_page=20&q=" + url_component(q));
      SearchRequest search = parse_search_request(parameters);
      search.audience = Audience::everyone();
      const SearchResult found = context.index.search(search);
      main += "<section aria-labelledby=\"wyniki\"><h2 id=\"wyniki\">Pozycje: " +
              std::to_string(found.total) + "</h2>\n";
      if (found.hits.empty()) {
        main += "<p class=\"empty\">Nic nie znaleziono.</p>\n";
      } else {
        main += "<ul class=\"desk-list\">\n";
        for (const Hit& hit : found.hits) {
          main += "<li><a href=\"/biblioteka/pozycje/" + h(url_component(hit.item.id)) + "\">" +
                  h(hit.item.title.empty() ? hit.item.id : hit.item.title) +
                  "</a> <span "
                  "class=\"hit-meta\">" +
                  type_label(hit.item.type) +
                  (hit.item.year ? ", " + std::to_string(*hit.item.year) : "") +
                  (hit.item.access.empty() ? "" : ", " + restricted_badge()) + "</span></li>\n";
        }
        main += "</ul>\n";
      }
      main += "</section>\n";
    }
    const std::vector<JobRecord> recent = desk.jobs().recent(20);
    main += "<section aria-labelledby=\"zadania\"><h2 id=\"zadania\">Ostatnie zadania</h2>\n";
    if (recent.empty())
      main += "<p>Nie ma jeszcze zadań.</p>\n";
    else
      main += jobs_table(recent, "Ostatnie zadania, najnowsze najpierw");
    main += "</section>\n";
    std::vector<indexer::RunSummary> runs = indexer::list_runs(desk.config().db);
    if (runs.size() > 10) runs.erase(runs.begin(), runs.end() - 10);
    main += "<section aria-labelledby=\"importy\"><h2 id=\"importy\">Importy</h2>\n";
    main += runs.empty() ? std::string("<p>Nie było jeszcze importów.</p>\n")
                         : runs_table(runs) +
                               "<p>Także te z wiersza poleceń (<code>mediateka-index runs</code>; "
                               "szczegóły: <code>mediateka-index runs show NR</code>).</p>\n";
    main += "</section>\n";
    std::vector<JobRecord> failed;
    for (const JobRecord& job : desk.jobs().recent(JobQueue::kKeptJobs))
      if (job.state == JobState::failed && failed.size() < 10) failed.push_back(job);
    main += "<section aria-labelledby=\"bledy\"><h2 id=\"bledy\">Ostatnie błędy</h2>\n";
    if (failed.empty()) {
      main += "<p>Żadne z ostatnich zadań nie skończyło się błędem.</p>\n";
    } else {
      main += "<ul class=\"desk-list\">\n";
      for (const JobRecord& job : failed)
        main += "<li>" + job_link(job) + ", " + when(job.created) + ": <span lang=\"en\">" +
                h(job.error) + "</span></li>\n";
      main += "</ul>\n";
    }
    main += "</section>\n";
    if (context.queries) {
      main +=
          "<section aria-labelledby=\"bez-wynikow\"><h2 id=\"bez-wynikow\">Zapytania bez "
          "wyników (7 dni)</h2>\n" +
          queries_list(context.queries->top(7, true, 10), true) +
          "<p><a href=\"/biblioteka/zapytania\">Wszystkie zapytania</a></p>\n</section>\n";
    }
    return desk_page(200, "Pulpit", "/biblioteka", main);
  });
}

// --- adding ------------------------------------------------------------------------------------

Response get_desk_add(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk& desk) {
    std::string main =
        "<h1>Dodaj materiał</h1>\n<p>Wyślij plik albo podaj adres (URL) materiału i opisz go. "
        "Materiał trafi do archiwum jako zadanie; jego stan zobaczysz na następnej "
        "stronie.</p>\n<form method=\"post\" action=\"/biblioteka/dodaj\" "
        "enctype=\"multipart/form-data\" class=\"desk-form\">\n" +
        csrf_field(request, context) +
        "<fieldset><legend>Plik albo adres</legend>\n"
        "<div class=\"field\"><label for=\"pole-file\">Plik</label>\n"
        "<input id=\"pole-file\" name=\"file\" type=\"file\"></div>\n"
        "<div class=\"field\"><label for=\"pole-url\">albo adres (URL)</label>\n"
        "<input id=\"pole-url\" name=\"url\" type=\"url\" inputmode=\"url\" "
        "aria-describedby=\"pole-url-opis\"><p class=\"hint\" id=\"pole-url-opis\">Adres "
        "http:// lub https://, gdy nie wysyłasz pliku.</p></div>\n</fieldset>\n"
        "<fieldset><legend>Opis</legend>\n" +
        item_form_fields({}, false) + "</fieldset>\n" + datalists(desk) +
        "<button type=\"submit\">Dodaj</button>\n</form>\n";
    return desk_page(200, "Dodaj materiał", "/biblioteka/dodaj", main);
  });
}

Response post_desk_add(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, true, [&](Desk& desk) {
    DeskForm form = desk_form(request, "file");
    std::string url = trimmed(form.fields["url"]);
    std::map<std::string, std::string> fields;
    for (const FormField& field : item_fields()) {
      const std::string value = trimmed(form.fields[field.name]);
      if (!value.empty()) fields[field.name] = value;
    }
    if (form.file.empty() && url.empty())
      throw DeskError("send a file or give its URL (no file and no address were given)");
    return see_other("/biblioteka/zadania/" +
                     desk.add(fields, form.file, form.file_name, url, actor_of(request)));
  });
}

// --- importing a manifest ----------------------------------------------------------------------

Response get_desk_import(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk& desk) {
    std::string roots;
    for (const std::string& root : desk.config().desk.import_roots)
      roots += (roots.empty() ? "" : ", ") + ("<code>" + h(root) + "</code>");
    std::string main =
        "<h1>Import manifestu</h1>\n<p>Manifest (CSV albo JSON Lines, opisany w "
        "dokumentacji) najpierw sprawdzamy: zobaczysz, co zostanie dodane, zmienione i "
        "usunięte, oraz błędy z numerem wiersza. Dopiero potem zastosujesz go przyciskiem "
        "„Zastosuj”.</p>\n<p>Źródła w manifeście to adresy URL" +
        (roots.empty() ? std::string(" (ten serwer nie przyjmuje ścieżek plików).")
                       : " albo pliki w folderach: " + roots + ".") +
        "</p>\n<form method=\"post\" action=\"/biblioteka/import\" "
        "enctype=\"multipart/form-data\" class=\"desk-form\">\n" +
        csrf_field(request, context) +
        "<div class=\"field\"><label for=\"pole-manifest\">Plik manifestu</label>\n"
        "<input id=\"pole-manifest\" name=\"manifest\" type=\"file\" "
        "accept=\".csv,.jsonl,.ndjson,text/csv\"></div>\n"
        "<div class=\"field\"><label for=\"pole-tekst\">albo wklej manifest</label>\n"
        "<textarea id=\"pole-tekst\" name=\"manifest_text\" rows=\"8\" "
        "aria-describedby=\"pole-tekst-opis\"></textarea><p class=\"hint\" "
        "id=\"pole-tekst-opis\">Pierwszy wiersz CSV to nazwy kolumn, np. "
        "<code>source,title,campaign,year</code>.</p></div>\n"
        "<div class=\"field\"><label for=\"pole-format\">Format wklejonego tekstu</label>\n"
        "<select id=\"pole-format\" name=\"format\"><option value=\"csv\">CSV</option>"
        "<option value=\"jsonl\">JSON Lines</option></select></div>\n"
        "<button type=\"submit\">Sprawdź (podgląd)</button>\n</form>\n";
    return desk_page(200, "Import manifestu", "/biblioteka/import", main);
  });
}

Response post_desk_import(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, true, [&](Desk& desk) {
    DeskForm form = desk_form(request, "manifest");
    fs::path file = form.file;
    std::string name = form.file_name;
    if (file.empty()) {
      const std::string& text = form.fields["manifest_text"];
      if (trimmed(text).empty())
        throw DeskError("send a manifest file or paste the manifest (both were empty)");
      name = form.fields["format"] == "jsonl" ? "manifest.jsonl" : "manifest.csv";
      file = desk.incoming_dir() / ("pasted-" + random_hex_id());
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << text;
      if (!out) throw std::runtime_error("cannot write " + file.string());
    }
    return see_other("/biblioteka/zadania/" + desk.import(file, name, true, actor_of(request)));
  });
}

Response post_desk_job_apply(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, true, [&](Desk& desk) {
    return see_other("/biblioteka/zadania/" +
                     desk.apply_preview(request.path_parameters.at("id"), actor_of(request)));
  });
}

// --- a job -------------------------------------------------------------------------------------

namespace {

std::string where_text(const nlohmann::ordered_json& entry) {
  std::string text;
  if (entry.contains("line") && entry["line"].is_number())
    text += "wiersz " + std::to_string(entry["line"].get<int>());
  if (entry.contains("column") && entry["column"].is_number())
    text += (text.empty() ? "" : ", ") + std::string("kolumna ") +
            std::to_string(entry["column"].get<int>());
  return text;
}

std::string entry_title(const nlohmann::ordered_json& entry) {
  std::string html;
  const std::string id = entry.contains("id") ? json_text(entry["id"]) : "";
  const std::string source = entry.contains("source") ? json_text(entry["source"]) : "";
  const std::string where = where_text(entry);
  if (!where.empty()) html += h(where) + ": ";
  if (!id.empty())
    html += "<a href=\"/biblioteka/pozycje/" + h(url_component(id)) + "\">" + h(id) + "</a> ";
  if (!source.empty()) html += "<span class=\"source\">" + h(source) + "</span>";
  return html;
}

std::string report_html(const nlohmann::ordered_json& report) {
  if (!report.is_object() || report.empty()) return {};
  std::string html =
      "<section aria-labelledby=\"raport\"><h2 id=\"raport\">" +
      std::string(report.value("dry_run", false) ? "Plan (nic jeszcze nie zmieniono)" : "Raport") +
      "</h2>\n";
  if (report.contains("totals")) {
    const auto& t = report["totals"];
    html += "<ul class=\"totals\">";
    for (const auto& [key, label] :
         std::vector<std::pair<const char*, const char*>>{{"imported", "nowe"},
                                                          {"updated", "zmienione"},
                                                          {"unchanged", "bez zmian"},
                                                          {"removed", "usunięte"},
                                                          {"access_changes", "zmiany dostępu"},
                                                          {"failed", "błędy"}})
      if (t.contains(key))
        html += "<li>" + std::string(label) + ": <strong>" + t[key].dump() + "</strong></li>";
    html += "</ul>\n";
  }
  const auto list = [&](const char* key, const char* title, const char* css) {
    if (!report.contains(key) || report[key].empty()) return;
    html += "<h3 class=\"" + std::string(css) + "\">" + title + "</h3>\n<ul class=\"desk-list " +
            css + "\">\n";
    for (const auto& entry : report[key]) {
      html += "<li>" + entry_title(entry);
      if (entry.contains("message"))
        html += ": <span lang=\"en\">" + h(json_text(entry["message"])) + "</span>";
      if (entry.contains("warning"))
        html += ": <span lang=\"en\">" + h(json_text(entry["warning"])) + "</span>";
      if (entry.contains("old") || entry.contains("new"))
        html += ": <strong>Zmiana dostępu</strong> „" +
                h(json_text(entry.value("old", nlohmann::ordered_json()))) + "” → „" +
                h(json_text(entry.value("new", nlohmann::ordered_json()))) + "”";
      if (entry.contains("changes")) {
        html +=
            "<table class=\"desk-table changes\"><thead><tr><th scope=\"col\">Pole</th><th "
            "scope=\"col\">Było</th><th scope=\"col\">Będzie</th></tr></thead><tbody>";
        for (const auto& change : entry["changes"]) {
          const std::string field = json_text(change.value("field", nlohmann::ordered_json()));
          html += std::string("<tr") + (field == "access" ? " class=\"access-change\"" : "") +
                  "><th scope=\"row\">" + h(field_label(field)) + "</th><td>" +
                  h(json_text(change.value("old", nlohmann::ordered_json()))) + "</td><td>" +
                  (change.value("from_file", false)
                       ? std::string("(z pliku)")
                       : h(json_text(change.value("new", nlohmann::ordered_json())))) +
                  "</td></tr>";
        }
        html += "</tbody></table>";
      }
      html += "</li>\n";
    }
    html += "</ul>\n";
  };
  list("errors", "Błędy", "errors");
  list("access_changes", "Zmiany dostępu", "access-changes");
  list("new", "Nowe", "new");
  list("changed", "Zmienione", "changed");
  list("removed", "Usunięte", "removed");
  list("warnings", "Ostrzeżenia", "warnings");
  return html + "</section>\n";
}

}  // namespace

Response get_desk_job(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk& desk) {
    const std::string& id = request.path_parameters.at("id");
    const std::optional<JobRecord> job = desk.jobs().get(id);
    if (!job) throw not_found("no job '" + id.substr(0, 40) + "'");
    const bool running = job->state == JobState::queued || job->state == JobState::running;
    std::string main = "<h1>Zadanie: " + h(kind_label(job->kind)) + "</h1>\n";
    main += "<section class=\"job\" data-job=\"" + h(job->id) + "\" data-state=\"" +
            std::string(to_string(job->state)) +
            "\" aria-labelledby=\"stan-zadania\"><h2 id=\"stan-zadania\">Stan</h2>\n"
            "<div aria-live=\"polite\" class=\"job-status\">\n<p><span class=\"job-state\">" +
            state_badge(*job) + "</span> <span class=\"job-progress\">" +
            std::to_string(job->done) + " z " + std::to_string(job->total) +
            "</span></p>\n<p class=\"job-waiting\"" + (job->waiting ? "" : " hidden") +
            ">Czeka na mediateka-index: inny program zapisuje teraz indeks.</p>\n";
    if (running)
      main += "<p class=\"hint job-refresh\">Strona odświeża się sama, dopóki zadanie trwa.</p>\n";
    main += "</div>\n<dl class=\"item-meta\"><dt>Numer</dt><dd>" + h(job->id) +
            "</dd><dt>Zlecił</dt><dd>" + h(job->by_label) + "</dd><dt>Zlecono</dt><dd>" +
            when(job->created) + "</dd><dt>Zakończono</dt><dd>" + when(job->finished) + "</dd>";
    if (!job->item.empty())
      main += "<dt>Pozycja</dt><dd><a href=\"/biblioteka/pozycje/" + h(url_component(job->item)) +
              "\">popraw</a> · <a href=\"/i/" + h(url_component(job->item)) +
              "\">strona materiału</a></dd>";
    main += "</dl>\n";
    if (job->state == JobState::failed)
      main +=
          "<div class=\"error-box\" role=\"alert\"><p>Zadanie się nie powiodło.</p><p "
          "lang=\"en\">" +
          h(job->error) + "</p></div>\n";
    main += "</section>\n";
    main += report_html(job->report);
    if (job->kind == "preview" && job->state == JobState::done) {
      const bool clean = !job->report.contains("errors") || job->report["errors"].empty();
      if (clean && desk.preview_kept(job->id)) {
        main += "<form method=\"post\" action=\"/biblioteka/zadania/" + h(job->id) +
                "/zastosuj\">\n" + csrf_field(request, context) +
                "<p>Plan jest bez błędów. Zastosować go do archiwum?</p>\n"
                "<button type=\"submit\">Zastosuj</button>\n</form>\n";
      } else if (!clean) {
        main +=
            "<p class=\"notice\">Popraw błędy w manifeście i <a "
            "href=\"/biblioteka/import\">sprawdź go ponownie</a>.</p>\n";
      } else {
        main +=
            "<p>Ten podgląd został już zastosowany albo jego manifest nie jest już "
            "przechowywany.</p>\n";
      }
    }
    const std::string refresh =
        running ? "<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>\n" : "";
    return desk_page(200, "Zadanie " + job->id, "", main, refresh);
  });
}

// --- an item -------------------------------------------------------------------------------------

Response get_desk_item(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk& desk) {
    const std::string& name = request.path_parameters.at("id");
    const std::optional<Item> item = current_item(desk, name);
    if (!item) {
      if (!is_withdrawn(desk, name)) throw not_found("no item '" + name.substr(0, 120) + "'");
      std::string main =
          "<h1>Pozycja wycofana</h1>\n<p>Pozycja <code>" + h(name) +
          "</code> została wycofana z archiwum. Możesz ją przywrócić taką, jaka była.</p>\n"
          "<form method=\"post\" action=\"/biblioteka/pozycje/" +
          h(url_component(name)) + "/przywroc\">\n" + csrf_field(request, context) +
          "<button type=\"submit\">Przywróć</button>\n</form>\n";
      return desk_page(200, "Pozycja wycofana", "", main);
    }
    const std::string path = "/biblioteka/pozycje/" + url_component(item->id);
    std::string main = "<h1>Popraw: " + h(item->title) + "</h1>\n";
    if (request.query.single("bez-zmian"))
      main +=
          "<p class=\"notice\" role=\"status\">Nic nie zmieniono: formularz miał te same "
          "wartości.</p>\n";
    main += "<p><a href=\"/i/" + h(url_component(item->slug)) +
            "\">Zobacz stronę materiału</a> · identyfikator <code>" + h(item->id) + "</code>" +
            (item->access.empty() ? "" : " · " + restricted_badge()) + "</p>\n";
    std::vector<std::string> unknown_places;  // kept as written, not published (item.h)
    for (const Place& place : item->places)
      if (place.unknown) unknown_places.push_back(place.name);
    if (!unknown_places.empty())
      main +=
          "<p class=\"notice\" id=\"miejsca-spoza-rejestru\">Miejsca spoza rejestru gmin, "
          "powiatów i województw: <strong>" +
          h(joined(unknown_places, "; ")) +
          "</strong>. Odwiedzający ich nie widzą. Popraw pisownię w polu „Miejsca” (np. "
          "„powiat wyszkowski”); nazwa, którą rejestr zna, po zapisaniu stanie się miejscem "
          "materiału.</p>\n";
    main += "<form method=\"post\" action=\"" + h(path) + "\" class=\"desk-form\">\n" +
            csrf_field(request, context) + item_form_fields(item_values(*item), true) +
            datalists(desk) + "<button type=\"submit\">Zapisz zmiany</button>\n</form>\n";
    main +=
        "<section aria-labelledby=\"plik\"><h2 id=\"plik\">Wymień plik</h2>\n<p>Pozycja "
        "zachowa identyfikator, adres i opis; zmieni się tylko plik.</p>\n"
        "<form method=\"post\" action=\"" +
        h(path) + "/plik\" enctype=\"multipart/form-data\" class=\"desk-form\">\n" +
        csrf_field(request, context) +
        "<div class=\"field\"><label for=\"nowy-plik\">Nowy plik</label>\n<input "
        "id=\"nowy-plik\" name=\"file\" type=\"file\" required></div>\n<button "
        "type=\"submit\">Wymień plik</button>\n</form>\n</section>\n";
    main +=
        "<section aria-labelledby=\"wycofaj\"><h2 id=\"wycofaj\">Wycofaj z archiwum</h2>\n"
        "<p>Wycofana pozycja znika z wyszukiwania; można ją później przywrócić.</p>\n<p><a "
        "class=\"button\" href=\"" +
        h(path) + "/wycofaj\">Wycofaj…</a></p>\n</section>\n";
    return desk_page(200, "Popraw pozycję", "", main);
  });
}

Response post_desk_item(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, true, [&](Desk& desk) {
    const Item item = item_or_throw(desk, request.path_parameters.at("id"));
    DeskForm form = desk_form(request, "file");
    const std::map<std::string, std::string> current = item_values(item);
    nlohmann::json changes = nlohmann::json::object();
    for (const FormField& field : item_fields()) {
      const auto given = form.fields.find(field.name);
      if (given == form.fields.end()) continue;  // a field not sent is not changed
      std::string value = field.kind == FormField::list       ? normal_list(given->second)
                          : field.kind == FormField::textarea ? given->second
                                                              : trimmed(given->second);
      if (field.kind == FormField::textarea) {
        value.erase(std::remove(value.begin(), value.end(), '\r'), value.end());
        value = trimmed(value);
      }
      std::string before = current.at(field.name);
      if (field.kind == FormField::list) before = normal_list(before);
      if (value == before) continue;
      if (value.empty() && std::string(field.name) == "access")
        changes[field.name] = "public";  // an empty access leaves it as it is (docs/api.md)
      else if (value.empty())
        changes[field.name] = nullptr;
      else
        changes[field.name] = value;
    }
    if (changes.empty())
      return see_other("/biblioteka/pozycje/" + url_component(item.id) + "?bez-zmian=1");
    return see_other("/biblioteka/zadania/" + desk.edit(item, changes, actor_of(request)));
  });
}

Response post_desk_item_file(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, true, [&](Desk& desk) {
    const Item item = item_or_throw(desk, request.path_parameters.at("id"));
    const DeskForm form = desk_form(request, "file");
    if (form.file.empty()) throw DeskError("choose the new file (none was sent)");
    return see_other("/biblioteka/zadania/" +
                     desk.replace(item, form.file, form.file_name, actor_of(request)));
  });
}

Response get_desk_item_withdraw(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk& desk) {
    const Item item = item_or_throw(desk, request.path_parameters.at("id"));
    const std::string path = "/biblioteka/pozycje/" + url_component(item.id);
    std::string main = "<h1>Wycofać „" + h(item.title) +
                       "”?</h1>\n<p>Pozycja zniknie z "
                       "wyszukiwania i z archiwum; jej adres będzie odpowiadał, że materiał "
                       "usunięto. Można ją później przywrócić.</p>\n<form method=\"post\" "
                       "action=\"" +
                       h(path) + "/wycofaj\">\n" + csrf_field(request, context) +
                       "<button type=\"submit\">Tak, wycofaj</button>\n<a href=\"" + h(path) +
                       "\">Nie, wróć do pozycji</a>\n</form>\n";
    return desk_page(200, "Wycofać pozycję?", "", main);
  });
}

Response post_desk_item_withdraw(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, true, [&](Desk& desk) {
    const Item item = item_or_throw(desk, request.path_parameters.at("id"));
    return see_other("/biblioteka/zadania/" + desk.withdraw(item, actor_of(request)));
  });
}

Response post_desk_item_restore(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, true, [&](Desk& desk) {
    const std::string& id = request.path_parameters.at("id");
    if (current_item(desk, id))
      throw ApiError(409, "not_withdrawn", "item '" + id + "' is not withdrawn");
    if (!is_withdrawn(desk, id)) throw not_found("no withdrawn item '" + id.substr(0, 120) + "'");
    return see_other("/biblioteka/zadania/" + desk.restore(id, actor_of(request)));
  });
}

// --- readers' tokens -----------------------------------------------------------------------------

Response get_desk_tokens(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk& desk) {
    std::string main =
        "<h1>Tokeny czytelników</h1>\n<p>Token pozwala instytucji partnerskiej "
        "zobaczyć materiały swoich grup. Przekaż go bezpiecznie; można go w "
        "każdej chwili unieważnić.</p>\n";
    if (auto revoked = request.query.single("uniewazniono"))
      main += "<p class=\"notice\" role=\"status\">Unieważniono token <code>" + h(*revoked) +
              "</code>.</p>\n";
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    std::string rows;
    for (const AccessToken& token : list_tokens(desk.config().db)) {
      if (token.role != TokenRole::reader) continue;
      rows += "<tr><td>" + h(token.label) + "</td><td>" + h(joined(token.groups, ", ")) +
              "</td><td>" + (token.expires.empty() ? "bezterminowo" : h(token.expires)) +
              (token.expired(now) ? " (wygasł)" : "") + "</td><td>" + when(token.created) +
              "</td><td>" + (token.last_used > 0 ? when(token.last_used) : "nigdy") +
              "</td><td><a href=\"/biblioteka/tokeny/" + h(token.id) +
              "/uniewaznij\">Unieważnij<span class=\"visually-hidden\"> token " + h(token.label) +
              "</span></a></td></tr>\n";
    }
    main += "<section aria-labelledby=\"lista\"><h2 id=\"lista\">Ważne tokeny</h2>\n";
    if (rows.empty())
      main += "<p>Nie ma tokenów czytelników.</p>\n";
    else
      main +=
          "<div class=\"table-scroll\"><table class=\"desk-table\"><thead><tr><th "
          "scope=\"col\">Nazwa</th><th scope=\"col\">Grupy</th><th scope=\"col\">Ważny "
          "do</th><th scope=\"col\">Utworzony</th><th scope=\"col\">Ostatnio użyty</th><th "
          "scope=\"col\">Działanie</th></tr></thead><tbody>\n" +
          rows + "</tbody></table></div>\n";
    main +=
        "</section>\n<section aria-labelledby=\"nowy\"><h2 id=\"nowy\">Nowy token</h2>\n"
        "<form method=\"post\" action=\"/biblioteka/tokeny\" class=\"desk-form\">\n" +
        csrf_field(request, context) +
        "<div class=\"field\"><label for=\"pole-label\">Nazwa (kto go dostaje)</label>\n"
        "<input id=\"pole-label\" name=\"label\" type=\"text\" required></div>\n"
        "<div class=\"field\"><label for=\"pole-groups\">Grupy</label>\n<input "
        "id=\"pole-groups\" name=\"groups\" type=\"text\" required "
        "aria-describedby=\"pole-groups-opis\"><p class=\"hint\" "
        "id=\"pole-groups-opis\">Oddziel średnikiem, np. gmina-wyszkow; "
        "powiat-wyszkowski.</p></div>\n"
        "<div class=\"field\"><label for=\"pole-expires\">Ważny do (opcjonalnie)</label>\n"
        "<input id=\"pole-expires\" name=\"expires\" type=\"date\"></div>\n"
        "<button type=\"submit\">Utwórz token</button>\n</form>\n</section>\n";
    return desk_page(200, "Tokeny czytelników", "/biblioteka/tokeny", main);
  });
}

Response post_desk_tokens(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, true, [&](Desk&) {
    DeskForm form = desk_form(request, "file");
    std::vector<std::string> groups;
    std::string list = form.fields["groups"];
    std::replace(list.begin(), list.end(), ',', ';');
    const std::string normal = normal_list(list);
    std::size_t start = 0;
    while (start < normal.size()) {
      std::size_t end = normal.find(';', start);
      if (end == std::string::npos) end = normal.size();
      groups.push_back(normal.substr(start, end - start));
      start = end + 1;
    }
    NewToken made = create_reader_token(request, context, groups, trimmed(form.fields["label"]),
                                        trimmed(form.fields["expires"]));
    return see_other("/biblioteka/tokeny/nowy/" + keep_secret(std::move(made), request.token_id));
  });
}

Response get_desk_new_token(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk&) {
    const std::optional<NewToken> made =
        take_secret(request.path_parameters.at("key"), request.token_id);
    if (!made)
      throw ApiError(404, "not_found", "this new token was shown already (a token is shown once)");
    std::string main =
        "<h1>Nowy token: " + h(made->record.label) +
        "</h1>\n<div class=\"notice\" role=\"alert\"><p><strong>Skopiuj token teraz.</strong> "
        "Pokazujemy go tylko raz; nie da się go odczytać ponownie. Zgubiony token unieważnij i "
        "utwórz nowy.</p></div>\n<p><label for=\"token\">Token</label></p>\n<p><input "
        "id=\"token\" type=\"text\" readonly class=\"secret\" value=\"" +
        h(made->token) + "\"></p>\n<dl class=\"item-meta\"><dt>Grupy</dt><dd>" +
        h(joined(made->record.groups, ", ")) + "</dd><dt>Ważny do</dt><dd>" +
        (made->record.expires.empty() ? "bezterminowo" : h(made->record.expires)) +
        "</dd></dl>\n<p><a href=\"/biblioteka/tokeny\">Wróć do listy tokenów</a></p>\n";
    return desk_page(200, "Nowy token", "", main);
  });
}

Response get_desk_token_revoke(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk& desk) {
    const std::string& id = request.path_parameters.at("id");
    for (const AccessToken& token : list_tokens(desk.config().db)) {
      if (token.id != id || token.role != TokenRole::reader) continue;
      std::string main = "<h1>Unieważnić token „" + h(token.label) +
                         "”?</h1>\n<p>Instytucja straci dostęp do materiałów grup: " +
                         h(joined(token.groups, ", ")) +
                         ". Tego nie można cofnąć.</p>\n<form method=\"post\" "
                         "action=\"/biblioteka/tokeny/" +
                         h(id) + "/uniewaznij\">\n" + csrf_field(request, context) +
                         "<button type=\"submit\">Tak, unieważnij</button>\n<a "
                         "href=\"/biblioteka/tokeny\">Nie, wróć</a>\n</form>\n";
      return desk_page(200, "Unieważnić token?", "", main);
    }
    throw not_found("no reader's token with id '" + id.substr(0, 40) + "'");
  });
}

Response post_desk_token_revoke(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, true, [&](Desk&) {
    const std::string& id = request.path_parameters.at("id");
    revoke_reader_token(request, context, id);
    return see_other("/biblioteka/tokeny?uniewazniono=" + url_component(id));
  });
}

// --- what visitors searched -------------------------------------------------------------------

Response get_desk_queries(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk&) {
    const int days = request.query.single("dni").value_or("7") == "30" ? 30 : 7;
    std::string main =
        "<h1>Czego szukali odwiedzający</h1>\n<p>Zapytania odwiedzających bez tokenu z ostatnich " +
        std::to_string(days) +
        " dni. Zapytania bez wyników podpowiadają, czego brakuje w archiwum "
        "albo jakich słów warto dodać do synonimów.</p>\n<p>Okres: " +
        std::string(days == 7
                        ? "<strong>7 dni</strong> · <a href=\"/biblioteka/zapytania?dni=30\">30 "
                          "dni</a>"
                        : "<a href=\"/biblioteka/zapytania?dni=7\">7 dni</a> · <strong>30 "
                          "dni</strong>") +
        "</p>\n";
    if (!context.queries) {
      main += "<p>Ten serwer nie zapisuje zapytań.</p>\n";
    } else {
      main += "<section aria-labelledby=\"zero\"><h2 id=\"zero\">Bez wyników</h2>\n" +
              queries_list(context.queries->top(days, true, 50), true) +
              "</section>\n<section aria-labelledby=\"najczestsze\"><h2 "
              "id=\"najczestsze\">Najczęstsze</h2>\n" +
              queries_list(context.queries->top(days, false, 50), false) + "</section>\n";
    }
    return desk_page(200, "Zapytania", "/biblioteka/zapytania", main);
  });
}

// --- the audit trail ----------------------------------------------------------------------------

Response get_desk_history(const ApiRequest& request, ServerContext& context) {
  return for_librarian(request, context, false, [&](Desk& desk) {
    std::size_t limit = 100;
    if (request.query.single("wiecej")) limit = 1000;
    const auto entries = indexer::read_audit(desk.config().db, limit);
    std::string main =
        "<h1>Historia zmian</h1>\n<p>Kto, kiedy i co zmienił w archiwum – przez "
        "bibliotekę albo z wiersza poleceń. Najnowsze najpierw.</p>\n";
    if (entries.empty()) {
      main += "<p>Nie ma jeszcze wpisów.</p>\n";
    } else {
      main += "<div class=\"table-scroll\"><table class=\"desk-table\"><caption>Ostatnie " +
              std::to_string(entries.size()) +
              " wpisów</caption><thead><tr><th scope=\"col\">Kiedy</th><th "
              "scope=\"col\">Kto</th><th scope=\"col\">Co</th><th scope=\"col\">Czego "
              "dotyczy</th><th scope=\"col\">Zmiany</th></tr></thead><tbody>\n";
      for (const auto& entry : entries) {
        const std::string action = json_text(entry.value("action", nlohmann::ordered_json()));
        const std::string item = json_text(entry.value("item", nlohmann::ordered_json()));
        const bool token = action.rfind("token_", 0) == 0;
        main += "<tr><td>" + h(when(json_text(entry.value("time", nlohmann::ordered_json())))) +
                "</td><td>" + h(json_text(entry.value("by", nlohmann::ordered_json()))) +
                "</td><td>" + h(kind_label(action)) + "</td><td>" +
                (item.empty() ? std::string("–")
                 : token      ? "token <code>" + h(item) + "</code>"
                              : "<a href=\"/biblioteka/pozycje/" + h(url_component(item)) + "\">" +
                               h(item) + "</a>") +
                "</td><td>";
        if (entry.contains("fields") && !entry["fields"].empty()) {
          main += "<ul class=\"changes-list\">";
          for (const auto& change : entry["fields"])
            main += "<li><strong>" +
                    h(field_label(json_text(change.value("field", nlohmann::ordered_json())))) +
                    "</strong>: „" + h(json_text(change.value("old", nlohmann::ordered_json()))) +
                    "” → „" + h(json_text(change.value("new", nlohmann::ordered_json()))) +
                    "”</li>";
          main += "</ul>";
        }
        main += "</td></tr>\n";
      }
      main += "</tbody></table></div>\n";
      if (entries.size() == limit && limit < 1000)
        main +=
            "<p><a href=\"/biblioteka/historia?wiecej=1\">Pokaż więcej (do 1000 "
            "wpisów)</a></p>\n";
    }
    return desk_page(200, "Historia zmian", "/biblioteka/historia", main);
  });
}

}  // namespace mediateka::server
