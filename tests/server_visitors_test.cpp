// The visitors' last mile (issue 31) over real HTTP: Polish 404 and 410 pages, the centre's
// [site] settings on every page and in the accessibility statement, the favicon, the logged-in
// header and restricted marks, hits that say each thing once, page images of publications with
// the searched words marked, the search inside a document and the transcript's clip links.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "api/document_search.h"
#include "api/page_images.h"
#include "archive/config.h"
#include "archive/item.h"
#include "media_test_support.h"
#include "ocr.h"
#include "pages/pages.h"
#include "real_document_fixtures.h"
#include "server_test_support.h"

namespace {

namespace fs = std::filesystem;
using mediateka::Item;
using mediateka::ItemType;
using mediateka::test::cue;
using mediateka::test::exchange;
using mediateka::test::HttpResponse;
using mediateka::test::make_item;
using mediateka::test::page;
using mediateka::test::parse_responses;
using mediateka::test::ServedIndex;
using mediateka::test::ServerProcess;
using mediateka::test::TemporaryFolder;

const char* const kDejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// GET with extra header lines ("Accept: text/html\r\n").
HttpResponse fetch(int port, const std::string& target, const std::string& headers = "") {
  const std::string raw = exchange(
      port,
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Connection: close\r\n\r\n",
      std::chrono::seconds(20), 1);
  auto responses = parse_responses(raw);
  if (responses.empty()) {
    ADD_FAILURE() << "no response to " << target;
    return {};
  }
  return responses.front();
}

bool has(const HttpResponse& response, const std::string& text) {
  return response.body.find(text) != std::string::npos;
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

#define EXPECT_HAS(response, text) \
  EXPECT_TRUE(has(response, text)) << "missing: " << (text) << "\n" << (response).body
#define EXPECT_LACKS(response, text) \
  EXPECT_FALSE(has(response, text)) << "present: " << (text) << "\n" << (response).body

// --- 404 and 410 pages ---------------------------------------------------------------------------

std::vector<Item> plain_items() {
  auto film = make_item("film00000001", ItemType::film, "Spoldzielnie socjalne w praktyce", 2013,
                        {"Ekonomia społeczna"});
  film.source.mime = "video/mp4";
  film.segments = {cue(0, 5, "Dzień dobry państwu"),
                   cue(93.5, 97.0, "spółdzielnie socjalne dają pracę bezrobotnym"),
                   cue(97.0, 99.0, "spółdzielnie socjalne w gminie"),
                   cue(100, 104, "wolontariusze pomagają")};
  auto pdf = make_item("pub000000001", ItemType::publication, "Poradnik dla gmin", 2011, {});
  pdf.pages = 2;
  pdf.source.mime = "application/pdf";
  pdf.segments = {page(1, "Ośrodek pomocy społecznej wspiera rodziny w gminie."),
                  page(2, "Wolontariat i pomoc sąsiedzka w gminie.")};
  auto hidden = make_item("pub000000002", ItemType::publication, "Raport zastrzezony", 2012, {});
  hidden.access = {"gmina"};
  hidden.segments = {page(1, "Raport o pomocy społecznej dla gmin partnerskich.")};
  return {film, pdf, hidden};
}

class Visitors : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    served_ = std::make_unique<ServedIndex>(plain_items(), std::vector<std::string>{"gmina"});
  }
  static void TearDownTestSuite() { served_.reset(); }
  static int port() { return served_->port(); }
  static std::string bearer() { return "Authorization: Bearer " + served_->token() + "\r\n"; }
  inline static std::unique_ptr<ServedIndex> served_;
};

TEST_F(Visitors, UnknownPathAskedByABrowserIsAPolishPage) {
  const auto page = fetch(port(), "/wyszukiwanie", "Accept: text/html,application/xhtml+xml\r\n");
  EXPECT_EQ(page.status, 404);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_HAS(page, "<html lang=\"pl\">");
  EXPECT_HAS(page, "<h1>Nie znaleziono strony</h1>");
  EXPECT_HAS(page, "role=\"search\"");  // the site's search box
  EXPECT_HAS(page, "<a class=\"skip-link\" href=\"#tresc\">");
  EXPECT_LACKS(page, "not_found");

  // A program that asks for no HTML, and the API whatever is asked, keep the JSON.
  const auto json = fetch(port(), "/wyszukiwanie");
  EXPECT_EQ(json.status, 404);
  EXPECT_EQ(json.json_body()["error"]["code"], "not_found");
  const auto api = fetch(port(), "/api/nie-ma", "Accept: text/html\r\n");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(api.json_body()["error"]["code"], "not_found");
}

TEST_F(Visitors, GonePageIsPolishWithTheSearchBox) {
  const mediateka::server::Response gone = mediateka::server::page_gone("Poradnik <dla> gmin");
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(gone.content_type, "text/html; charset=utf-8");
  EXPECT_NE(gone.body.find("<h1>Materiał został usunięty</h1>"), std::string::npos);
  EXPECT_NE(gone.body.find("„Poradnik &lt;dla&gt; gmin”"), std::string::npos) << gone.body;
  EXPECT_NE(gone.body.find("role=\"search\""), std::string::npos);
  EXPECT_NE(gone.body.find("<meta name=\"robots\" content=\"noindex\">"), std::string::npos);
  // What a handler's ApiError(410) becomes on a page route.
  const auto error = mediateka::server::page_error(410, "gone", "the item was removed");
  EXPECT_EQ(error.status, 410);
  EXPECT_NE(error.body.find("Materiał został usunięty"), std::string::npos);
}

TEST_F(Visitors, FaviconIsServed) {
  const auto icon = fetch(port(), "/favicon.ico");
  EXPECT_EQ(icon.status, 200);
  EXPECT_EQ(icon.header("content-type"), "image/svg+xml");
  EXPECT_EQ(icon.body.rfind("<svg", 0), 0u) << icon.body;
  EXPECT_HAS(fetch(port(), "/"), "<link rel=\"icon\" href=\"/favicon.ico\"");
}

TEST_F(Visitors, HeaderLinksLoginAndShowsWhoIsLoggedIn) {
  const auto anonymous = fetch(port(), "/");
  EXPECT_HAS(anonymous, "<a href=\"/logowanie\">Zaloguj</a>");
  EXPECT_LACKS(anonymous, "Wyloguj");
  for (const char* path : {"/dostepnosc", "/miejsca", "/i/poradnik-dla-gmin"})
    EXPECT_HAS(fetch(port(), path), "<a href=\"/logowanie\">Zaloguj</a>") << path;

  const auto member = fetch(port(), "/?q=raport", bearer());
  EXPECT_EQ(member.status, 200);
  EXPECT_HAS(member, "Zalogowano: <strong>Test</strong>");
  EXPECT_HAS(member, "(grupa: gmina)");
  EXPECT_HAS(member, "<form method=\"post\" action=\"/wyloguj\">");
  EXPECT_HAS(member, ">Wyloguj</button>");
  EXPECT_LACKS(member, ">Zaloguj</a>");
  // The restricted hit and its page are marked.
  EXPECT_HAS(member, "Raport zastrzezony");
  EXPECT_HAS(member, "<span class=\"restricted\">dostęp ograniczony</span>");
  // A restricted item's slug is its title's and its id's (docs/access.md, "Slugs").
  const auto item = fetch(port(), "/i/raport-zastrzezony-pub000000002", bearer());
  EXPECT_EQ(item.status, 200);
  EXPECT_HAS(item, "<span class=\"restricted\">dostęp ograniczony</span>");
  // A public item is not.
  EXPECT_LACKS(fetch(port(), "/i/poradnik-dla-gmin", bearer()), "dostęp ograniczony");
}

TEST_F(Visitors, WrongTokenIsAnErrorInThePageLayout) {
  const auto refused =
      fetch(port(), "/", "Cookie: mediateka_session=zly-token\r\nAccept: text/html\r\n");
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.header("content-type"), "text/html; charset=utf-8");
  EXPECT_HAS(refused, "<h1>Brak dostępu</h1>");
  EXPECT_HAS(refused, "<div class=\"error-box\" role=\"alert\">");
  EXPECT_HAS(refused, "<a href=\"/logowanie\">Przejdź do logowania</a>");
  EXPECT_HAS(refused, "<header class=\"site-header\">");
}

TEST_F(Visitors, HitsSayTheSnippetOnceAndEachTimeOnce) {
  const auto results = fetch(port(), "/?q=sp%C3%B3%C5%82dzielnie");
  ASSERT_EQ(results.status, 200);
  const auto begin = results.body.find("<li class=\"hit\">");
  ASSERT_NE(begin, std::string::npos) << results.body;
  const std::string hit =
      results.body.substr(begin, results.body.find("</li>\n</ol>", begin) - begin);
  // Each text of the recording is shown once, and each moment once.
  EXPECT_EQ(count_of(hit, "dają pracę bezrobotnym"), 1u) << hit;
  EXPECT_EQ(count_of(hit, ">01:33</a>"), 1u) << hit;
  EXPECT_EQ(count_of(hit, ">01:37</a>"), 1u) << hit;
  // The links carry the search to the item page.
  EXPECT_HAS(results, "href=\"/i/spoldzielnie-socjalne-w-praktyce?q=sp%C3%B3%C5%82dzielnie\"");
  EXPECT_HAS(results, "?t=93&amp;q=sp%C3%B3%C5%82dzielnie\">01:33</a>");
}

TEST_F(Visitors, ItemPageLeadsBackToTheSearch) {
  const auto with_words = fetch(port(), "/i/poradnik-dla-gmin?q=pomoc");
  EXPECT_HAS(with_words,
             "<p class=\"back\"><a href=\"/?q=pomoc\">Wróć do wyników wyszukiwania</a>");
  const auto from_results = fetch(port(), "/i/poradnik-dla-gmin?q=pomoc",
                                  "Referer: http://127.0.0.1/?q=pomoc&type=publication&page=2\r\n");
  EXPECT_HAS(from_results, "<a href=\"/?q=pomoc&amp;type=publication&amp;page=2\">");
  // Another site's address is not followed.
  const auto elsewhere =
      fetch(port(), "/i/poradnik-dla-gmin?q=pomoc", "Referer: http://example.com/?q=zlo\r\n");
  EXPECT_HAS(elsewhere, "<a href=\"/?q=pomoc\">");
  EXPECT_HAS(fetch(port(), "/i/poradnik-dla-gmin"),
             "<p class=\"back\"><a href=\"/\">Wyszukiwarka</a>");
}

TEST_F(Visitors, SearchInsideTheDocumentListsMatchingPages) {
  const auto page = fetch(port(), "/i/poradnik-dla-gmin?q=pomocy");
  EXPECT_HAS(page, "<h3 id=\"szukaj-w-dokumencie\">Szukaj w tym dokumencie</h3>");
  EXPECT_HAS(page, "Szukane słowa są na 2 stronach:");
  // "pomocy" finds "pomoc" on page 2 through the lemma.
  EXPECT_HAS(page, "<mark>pomoc</mark> sąsiedzka");
  EXPECT_HAS(page, "<mark>pomocy</mark> społecznej");
  EXPECT_HAS(page, "href=\"/i/poradnik-dla-gmin?page=2&amp;q=pomocy\">s. 2</a>");
  const auto none = fetch(port(), "/i/poradnik-dla-gmin?q=telewizja");
  EXPECT_HAS(none, "Żadna strona tego dokumentu nie zawiera szukanych słów.");
}

TEST_F(Visitors, TranscriptIsTimedLinksWithSearchAndClipLinks) {
  const auto page = fetch(port(), "/i/spoldzielnie-socjalne-w-praktyce");
  EXPECT_HAS(page, "<section class=\"transcript-panel\" aria-labelledby=\"transkrypcja\">");
  EXPECT_HAS(page, "<li id=\"cue-1\" data-start=\"93.5\" data-end=\"97\">");
  EXPECT_HAS(page,
             "<a class=\"seek\" href=\"/i/spoldzielnie-socjalne-w-praktyce?t=93\" "
             "data-t=\"93\"><span class=\"cue-time\">01:33</span></a>");
  EXPECT_HAS(page, "<div id=\"fragment\" class=\"clip-result\" hidden>");

  // Ticked cues, sent without JavaScript, make the clip's link.
  const auto clip = fetch(port(), "/i/spoldzielnie-socjalne-w-praktyce?cue=1&cue=2");
  EXPECT_HAS(clip, "<div id=\"fragment\" class=\"clip-result\">");
  EXPECT_HAS(clip, "href=\"/i/spoldzielnie-socjalne-w-praktyce?t=93,99\"");
  EXPECT_HAS(clip, "value=\"1\" id=\"zaznacz-1\" form=\"fragment-transkrypcji\" checked");

  const auto search = fetch(port(), "/i/spoldzielnie-socjalne-w-praktyce?q=wolontariusz");
  EXPECT_HAS(search, "<mark>wolontariusze</mark> pomagają");
  EXPECT_HAS(search, "Szukane słowa są w 1 wypowiedzi");
}

// --- [site] -----------------------------------------------------------------------------------

const char* const kFullSite = R"([site]
name = "Regionalne Centrum Polityki Społecznej w Testowie"
url = "https://mediateka.test.example"
address = "ul. Próbna 7, 00-950 Testów"
email = "biuro@test.example"
phone = "+48 22 111 22 33"

[site.accessibility]
published = "2024-01-15"
updated = "2026-11-30"
prepared = "2024-01-16"
reviewed = "2026-12-01"
contact_person = "Anna Kowalska"
contact_email = "dostepnosc@test.example"
contact_phone = "+48 22 111 22 44"
building = "Wejście z poziomu chodnika, winda do wszystkich pięter."
sign_language = "Tłumacz PJM po zgłoszeniu trzy dni wcześniej."
)";

TEST(SiteSettings, MissingFactsAreListedAndDatesChecked) {
  TemporaryFolder folder;
  mediateka::test::write_file(folder.path() / "full.toml", kFullSite);
  const mediateka::Config full = mediateka::load_config((folder.path() / "full.toml").string());
  EXPECT_EQ(full.site.name, "Regionalne Centrum Polityki Społecznej w Testowie");
  EXPECT_EQ(full.site.accessibility.reviewed, "2026-12-01");
  EXPECT_TRUE(mediateka::missing_site_facts(full.site).empty());
  const auto missing = mediateka::missing_site_facts(mediateka::SiteSettings{});
  EXPECT_EQ(missing.size(), 12u);
  EXPECT_EQ(missing.front().rfind("site.name: ", 0), 0u);

  mediateka::test::write_file(folder.path() / "bad.toml",
                              "[site.accessibility]\npublished = \"15.01.2024\"\n");
  try {
    mediateka::load_config((folder.path() / "bad.toml").string());
    ADD_FAILURE() << "a date not YYYY-MM-DD was taken";
  } catch (const mediateka::ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("site.accessibility.published must be a date"),
              std::string::npos)
        << error.what();
  }
}

TEST(SiteSettings, NameAndStatementComeFromConfig) {
  TemporaryFolder folder;
  mediateka::test::write_index(folder.path() / "index", plain_items());
  mediateka::test::write_file(folder.path() / "logo.svg",
                              "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  mediateka::test::write_file(
      folder.path() / "site.toml",
      std::string(kFullSite).replace(std::string(kFullSite).find("[site.accessibility]"), 0,
                                     "logo = \"logo.svg\"\n\n"));
  ServerProcess server(folder.path() / "index", {}, folder.path() / "site.toml");
  const int port = server.wait_until_listening();
  ASSERT_NE(port, 0);

  const auto home = fetch(port, "/");
  EXPECT_HAS(home,
             "<title>Wyszukiwarka materiałów – Mediateka – Regionalne Centrum Polityki "
             "Społecznej w Testowie</title>");
  EXPECT_HAS(home,
             "<span class=\"brand-sub\">Regionalne Centrum Polityki Społecznej w "
             "Testowie</span>");
  EXPECT_HAS(home, "<img class=\"brand-logo\" src=\"/static/logo\" alt=\"\"");
  EXPECT_HAS(home, "ul. Próbna 7, 00-950 Testów");
  EXPECT_HAS(home, "<a href=\"mailto:biuro@test.example\">");
  EXPECT_HAS(home, "<a href=\"tel:+48221112233\">tel. +48 22 111 22 33</a>");
  const auto logo = fetch(port, "/static/logo");
  EXPECT_EQ(logo.status, 200);
  EXPECT_EQ(logo.header("content-type"), "image/svg+xml");

  const auto statement = fetch(port, "/dostepnosc");
  EXPECT_LACKS(statement, "do uzupełnienia");
  for (const char* fact :
       {"<p>Regionalne Centrum Polityki Społecznej w Testowie zobowiązuje się",
        "<a href=\"https://mediateka.test.example\">", "<time datetime=\"2024-01-15\">",
        "<time datetime=\"2026-11-30\">",
        "Deklarację sporządzono dnia <time datetime=\"2024-01-16\">",
        "aktualizacji dnia <time datetime=\"2026-12-01\">", "Osobą kontaktową jest Anna Kowalska.",
        "mailto:dostepnosc@test.example", "Numer telefonu: +48 22 111 22 44.",
        "Wejście z poziomu chodnika", "Tłumacz PJM po zgłoszeniu"})
    EXPECT_HAS(statement, fact);
}

TEST(SiteSettings, MissingFactsLeaveTheirSentencesOut) {
  TemporaryFolder folder;
  mediateka::test::write_index(folder.path() / "index", plain_items());
  mediateka::test::write_file(folder.path() / "empty.toml", "[server]\nthreads = 2\n");
  ServerProcess server(folder.path() / "index", {}, folder.path() / "empty.toml");
  const int port = server.wait_until_listening();
  ASSERT_NE(port, 0);
  const auto statement = fetch(port, "/dostepnosc");
  EXPECT_EQ(statement.status, 200);
  for (const char* left_out :
       {"do uzupełnienia", "placeholder", "Osobą kontaktową", "Data publikacji",
        "Deklarację sporządzono dnia", "Dostępność architektoniczna", "języka migowego",
        "dostępnego pod adresem", "Numer telefonu", "poczty elektronicznej"})
    EXPECT_LACKS(statement, left_out);
  // What is always true stays.
  EXPECT_HAS(statement, "Procedura wnioskowo-skargowa");
  EXPECT_HAS(statement, "na podstawie samooceny");
  EXPECT_HAS(fetch(port, "/"), "<span class=\"brand-sub\">archiwum multimedialne</span>");
  EXPECT_EQ(fetch(port, "/static/logo").status, 404);
}

// --- page images -----------------------------------------------------------------------------

struct Box {
  int left, top, right, bottom;
};

// A PNG decoded to RGB24 by the ffmpeg tool.
struct Picture {
  int width = 0, height = 0;
  std::string rgb;
  std::array<unsigned char, 3> at(int x, int y) const {
    const std::size_t offset = (static_cast<std::size_t>(y) * width + x) * 3;
    return {static_cast<unsigned char>(rgb[offset]), static_cast<unsigned char>(rgb[offset + 1]),
            static_cast<unsigned char>(rgb[offset + 2])};
  }
  bool marked(int x, int y) const {
    const auto pixel = at(x, y);
    return pixel[0] >= 250 && pixel[1] >= 205 && pixel[1] <= 222 && pixel[2] <= 10;
  }
  std::size_t marked_in(const Box& box) const {
    std::size_t count = 0;
    for (int y = std::max(0, box.top); y < std::min(height, box.bottom); ++y)
      for (int x = std::max(0, box.left); x < std::min(width, box.right); ++x)
        count += marked(x, y);
    return count;
  }
};

Picture decode_png(const fs::path& folder, const std::string& png) {
  Picture picture;
  if (png.size() < 24 || png.compare(1, 3, "PNG") != 0) {
    ADD_FAILURE() << "not a PNG";
    return picture;
  }
  const auto be32 = [&png](std::size_t at) {
    return (static_cast<unsigned char>(png[at]) << 24) |
           (static_cast<unsigned char>(png[at + 1]) << 16) |
           (static_cast<unsigned char>(png[at + 2]) << 8) | static_cast<unsigned char>(png[at + 3]);
  };
  picture.width = static_cast<int>(be32(16));
  picture.height = static_cast<int>(be32(20));
  mediateka::test::write_file(folder / "page.png", png);
  EXPECT_TRUE(mediateka::test::run(
      "ffmpeg -v error -y -i " + mediateka::test::quoted(folder / "page.png") +
      " -f rawvideo -pix_fmt rgb24 " + mediateka::test::quoted(folder / "page.rgb")));
  picture.rgb = mediateka::test::read_file(folder / "page.rgb");
  EXPECT_EQ(picture.rgb.size(), static_cast<std::size_t>(picture.width) * picture.height * 3);
  return picture;
}

// Two pages: "Ośrodek pomocy społecznej" and "Rodzina i pomoc" on the first, 24 pt; the
// script prints where each word is, in points from the top left corner.
std::string pages_script(const fs::path& pdf) {
  return R"(# -*- coding: utf-8 -*-
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
pdfmetrics.registerFont(TTFont('DejaVu', ')" +
         std::string(kDejaVu) + R"('))
c = canvas.Canvas(')" +
         pdf.string() + R"(', pagesize=(612, 792), invariant=1)
out = open(')" +
         (pdf.parent_path() / "words.txt").string() + R"(', 'w')
def line(x, y, words):
    for word in words.split(' '):
        w = pdfmetrics.stringWidth(word, 'DejaVu', 24)
        out.write('%s %f %f %f %f\n' % (word, x, 792 - y - 24 * 0.76, x + w, 792 - y + 24 * 0.24))
        c.drawString(x, y, word)
        x += w + pdfmetrics.stringWidth(' ', 'DejaVu', 24)
c.setFont('DejaVu', 24)
line(72, 700, 'Ośrodek pomocy społecznej')
line(72, 500, 'Rodzina i pomoc')
c.showPage()
c.setFont('DejaVu', 24)
line(72, 700, 'Strona druga bez szukanych słów')
c.showPage()
c.save()
out.close()
)";
}

class PageImages : public ::testing::Test {
 protected:
  void SetUp() override {
    if (mediateka::test::python_with_reportlab().empty() || !fs::exists(kDejaVu) ||
        !mediateka::test::tool_available("ffmpeg"))
      GTEST_SKIP() << "python3-reportlab, fonts-dejavu-core or ffmpeg is not installed";
    const fs::path pdf = files_.path() / "poradnik.pdf";
    ASSERT_TRUE(mediateka::test::run_python(files_.path(), pages_script(pdf)));
    std::ifstream words(files_.path() / "words.txt");
    std::string word;
    double left, top, right, bottom;
    const double scale = 1000.0 / 612.0;  // pixels per point at the page images' width
    while (words >> word >> left >> top >> right >> bottom) {
      boxes_[word] = Box{static_cast<int>(left * scale), static_cast<int>(top * scale),
                         static_cast<int>(right * scale) + 1, static_cast<int>(bottom * scale) + 1};
    }
    ASSERT_EQ(boxes_.size(), 11u);

    auto open = make_item("pub000000010", ItemType::publication, "Poradnik z obrazami", 2015, {});
    open.source.mime = "application/pdf";
    open.source.file = pdf.string();
    open.pages = 2;
    open.segments = {page(1, "Ośrodek pomocy społecznej\nRodzina i pomoc"),
                     page(2, "Strona druga bez szukanych słów")};
    auto closed = open;
    closed.id = "pub000000011";
    closed.title = "Poradnik zastrzezony";
    closed.access = {"gmina"};
    closed.source.checksum = "checksum-closed";
    served_ = std::make_unique<ServedIndex>(std::vector<Item>{open, closed},
                                            std::vector<std::string>{"gmina"});
    ASSERT_NE(served_->port(), 0);
  }

  TemporaryFolder files_{"mediateka-pages-", mediateka::test::FolderPath::canonical};
  std::map<std::string, Box> boxes_;
  std::unique_ptr<ServedIndex> served_;
};

TEST_F(PageImages, SearchedWordsAreMarkedWhereTheyAre) {
  const auto response = fetch(served_->port(), "/i/poradnik-z-obrazami/strony/1.png?q=pomocy");
  ASSERT_EQ(response.status, 200) << response.body.substr(0, 500);
  EXPECT_EQ(response.header("content-type"), "image/png");
  const Picture picture = decode_png(files_.path(), response.body);
  EXPECT_EQ(picture.width, 1000);
  EXPECT_EQ(picture.height, 1294);  // 792 pt at 1000/612 px a point
  // "pomocy" and, through its lemma, "pomoc" are marked over most of their boxes.
  for (const char* word : {"pomocy", "pomoc"}) {
    const Box& box = boxes_.at(word);
    const std::size_t area =
        static_cast<std::size_t>(box.right - box.left) * (box.bottom - box.top);
    EXPECT_GT(picture.marked_in(box), area / 2) << word;
  }
  // Other words are not, nor anything else on the page.
  for (const char* word : {"Ośrodek", "społecznej", "Rodzina", "i"})
    EXPECT_EQ(picture.marked_in(boxes_.at(word)), 0u) << word;
  std::size_t marked = 0;
  for (int y = 0; y < picture.height; ++y)
    for (int x = 0; x < picture.width; ++x) marked += picture.marked(x, y);
  const auto grown = [](Box box) {
    return Box{box.left - 6, box.top - 6, box.right + 6, box.bottom + 6};
  };
  EXPECT_EQ(marked, picture.marked_in(grown(boxes_.at("pomocy"))) +
                        picture.marked_in(grown(boxes_.at("pomoc"))));

  // Without q nothing is marked.
  const auto plain = fetch(served_->port(), "/i/poradnik-z-obrazami/strony/1.png");
  ASSERT_EQ(plain.status, 200);
  const Picture unmarked = decode_png(files_.path(), plain.body);
  EXPECT_EQ(unmarked.marked_in(Box{0, 0, unmarked.width, unmarked.height}), 0u);
}

TEST_F(PageImages, PagesOutsideTheDocumentAre404) {
  for (const char* target :
       {"/i/poradnik-z-obrazami/strony/0.png", "/i/poradnik-z-obrazami/strony/3.png",
        "/i/poradnik-z-obrazami/strony/abc.png", "/i/poradnik-z-obrazami/strony/01.png",
        "/i/poradnik-z-obrazami/strony/99999999.png", "/i/nie-ma-takiego/strony/1.png"}) {
    EXPECT_EQ(fetch(served_->port(), target).status, 404) << target;
  }
  EXPECT_EQ(fetch(served_->port(), "/i/poradnik-z-obrazami/strony/2.png").status, 200);
}

TEST_F(PageImages, RenderedPagesAreCachedAndReused) {
  const std::string target = "/i/poradnik-z-obrazami/strony/2.png?q=druga";
  const auto first = fetch(served_->port(), target);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.header("x-page-cache"), "miss");
  const fs::path cache = served_->folder() / "index-pages" / "pub000000010";
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(cache)) files.push_back(entry.path());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(mediateka::test::read_file(files.front()), first.body);

  // The second answer is the file in the cache, as it is there.
  std::string altered = first.body;
  altered.append("cached");
  mediateka::test::write_file(files.front(), altered);
  const auto second = fetch(served_->port(), target);
  EXPECT_EQ(second.header("x-page-cache"), "hit");
  EXPECT_EQ(second.body, altered);
  // The same words written otherwise are the same picture; its validator answers 304.
  EXPECT_EQ(fetch(served_->port(), "/i/poradnik-z-obrazami/strony/2.png?q=Druga").body, altered);
  const auto again =
      fetch(served_->port(), target, "If-None-Match: " + first.header("etag") + "\r\n");
  EXPECT_EQ(again.status, 304);
}

TEST_F(PageImages, RestrictedPublicationsAre404ForOthers) {
  EXPECT_EQ(fetch(served_->port(), "/i/poradnik-zastrzezony-pub000000011/strony/1.png").status,
            404);
  const auto allowed = fetch(served_->port(), "/i/poradnik-zastrzezony-pub000000011/strony/1.png",
                             "Authorization: Bearer " + served_->token() + "\r\n");
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(allowed.header("cache-control"), "private, no-store");
}

TEST_F(PageImages, ItemPageShowsThePageWithItsNeighboursAndText) {
  const auto page = fetch(served_->port(), "/i/poradnik-z-obrazami?q=pomocy");
  EXPECT_HAS(page,
             "<img src=\"/i/poradnik-z-obrazami/strony/1.png?q=pomocy\" alt=\"Strona 1 z 2 "
             "dokumentu Poradnik z obrazami. Jej tekst jest niżej, pod obrazem.\" "
             "aria-describedby=\"tekst-strony\">");
  EXPECT_HAS(page, "<a rel=\"next\" href=\"/i/poradnik-z-obrazami?page=2&amp;q=pomocy\">");
  EXPECT_LACKS(page, "rel=\"prev\"");
  EXPECT_HAS(page, "<a href=\"/files/pub000000010\" download>Pobierz PDF</a>");
  EXPECT_HAS(page, "<div id=\"tekst-strony\"><p>Ośrodek pomocy społecznej\nRodzina i pomoc</p>");
  const auto second = fetch(served_->port(), "/i/poradnik-z-obrazami?page=2");
  EXPECT_HAS(second, "<a rel=\"prev\" href=\"/i/poradnik-z-obrazami?page=1\">");
  EXPECT_LACKS(second, "rel=\"next\"");
}

// A scanned page has no text layer: its words are found by OCR and marked all the same.
TEST(ScannedPageImages, WordsReadByOcrAreMarked) {
  if (mediateka::test::python_with_reportlab().empty() || !fs::exists(kDejaVu) ||
      !mediateka::test::tool_available("ffmpeg") || !mediateka::test::tool_available("pdftoppm") ||
      !mediateka::media::ocr_setup_problem(mediateka::OcrSettings{}).empty())
    GTEST_SKIP() << "reportlab, DejaVu, ffmpeg, pdftoppm or Tesseract's Polish data is missing";
  TemporaryFolder files("mediateka-scan-", mediateka::test::FolderPath::canonical);
  fs::path pdf, png;
  ASSERT_TRUE(mediateka::test::make_scanned_pdf(files.path(), pdf, png));
  auto scan = make_item("pub000000020", ItemType::publication, "Sprawozdanie skan", 2008, {});
  scan.source.mime = "application/pdf";
  scan.source.file = pdf.string();
  scan.pages = 2;
  scan.ocr_pages = {2};
  ServedIndex served({scan});
  ASSERT_NE(served.port(), 0);

  const auto marked = fetch(served.port(), "/i/sprawozdanie-skan/strony/2.png?q=pomocy");
  ASSERT_EQ(marked.status, 200) << marked.body.substr(0, 300);
  const Picture picture = decode_png(files.path(), marked.body);
  // "ośrodka pomocy społecznej" is the scan's second line (of three, 30 pt apart): its middle
  // about 146 pt below the top of the 842 pt (A4) page.
  long long rows = 0, count = 0;
  for (int y = 0; y < picture.height; ++y)
    for (int x = 0; x < picture.width; ++x)
      if (picture.marked(x, y)) {
        rows += y;
        ++count;
      }
  ASSERT_GT(count, 300) << "no word is marked on the scan";
  const double line = 146.0 / 842.0 * picture.height, gap = 30.0 / 842.0 * picture.height;
  const double middle = static_cast<double>(rows) / static_cast<double>(count);
  EXPECT_GT(middle, line - gap) << "the marks are above the line of 'pomocy'";
  EXPECT_LT(middle, line + gap / 2) << "the marks are below the line of 'pomocy'";
  EXPECT_GT(middle, line - gap / 2) << "the marks are above the line of 'pomocy'";

  const auto other = fetch(served.port(), "/i/sprawozdanie-skan/strony/2.png?q=telewizja");
  ASSERT_EQ(other.status, 200);
  const Picture unmarked = decode_png(files.path(), other.body);
  EXPECT_EQ(unmarked.marked_in(Box{0, 0, unmarked.width, unmarked.height}), 0u);
}

TEST(PageImageCache, TrimsTheLeastRecentlyUsedToItsBound) {
  TemporaryFolder folder;
  mediateka::server::PageImageCache cache(folder.path(), 10000);
  std::vector<fs::path> paths;
  for (int page = 1; page <= 6; ++page) {
    paths.push_back(cache.path_for("pub000000001", page, "abc"));
    mediateka::test::write_file(paths.back(), std::string(3000, 'x'));
    fs::last_write_time(paths.back(),
                        fs::file_time_type::clock::now() - std::chrono::hours(10 - page));
  }
  mediateka::server::PageImageCache::touch(paths[0]);  // the first was just used again
  EXPECT_LE(cache.trim(), 8000u);
  EXPECT_TRUE(fs::exists(paths[0]));
  EXPECT_FALSE(fs::exists(paths[1]));
  EXPECT_FALSE(fs::exists(paths[2]));
  EXPECT_FALSE(fs::exists(paths[3]));
  EXPECT_TRUE(fs::exists(paths[5]));
}

// --- running lines of short documents -------------------------------------------------------

TEST(ShortDocuments, PageNumbersAreKeptOutOfTheText) {
  if (mediateka::test::python_with_reportlab().empty() || !fs::exists(kDejaVu))
    GTEST_SKIP() << "python3-reportlab or fonts-dejavu-core is not installed";
  TemporaryFolder folder;
  const fs::path pdf = folder.path() / "krotki.pdf";
  ASSERT_TRUE(mediateka::test::run_python(folder.path(), R"(# -*- coding: utf-8 -*-
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
pdfmetrics.registerFont(TTFont('DejaVu', ')" + std::string(kDejaVu) +
                                                             R"('))
c = canvas.Canvas(')" + pdf.string() + R"(', invariant=1)
for number in (1, 2):
    c.setFont('DejaVu', 12)
    c.drawString(72, 720, 'Ośrodek pomocy społecznej zaprasza na szkolenie %d.' % number)
    c.drawString(72, 700, 'Zajęcia odbywają się w każdy wtorek.')
    c.drawString(72, 680, 'Zapisy przyjmuje sekretariat.')
    c.drawString(280, 40, 'Strona %d z 2' % number)
    c.showPage()
c.setFont('DejaVu', 12)
c.save()
)"));
  const auto extraction = mediateka::media::extract_file(pdf);
  ASSERT_EQ(extraction.segments.size(), 2u);
  for (const auto& segment : extraction.segments) {
    EXPECT_EQ(segment.text.find("Strona"), std::string::npos) << segment.text;
    EXPECT_NE(segment.text.find("Zapisy przyjmuje"), std::string::npos) << segment.text;
  }

  // A lone page number at the foot of a one-page document too.
  const fs::path single = folder.path() / "jedna.pdf";
  ASSERT_TRUE(mediateka::test::run_python(folder.path(), R"(# -*- coding: utf-8 -*-
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
pdfmetrics.registerFont(TTFont('DejaVu', ')" + std::string(kDejaVu) +
                                                             R"('))
c = canvas.Canvas(')" + single.string() + R"(', invariant=1)
c.setFont('DejaVu', 12)
c.drawString(72, 720, 'Ogłoszenie o naborze wolontariuszy.')
c.drawString(72, 700, 'Spotkanie odbędzie się w sali nr 12.')
c.drawString(72, 680, 'Rok 2014 był rokiem wolontariatu.')
c.drawString(300, 40, '1')
c.showPage()
c.save()
)"));
  const auto one = mediateka::media::extract_file(single);
  ASSERT_EQ(one.segments.size(), 1u);
  const std::string& text = one.segments.front().text;
  EXPECT_NE(text.find("sali nr 12"), std::string::npos) << text;
  EXPECT_NE(text.find("Rok 2014"), std::string::npos) << text;
  EXPECT_EQ(text.find("\n1"), std::string::npos) << text;
  EXPECT_NE(text.back(), '1') << text;
}

}  // namespace
