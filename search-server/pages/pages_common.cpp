// What every page shares: the layout (head, skip link, header, footer), escaping,
// Polish wording helpers, error pages and the embedded static files.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "api/api_error.h"
#include "archive/text/analyzer.h"
#include "archive/text/clock_text.h"
#include "archive/text/slug.h"
#include "archive/text/utf8.h"
#include "http/http_validators.h"
#include "http/query_string.h"
#include "pages/html_text.h"
#include "pages/pages.h"
#include "pages/web_assets.h"

namespace mediateka::server {

namespace {

std::string fnv_hex(std::string_view bytes) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(fnv1a_64(bytes)));
  return std::string(text, 12);
}

const std::string& style_version() {
  static const std::string version = fnv_hex(web::kStyleCss);
  return version;
}

const std::string& script_version() {
  static const std::string version = fnv_hex(web::kAppJs);
  return version;
}

// Versioned URLs (?v=<hash>) are cached for a year; others briefly. ETag and 304 either way.
Response static_file(const ApiRequest& request, std::string_view body, const std::string& version,
                     const char* content_type) {
  const std::string etag = "\"" + version + "\"";
  const bool versioned = request.query.all("v") == std::vector<std::string>{version};
  std::vector<std::pair<std::string, std::string>> headers = {
      {"ETag", etag},
      {"Cache-Control", versioned ? "public, max-age=31536000, immutable" : "public, max-age=300"},
      {"X-Content-Type-Options", "nosniff"}};
  const auto condition = request_header(request, "if-none-match");
  if (condition && etag_list_matches(*condition, etag)) {
    return Response{304, content_type, "", std::move(headers)};
  }
  return Response{200, content_type, std::string(body), std::move(headers)};
}

std::string nav_link(const char* href, const char* label, const std::string& current) {
  return std::string("<li><a href=\"") + href + "\"" +
         (current == href ? " aria-current=\"page\"" : "") + ">" + label + "</a></li>";
}

thread_local const SiteSettings* current_site = nullptr;
thread_local PageViewer current_viewer;

// The header's account part: "Zaloguj" for a visitor, who is logged in and "Wyloguj" else.
std::string account_html(const PageViewer& viewer, const std::string& current) {
  if (!viewer.logged_in) {
    return "<ul class=\"nav account\">" + nav_link("/logowanie", "Zaloguj", current) + "</ul>\n";
  }
  std::string html = "<div class=\"account\"><p class=\"account-state\">Zalogowano";
  if (!viewer.label.empty()) html += ": <strong>" + h(viewer.label) + "</strong>";
  if (viewer.librarian) {
    html +=
        " <span class=\"account-groups\">(biblioteka: wszystkie materiały)</span> <a "
        "class=\"desk-link\" href=\"/biblioteka\"" +
        std::string(current == "/biblioteka" ? " aria-current=\"page\"" : "") + ">Biblioteka</a>";
  } else if (!viewer.groups.empty()) {
    std::string groups;
    for (const std::string& group : viewer.groups) groups += (groups.empty() ? "" : ", ") + group;
    html += " <span class=\"account-groups\">(" +
            std::string(viewer.groups.size() == 1 ? "grupa" : "grupy") + ": " + h(groups) +
            ")</span>";
  }
  html +=
      "</p><form method=\"post\" action=\"/wyloguj\"><button type=\"submit\" "
      "class=\"secondary\">Wyloguj</button></form></div>\n";
  return html;
}

// A logo's content type by its file name, or nullptr for a kind not served.
const char* image_type(const std::string& path) {
  const auto ends = [&path](const char* suffix) {
    const std::string tail(suffix);
    if (path.size() < tail.size()) return false;
    std::string end = path.substr(path.size() - tail.size());
    for (char& c : end) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return end == tail;
  };
  if (ends(".png")) return "image/png";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".jpg") || ends(".jpeg")) return "image/jpeg";
  if (ends(".webp")) return "image/webp";
  return nullptr;
}

}  // namespace

PageScope::PageScope(const SiteSettings* site, PageViewer viewer)
    : previous_site_(current_site), previous_viewer_(std::move(current_viewer)) {
  current_site = site;
  current_viewer = std::move(viewer);
}

PageScope::~PageScope() {
  current_site = previous_site_;
  current_viewer = std::move(previous_viewer_);
}

void PageScope::set_viewer(PageViewer viewer) { current_viewer = std::move(viewer); }

const SiteSettings& page_site() {
  static const SiteSettings none;
  return current_site ? *current_site : none;
}

const PageViewer& page_viewer() { return current_viewer; }

std::string restricted_badge() { return "<span class=\"restricted\">dostęp ograniczony</span>"; }

std::string h(std::string_view text) { return html_escape(text); }

std::string url_component(std::string_view text) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xF];
    }
  }
  return out;
}

const char* polish_plural(long long n, const char* one, const char* few, const char* many) {
  if (n == 1) return one;
  const long long tens = n % 100, units = n % 10;
  if (units >= 2 && units <= 4 && !(tens >= 12 && tens <= 14)) return few;
  return many;
}

// Labels for visitors, not names: the names are kItemTypeNames (item.h).
constexpr NameTable<ItemType, 5> kItemTypeLabels{{{ItemType::publication, "publikacja"},
                                                  {ItemType::bulletin, "biuletyn"},
                                                  {ItemType::film, "film"},
                                                  {ItemType::radio, "audycja radiowa"},
                                                  {ItemType::tv, "audycja telewizyjna"}}};

const char* type_label(ItemType type) {
  return name_of(kItemTypeLabels, type, ItemType::publication);
}

const char* type_label(std::string_view type_name) {
  const auto type = parse_item_type(type_name);
  return type ? type_label(*type) : nullptr;
}

std::string clock_time(double seconds) {
  return clock_text(static_cast<long long>(std::floor(std::max(0.0, seconds))), true);
}

std::string type_icon(ItemType type) {
  const char* path = "";
  switch (type) {
    case ItemType::radio:
      path =
          "M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 7.97v8.05A4.47 4.47 0 0 0 16.5 12zM14 "
          "3.23v2.06a7 7 0 0 1 0 13.42v2.06A9 9 0 0 0 14 3.23z";
      break;
    case ItemType::tv:
      path =
          "M21 3H3a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h5v2h8v-2h5a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2zm0 "
          "14H3V5h18v12z";
      break;
    case ItemType::film:
      path =
          "M18 4l2 4h-3l-2-4h-2l2 4h-3l-2-4H8l2 4H7L5 4H4a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h16a2 2 0 "
          "0 0 2-2V4h-4z";
      break;
    case ItemType::publication:
    case ItemType::bulletin:
      path =
          "M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8l-6-6zm2 "
          "16H8v-2h8v2zm0-4H8v-2h8"
          "v2zm-3-5V3.5L18.5 9H13z";
      break;
  }
  return std::string(
             "<svg class=\"type-icon\" viewBox=\"0 0 24 24\" width=\"48\" height=\"48\" "
             "aria-hidden=\"true\" focusable=\"false\"><path fill=\"currentColor\" d=\"") +
         path + "\"/></svg>";
}

std::string page_layout(const PageHead& head, const std::string& main_html) {
  const SiteSettings& site = page_site();
  std::string html;
  html.reserve(main_html.size() + 3000);
  html += "<!DOCTYPE html>\n<html lang=\"pl\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + h(head.title) + " – Mediateka" +
          (site.name.empty() ? "" : " – " + h(site.name)) + "</title>\n";
  html += "<link rel=\"icon\" href=\"/favicon.ico\" type=\"image/svg+xml\">\n";
  html += asset_tags();
  html += head.extra;
  html += "</head>\n<body>\n";
  html += "<a class=\"skip-link\" href=\"#tresc\">Przejdź do treści</a>\n";
  html += "<header class=\"site-header\">\n<div class=\"wrap header-row\">\n";
  html += "<a class=\"brand\" href=\"/\">";
  if (!site.logo.empty()) {
    html += "<img class=\"brand-logo\" src=\"/static/logo\" alt=\"\" height=\"40\">";
  }
  html += "<span class=\"brand-name\">Mediateka<span class=\"brand-sub\">" +
          (site.name.empty() ? std::string("archiwum multimedialne") : h(site.name)) +
          "</span></span></a>\n";
  html += "<nav aria-label=\"Menu główne\"><ul class=\"nav\">";
  html += nav_link("/", "Wyszukiwanie", head.current_path);
  html += nav_link("/miejsca", "Miejsca", head.current_path);
  html += nav_link("/dostepnosc", "Dostępność", head.current_path);
  html += "</ul></nav>\n";
  html += account_html(page_viewer(), head.current_path);
  html += "</div>\n</header>\n";
  html += "<main id=\"tresc\" class=\"wrap\" tabindex=\"-1\">\n";
  html += main_html;
  html += "\n</main>\n<footer class=\"site-footer\">\n<div class=\"wrap\">\n";
  html +=
      "<p>Mediateka – archiwum publikacji, biuletynów, filmów i audycji z kampanii społecznych"
      "</p>\n";
  if (!site.name.empty() || !site.address.empty() || !site.email.empty() || !site.phone.empty()) {
    html += "<address class=\"site-contact\">";
    if (!site.name.empty()) html += "<strong>" + h(site.name) + "</strong><br>";
    if (!site.address.empty()) html += h(site.address) + "<br>";
    if (!site.email.empty())
      html += "<a href=\"mailto:" + h(site.email) + "\">" + h(site.email) + "</a> ";
    if (!site.phone.empty()) {
      std::string dial;
      for (char c : site.phone)
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '+') dial += c;
      html += "<a href=\"tel:" + h(dial) + "\">tel. " + h(site.phone) + "</a>";
    }
    html += "</address>\n";
  }
  html += "<ul class=\"footer-links\"><li><a href=\"/dostepnosc\">Deklaracja dostępności</a></li>";
  html += "<li><a href=\"/\">Wyszukiwanie</a></li></ul>\n";
  html += "</div>\n</footer>\n</body>\n</html>\n";
  return html;
}

std::string asset_tags() {
  return "<link rel=\"stylesheet\" href=\"/static/style.css?v=" + style_version() + "\">\n" +
         "<script src=\"/static/app.js?v=" + script_version() + "\" defer></script>\n";
}

Response html_response(int status, std::string html, Framing framing) {
  Response response{
      status,
      kHtmlContentType,
      // Invalid UTF-8 (titles of old PDFs) becomes U+FFFD, so every page is valid UTF-8.
      repaired_utf8(std::move(html)),
      {{"Cache-Control", "no-cache"},
       {"X-Content-Type-Options", "nosniff"},
       {"Referrer-Policy", "strict-origin-when-cross-origin"},
       // Scripts and styles only from this server; media may be redirected to a source URL.
       {"Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self' https: http:; object-src 'self' https: http:; frame-src 'self' https: "
        "http:; base-uri 'self'; form-action 'self'; frame-ancestors " +
            std::string(framing == Framing::any_site ? "*" : "'self'")}}};
  // The same for browsers that predate frame-ancestors.
  if (framing == Framing::same_site) response.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
  return response;
}

std::string site_origin(const ApiRequest& request) {
  const auto host = request.headers.find("host");
  if (host == request.headers.end() || host->second.empty() || host->second.size() > 255) {
    return {};
  }
  for (unsigned char c : host->second) {
    if (!std::isalnum(c) && c != '.' && c != '-' && c != ':' && c != '[' && c != ']') return {};
  }
  const auto proto = request.headers.find("x-forwarded-proto");
  const bool https = proto != request.headers.end() && proto->second == "https";
  return (https ? "https://" : "http://") + host->second;
}

bool is_page_target(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  return path == "/" || path == "/dostepnosc" || path == "/miejsca" || path == "/logowanie" ||
         starts_with(path, "/i/") || path == "/biblioteka" || starts_with(path, "/biblioteka/");
}

bool is_page_target(std::string_view target, const RequestHeaders& headers) {
  if (is_page_target(target)) return true;
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/api" || starts_with(path, "/api/")) return false;
  const auto accept = headers.find("accept");
  return accept != headers.end() && accept->second.find("text/html") != std::string::npos;
}

std::string polish_error_message(const std::string& code, const std::string& message) {
  if (code == "query_too_long") {
    return "Zapytanie jest za długie. Skróć je do kilku najważniejszych słów.";
  }
  if (code == "bad_query") {
    return "Nie udało się zrozumieć zapytania. Sprawdź, czy cudzysłowy i nawiasy są zamknięte, "
           "a słowa OR, AND i NOT stoją między innymi słowami.";
  }
  if (code == "not_found") return "Nie ma tu takiej strony ani materiału.";
  if (code != "bad_parameter") return "Nie udało się wykonać tego wyszukiwania.";
  if (message.find("percent-encoded") != std::string::npos) {
    return "Adres strony zawiera nieprawidłowe znaki. Wpisz wyszukiwane słowa ponownie.";
  }
  if (message.find("only once") != std::string::npos) {
    return "Ten sam parametr podano w adresie kilka razy z różnymi wartościami.";
  }
  if (starts_with(message, "year_from (")) {
    return "Rok „od” nie może być późniejszy niż rok „do”.";
  }
  if (starts_with(message, "year")) return "Rok należy podać jako cztery cyfry, np. 2013.";
  if (starts_with(message, "type")) return "Nieznany rodzaj materiału.";
  if (starts_with(message, "sort")) {
    return "Nieznany porządek sortowania. Wybierz trafność, najnowsze albo najstarsze.";
  }
  if (starts_with(message, "per_page")) {
    return "Liczba wyników na stronie musi wynosić od 1 do 100.";
  }
  if (starts_with(message, "page")) return "Numer strony wyników musi być liczbą dodatnią.";
  return "Adres wyszukiwania zawiera nieprawidłowy parametr.";
}

namespace {

std::string search_box_html() {
  return "<form class=\"search-form compact\" role=\"search\" method=\"get\" action=\"/\">\n"
         "<label for=\"q\">Wyszukaj w archiwum</label>\n<div class=\"search-row\">"
         "<input type=\"search\" id=\"q\" name=\"q\" autocomplete=\"off\">"
         "<button type=\"submit\">Szukaj</button></div>\n</form>\n"
         "<p><a href=\"/\">Przejdź do strony głównej wyszukiwarki</a></p>\n";
}

}  // namespace

Response page_gone(const std::string& title) {
  std::string main = "<h1>Materiał został usunięty</h1>\n<div class=\"error-box\" role=\"alert\">";
  if (!title.empty()) main += "<p>Materiał „" + h(title) + "” został usunięty z archiwum.</p>";
  main +=
      "<p>Ten materiał był w archiwum, ale został z niego wycofany i nie jest już dostępny. "
      "Być może w archiwum jest inne wydanie albo podobny materiał – spróbuj go wyszukać.</p>"
      "</div>\n";
  main += search_box_html();
  return html_response(410, page_layout({"Materiał został usunięty",
                                         "<meta name=\"robots\" content=\"noindex\">\n", ""},
                                        main));
}

Response page_error(int status, const std::string& code, const std::string& message) {
  if (status == 410) return page_gone();
  std::string title, text;
  if (status == 401) {
    title = "Brak dostępu";
    text =
        "Token dostępu jest nieprawidłowy, wygasł albo został unieważniony. Zaloguj się "
        "ponownie na stronie logowania.";
  } else if (status == 429) {
    title = "Zbyt wiele prób";
    text = "Zbyt wiele nieudanych prób logowania z tego adresu. Spróbuj ponownie później.";
  } else if (status == 404) {
    title = "Nie znaleziono strony";
    text =
        "Pod tym adresem nie ma materiału ani strony. Być może link jest niepełny albo materiał "
        "został usunięty z archiwum.";
  } else if (status == 503) {
    title = "Archiwum jest chwilowo niedostępne";
    text = "Trwają prace przy archiwum. Spróbuj ponownie za chwilę.";
  } else if (status >= 500) {
    title = "Wystąpił błąd serwera";
    text = "Nie udało się wyświetlić tej strony. Błąd został zapisany; spróbuj ponownie później.";
  } else {
    title = "Nieprawidłowy adres";
    text = polish_error_message(code, message);
  }
  std::string main =
      "<h1>" + h(title) + "</h1>\n<div class=\"error-box\" role=\"alert\"><p>" + h(text) + "</p>";
  if (status == 401) main += "<p><a href=\"/logowanie\">Przejdź do logowania</a></p>";
  main += "</div>\n" + search_box_html();
  return html_response(
      status, page_layout({title, "<meta name=\"robots\" content=\"noindex\">\n", ""}, main));
}

Response get_style_css(const ApiRequest& request, ServerContext&) {
  return static_file(request, web::kStyleCss, style_version(), "text/css; charset=utf-8");
}

Response get_app_js(const ApiRequest& request, ServerContext&) {
  return static_file(request, web::kAppJs, script_version(),
                     "application/javascript; charset=utf-8");
}

Response get_favicon(const ApiRequest& request, ServerContext&) {
  static const std::string version = fnv_hex(web::kFaviconSvg);
  Response response = static_file(request, web::kFaviconSvg, version, "image/svg+xml");
  for (auto& [name, value] : response.headers)
    if (name == "Cache-Control") value = "public, max-age=86400";
  return response;
}

Response get_logo(const ApiRequest& request, ServerContext& context) {
  const std::string& path = context.site.logo;
  const char* type = path.empty() ? nullptr : image_type(path);
  if (!type) throw ApiError(404, "not_found", "no logo is configured ([site] logo)");
  std::ifstream file(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (!file.good() && !file.eof()) throw ApiError(404, "not_found", "the logo cannot be read");
  if (bytes.empty() || bytes.size() > (4u << 20))
    throw ApiError(404, "not_found", "the logo is empty or larger than 4 MB");
  return static_file(request, bytes, fnv_hex(bytes), type);
}

Response get_openapi_json(const ApiRequest& request, ServerContext&) {
  static const std::string version = fnv_hex(web::kOpenApiJson);
  return static_file(request, web::kOpenApiJson, version, kJsonContentType);
}

}  // namespace mediateka::server
