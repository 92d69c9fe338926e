// The web pages of mediateka-server over real HTTP: the search page without JavaScript,
// item pages with the player, captions and PDF view, redirects, errors, the accessibility
// statement and the embedded static files.
#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "archive/item.h"
#include "server_test_support.h"

namespace {

using mediateka::test::cue;
using mediateka::test::get;
using mediateka::test::HttpResponse;
using mediateka::test::make_item;
using mediateka::test::page;
using mediateka::test::ServedIndex;

std::vector<mediateka::Item> sample_items() {
  using mediateka::ItemType;
  auto pdf = make_item("pub000000001", ItemType::publication, "Poradnik pomocy społecznej & rodzin",
                       2011, {"Aktywna integracja"}, "", {}, "05-14");
  pdf.pages = 3;
  pdf.source.mime = "application/pdf";
  pdf.description = "Opis <b>poradnika</b> dla gmin.";
  pdf.authors = {"Anna Nowak"};
  pdf.segments = {page(1, "Wprowadzenie do pomocy społecznej w gminie"),
                  page(2, "Ośrodek pomocy społecznej wspiera rodziny"),
                  page(3, "Spółdzielnie socjalne i wolontariacie w gminie")};

  auto film = make_item("film00000001", ItemType::film, "Spółdzielnie socjalne w praktyce", 2013,
                        {"Ekonomia społeczna", "Aktywna integracja"}, "", {}, "05-14");
  film.duration_s = 912.4;
  film.source.mime = "video/mp4";
  film.media = {"mp4", "h264 1280x720", "aac 48000 Hz 2 ch"};
  film.chapters = {{"Wstęp", 0, 0}, {"Rozmowa z prezesem", 90, 0}};
  film.segments = {cue(0, 5, "Dzień dobry państwu"),
                   cue(93.5, 97.0, "spółdzielnie socjalne dają pracę bezrobotnym"),
                   cue(100, 104, "a <b>tag</b> --> w napisach")};

  auto radio = make_item("radio0000001", ItemType::radio, "Rozmowa o wolontariacie", 2014,
                         {"Wolontariat"}, "", {}, "05-14");
  radio.duration_s = 300;
  radio.source.mime = "audio/mpeg";
  radio.segments = {cue(10, 14, "wolontariat w domu kultury"),
                    cue(20, 25, "spółdzielnie socjalne też szukają wolontariuszy")};
  return {pdf, film, radio};
}

class ServerPages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { served_ = std::make_unique<ServedIndex>(sample_items()); }
  static void TearDownTestSuite() { served_.reset(); }

  static HttpResponse page(const std::string& target, int status = 200) {
    HttpResponse response = get(served_->port(), target);
    EXPECT_EQ(response.status, status) << target << "\n" << response.body.substr(0, 2000);
    return response;
  }
  static HttpResponse html(const std::string& target, int status = 200) {
    HttpResponse response = page(target, status);
    EXPECT_EQ(response.header("content-type"), "text/html; charset=utf-8") << target;
    EXPECT_NE(response.body.find("<html lang=\"pl\">"), std::string::npos) << target;
    return response;
  }
  static bool has(const HttpResponse& response, const std::string& text) {
    return response.body.find(text) != std::string::npos;
  }

  inline static std::unique_ptr<ServedIndex> served_;
};

#define EXPECT_HAS(response, text) \
  EXPECT_TRUE(has(response, text)) << "missing: " << (text) << "\n" << (response).body

TEST_F(ServerPages, SearchPageRendersResultsWithoutJavaScript) {
  const auto response = html("/?q=sp%C3%B3%C5%82dzielnie+socjalne");
  EXPECT_HAS(response, "Znaleziono 3 materiały");
  EXPECT_HAS(response, "value=\"spółdzielnie socjalne\"");
  EXPECT_HAS(response,
             "<a href=\"/i/spoldzielnie-socjalne-w-praktyce?q=sp%C3%B3%C5%82dzielnie%20socjalne\">"
             "Spółdzielnie socjalne w praktyce</a>");
  EXPECT_HAS(response, "<mark>");
  EXPECT_HAS(response, "<span class=\"type-label\">film</span>");
  EXPECT_HAS(response, "<span class=\"type-label\">audycja radiowa</span>");
  EXPECT_HAS(response, "<span class=\"type-label\">publikacja</span>");
  // Locations: a PDF page and a moment of the film.
  // Links carry the words to the item page.
  EXPECT_HAS(response,
             "<a href=\"/i/poradnik-pomocy-spolecznej-rodzin?page=3&amp;q=sp%C3%B3%C5%82dzielnie%20"
             "socjalne\">s. 3</a>");
  EXPECT_HAS(response,
             "<a href=\"/i/spoldzielnie-socjalne-w-praktyce?t=93&amp;q=sp%C3%B3%C5%82dzielnie%20"
             "socjalne\">01:33</a>");
  // No cover files in this test: icons, hidden from assistive technology.
  EXPECT_HAS(response, "<svg class=\"type-icon\"");
  EXPECT_HAS(response, "aria-hidden=\"true\"");
  // Accessibility basics.
  EXPECT_HAS(response, "<a class=\"skip-link\" href=\"#tresc\">Przejdź do treści</a>");
  EXPECT_HAS(response, "<main id=\"tresc\"");
  EXPECT_HAS(response, "<label for=\"q\">");
  EXPECT_HAS(response, "<label for=\"sort\">");
  EXPECT_HAS(response, "role=\"status\"");
  EXPECT_HAS(response, "href=\"/dostepnosc\"");
  const std::regex h1("<h1[ >]");
  EXPECT_EQ(std::distance(std::sregex_iterator(response.body.begin(), response.body.end(), h1),
                          std::sregex_iterator()),
            1);
}

TEST_F(ServerPages, FacetsAreCheckboxesWithCounts) {
  const auto response = html("/?type=film");
  EXPECT_HAS(response, "<fieldset class=\"facet\">\n<legend>Rodzaj materiału</legend>");
  // Multi-select: the type counts ignore the type filter; the chosen one is checked.
  EXPECT_TRUE(std::regex_search(
      response.body,
      std::regex("name=\"type\" value=\"film\" checked><label for=\"[^\"]+\">film <span "
                 "class=\"facet-count\">\\(1<")))
      << response.body;
  EXPECT_TRUE(std::regex_search(
      response.body, std::regex("name=\"type\" value=\"radio\"><label for=\"[^\"]+\">audycja "
                                "radiowa <span class=\"facet-count\">\\(1<")));
  EXPECT_TRUE(std::regex_search(response.body,
                                std::regex("name=\"campaign\" value=\"Aktywna integracja\"><label "
                                           "for=\"[^\"]+\">Aktywna integracja <span "
                                           "class=\"facet-count\">\\(1<")));
  EXPECT_HAS(response, "name=\"year_from\"");
  EXPECT_HAS(response, "name=\"year_to\"");
  EXPECT_HAS(response, "<option value=\"newest\">najnowsze</option>");
  EXPECT_HAS(response, "Znaleziono 1 materiał<");
  EXPECT_HAS(response, "Wyczyść filtry");
}

TEST_F(ServerPages, PaginationKeepsParameters) {
  const auto response = html("/?campaign=Aktywna+integracja&sort=oldest&per_page=1");
  EXPECT_HAS(response, "Znaleziono 2 materiały");
  EXPECT_HAS(response,
             "href=\"/?campaign=Aktywna%20integracja&amp;sort=oldest&amp;per_page=1&amp;"
             "page=2\" rel=\"next\"");
  const auto second = html("/?campaign=Aktywna+integracja&sort=oldest&per_page=1&page=2");
  EXPECT_HAS(second, "rel=\"prev\"");
  EXPECT_HAS(second, "aria-current=\"page\"><span class=\"visually-hidden\">Strona </span>2<");
  EXPECT_HAS(second, "<ol class=\"hits\" start=\"2\">");
}

TEST_F(ServerPages, EmptyStateAndSuggestion) {
  const auto empty = html("/?q=zzzyzzyx&type=radio");
  EXPECT_HAS(empty, "Nic nie znaleziono dla zapytania „zzzyzzyx”");
  EXPECT_HAS(empty, "sprawdź pisownię");
  EXPECT_HAS(empty, "<a href=\"/?q=zzzyzzyx\">szukaj bez filtrów</a>");

  const auto misspelt = html("/?q=wolontarjacie");
  EXPECT_HAS(misspelt, "Czy chodziło o: <a href=\"/?q=wolontariacie\">wolontariacie</a>?");
}

TEST_F(ServerPages, QueryIsEscaped) {
  const auto response = html("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  EXPECT_FALSE(has(response, "<script>alert(1)</script>"));
  EXPECT_HAS(response, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"");
  EXPECT_HAS(response, "„&lt;script&gt;alert(1)&lt;/script&gt;”");
  EXPECT_FALSE(response.header("content-security-policy").empty());
}

TEST_F(ServerPages, ParameterErrorsArePolishPagesWith400) {
  auto response = html("/?q=pomoc&year_from=20x1", 400);
  EXPECT_HAS(response, "Rok należy podać jako cztery cyfry");
  EXPECT_HAS(response, "value=\"pomoc\"");
  response = html("/?sort=best", 400);
  EXPECT_HAS(response, "Nieznany porządek sortowania");
  response = html("/?q=%ZZ", 400);
  EXPECT_HAS(response, "nieprawidłowe znaki");
  // The API keeps answering JSON.
  EXPECT_EQ(page("/api/search?sort=best", 400).header("content-type"),
            "application/json; charset=utf-8");
}

TEST_F(ServerPages, VideoItemPage) {
  const auto response = html("/i/spoldzielnie-socjalne-w-praktyce?t=93");
  EXPECT_HAS(response, "<meta property=\"og:title\" content=\"Spółdzielnie socjalne w praktyce\">");
  EXPECT_HAS(response, "<meta property=\"og:type\" content=\"video.other\">");
  EXPECT_HAS(response, "<meta property=\"og:video:type\" content=\"video/mp4\">");
  EXPECT_HAS(response,
             "<link rel=\"canonical\" "
             "href=\"http://127.0.0.1/i/spoldzielnie-socjalne-w-praktyce\">");
  EXPECT_HAS(response,
             "<meta property=\"og:url\" "
             "content=\"http://127.0.0.1/i/spoldzielnie-socjalne-w-praktyce\">");
  EXPECT_HAS(response,
             "<meta property=\"og:video\" content=\"http://127.0.0.1/files/film00000001\">");
  EXPECT_HAS(response, "<video id=\"odtwarzacz\"");
  EXPECT_HAS(response, "preload=\"metadata\" src=\"/files/film00000001#t=93\" data-start=\"93\"");
  EXPECT_HAS(response,
             "<track kind=\"captions\" srclang=\"pl\" label=\"Polski\" "
             "src=\"/i/spoldzielnie-socjalne-w-praktyce/captions.vtt\" default>");
  // Chapters and transcript: times are links to the moment.
  EXPECT_HAS(response,
             "<a class=\"seek\" href=\"/i/spoldzielnie-socjalne-w-praktyce?t=90\" "
             "data-t=\"90\">01:30</a> Rozmowa z prezesem");
  EXPECT_HAS(response,
             "data-end=\"97\" class=\"current\" aria-current=\"true\"><input type=\"checkbox\"");
  EXPECT_HAS(response,
             "<a class=\"seek\" href=\"/i/spoldzielnie-socjalne-w-praktyce?t=93\" "
             "data-t=\"93\"><span class=\"cue-time\">01:33</span></a>");
  EXPECT_HAS(response, "a &lt;b&gt;tag&lt;/b&gt; --&gt; w napisach");
  EXPECT_HAS(response, "Kopiuj link do tej chwili");
  EXPECT_HAS(response, "15 min 12 s");
  EXPECT_HAS(response, "<time datetime=\"2013-05-14\">14 maja 2013 r.</time>");
  EXPECT_HAS(response, "mp4 · h264 1280x720 · aac 48000 Hz 2 ch");
}

TEST_F(ServerPages, AudioAndPdfItemPages) {
  const auto audio = html("/i/rozmowa-o-wolontariacie");
  EXPECT_HAS(audio, "<audio id=\"odtwarzacz\"");
  EXPECT_HAS(audio, "src=\"/files/radio0000001\"");
  EXPECT_HAS(audio, "<meta property=\"og:type\" content=\"music.song\">");
  EXPECT_HAS(audio, "<meta property=\"og:audio\"");

  const auto pdf = html("/i/poradnik-pomocy-spolecznej-rodzin?page=2");
  EXPECT_HAS(pdf, "<h1>Poradnik pomocy społecznej &amp; rodzin</h1>");
  EXPECT_HAS(pdf, "<a class=\"button\" href=\"/files/pub000000001#page=2\">Otwórz PDF</a>");
  // The file is not there: no page image, the text of the page shown open instead.
  EXPECT_FALSE(has(pdf, "/strony/2.png")) << pdf.body;
  EXPECT_HAS(pdf, "Ośrodek pomocy społecznej wspiera rodziny");
  EXPECT_HAS(pdf, "<meta property=\"og:type\" content=\"article\">");
  EXPECT_HAS(pdf, "Opis &lt;b&gt;poradnika&lt;/b&gt; dla gmin.");
  EXPECT_HAS(pdf, "<dt>Liczba stron</dt><dd>3</dd>");
  EXPECT_HAS(pdf, "<dt>Autor</dt><dd>Anna Nowak</dd>");
}

TEST_F(ServerPages, CaptionsAreWebVtt) {
  const auto response = page("/i/spoldzielnie-socjalne-w-praktyce/captions.vtt");
  EXPECT_EQ(response.header("content-type"), "text/vtt; charset=utf-8");
  EXPECT_EQ(response.body.rfind("WEBVTT\n", 0), 0u) << response.body;
  EXPECT_HAS(response, "\n00:00:00.000 --> 00:00:05.000\nDzień dobry państwu\n");
  EXPECT_HAS(response, "\n00:01:33.500 --> 00:01:37.000\nspółdzielnie socjalne dają pracę");
  EXPECT_HAS(response, "a &lt;b&gt;tag&lt;/b&gt; --&gt; w napisach");
  // Chapters are not captions.
  EXPECT_FALSE(has(response, "Rozmowa z prezesem"));
  // A PDF has none.
  page("/i/poradnik-pomocy-spolecznej-rodzin/captions.vtt", 404);
}

TEST_F(ServerPages, IdRedirectsToSlugAndUnknownIsPolish404) {
  const auto redirect = page("/i/film00000001?t=93", 301);
  EXPECT_EQ(redirect.header("location"), "/i/spoldzielnie-socjalne-w-praktyce?t=93");
  const auto missing = html("/i/nie-ma-takiego", 404);
  EXPECT_HAS(missing, "Nie znaleziono strony");
  html("/i/Z%C5%82y", 404);
}

TEST_F(ServerPages, AccessibilityStatementAndStaticFiles) {
  const auto statement = html("/dostepnosc");
  EXPECT_HAS(statement, "<h1>Deklaracja dostępności</h1>");
  EXPECT_HAS(statement, "Procedura wnioskowo-skargowa");
  // The repository's configuration names the centre and gives no other fact: nothing is shown
  // in their place.
  EXPECT_HAS(statement, "<p>Regionalne Centrum Polityki Społecznej zobowiązuje się");
  EXPECT_FALSE(has(statement, "do uzupełnienia")) << statement.body;
  EXPECT_HAS(html("/"), "<a href=\"/dostepnosc\">Deklaracja dostępności</a>");

  const auto css = page("/static/style.css");
  EXPECT_EQ(css.header("content-type"), "text/css; charset=utf-8");
  EXPECT_HAS(css, ":focus-visible");
  EXPECT_FALSE(css.header("etag").empty());
  const auto js = page("/static/app.js");
  EXPECT_EQ(js.header("content-type"), "application/javascript; charset=utf-8");
  EXPECT_HAS(js, "aria-activedescendant");
}

}  // namespace
