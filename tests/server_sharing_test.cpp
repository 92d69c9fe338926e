// Harvesting by search engines and sharing, over real HTTP: the sitemap (and its index past the
// limit), robots.txt, the Atom feed of a search, schema.org JSON-LD and citation_* tags on item
// pages, clip links (?t=START,END) and the embed page, the one page other sites may frame.
// The XML is read by standard parsers: xmllint (libxml2-utils) and Python's feedparser.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "api/api_error.h"
#include "api/item_metadata.h"
#include "archive/item.h"
#include "archive/searcher.h"
#include "archive/text/vocabulary.h"
#include "harvest/feed.h"
#include "harvest/sitemap.h"
#include "harvest/xml_text.h"
#include "http/clip_range.h"
#include "server_test_support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace mediateka::test;
using mediateka::ItemType;
using Headers = std::vector<std::pair<std::string, std::string>>;

HttpResponse send(int port, const std::string& target, const Headers& headers = {}) {
  std::string raw = "GET " + target + " HTTP/1.1\r\nConnection: close\r\n";
  bool host = false;
  for (const auto& [name, value] : headers) {
    raw += name + ": " + value + "\r\n";
    host = host || name == "Host";
  }
  if (!host) raw += "Host: 127.0.0.1\r\n";
  auto responses = parse_responses(exchange(port, raw + "\r\n", std::chrono::seconds(10), 1));
  if (responses.empty()) {
    ADD_FAILURE() << "no response to GET " << target;
    return {};
  }
  return responses.front();
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// xmllint's verdict on `xml`: "" when well-formed, else what it says.
std::string xmllint(const fs::path& folder, const std::string& name, const std::string& xml) {
  const fs::path file = folder / name, report = folder / (name + ".lint");
  write_file(file, xml);
  const int status =
      std::system(("xmllint --noout '" + file.string() + "' 2>'" + report.string() + "'").c_str());
  return status == 0 ? std::string() : "xmllint failed: " + read_file(report);
}

// The JSON-LD of an HTML page (its one <script type="application/ld+json">), parsed.
json json_ld_of(const std::string& html) {
  std::smatch match;
  static const std::regex script(R"re(<script type="application/ld\+json">([^<]*)</script>)re");
  if (!std::regex_search(html, match, script)) {
    ADD_FAILURE() << "no JSON-LD in the page";
    return json();
  }
  return json::parse(match[1].str());
}

std::string meta_content(const std::string& html, const std::string& name) {
  std::smatch match;
  if (!std::regex_search(html, match,
                         std::regex("<meta name=\"" + name + "\" content=\"([^\"]*)\">")))
    return "\x01 absent";
  return match[1];
}

std::vector<mediateka::Item> archive_items() {
  auto publication = make_item("pub000000001", ItemType::publication, "Poradnik pomocy społecznej",
                               2011, {"Aktywna integracja"}, "",
                               {page(1, "Wprowadzenie do pomocy społecznej w gminie")}, "05-14");
  publication.pages = 48;
  publication.source.mime = "application/pdf";
  publication.source.size = 123456;
  publication.authors = {"Anna Nowak", "Jan Kowalski"};
  publication.description = "Jak działa ośrodek <pomocy> & co robi.";

  auto bulletin =
      make_item("bul000000001", ItemType::bulletin, "Biuletyn Integracja 3/2012", 2012,
                {"Aktywna integracja"}, "", {page(1, "Biuletyn o integracji")}, "03-01");
  bulletin.series = "Biuletyn Integracja";
  bulletin.issue = "3/2012";
  bulletin.pages = 12;
  bulletin.source.mime = "application/pdf";

  auto film = make_item("film00000001", ItemType::film, "Spółdzielnie socjalne w praktyce", 2013,
                        {"Ekonomia społeczna"}, "",
                        {cue(0, 5, "Dzień dobry państwu"),
                         cue(93.5, 97.0, "spółdzielnie socjalne dają pracę </script> bezrobotnym")},
                        "05-14");
  film.duration_s = 912.4;
  film.source.mime = "video/mp4";
  film.chapters = {{"Wstęp", 0, 0}, {"Rozmowa z prezesem", 90, 0}};

  auto radio = make_item("radio0000001", ItemType::radio, "Rozmowa o wolontariacie", 2014,
                         {"Wolontariat"}, "", {cue(10, 14, "wolontariat w domu kultury")}, "07-02");
  radio.source.mime = "audio/mpeg";

  auto restricted = make_item("secret000001", ItemType::publication, "Raport dla partnerów", 2015,
                              {"Aktywna integracja"}, "", {page(1, "Poufne wyniki")}, "01-10");
  restricted.access = {"some-group"};
  restricted.source.mime = "application/pdf";
  return {publication, bulletin, film, radio, restricted};
}

class ServerSharing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The test's requests come "through a proxy" (127.0.0.1 trusted): X-Forwarded-Proto counts.
    served_ = std::make_unique<ServedIndex>(archive_items(), std::vector<std::string>{"some-group"},
                                            std::vector<std::string>{"127.0.0.1"});
  }
  static void TearDownTestSuite() { served_.reset(); }
  void SetUp() override { ASSERT_TRUE(served_ && port() > 0) << "the server did not start"; }

  static int port() { return served_->port(); }
  static std::string slug_of(const std::string& id) {
    return send(port(), "/api/items/" + id).json_body()["slug"];
  }

  inline static std::unique_ptr<ServedIndex> served_;
};

const Headers kProxied = {{"Host", "archiwum.example.org"}, {"X-Forwarded-Proto", "https"}};

// --- the sitemap --------------------------------------------------------------------------------

TEST_F(ServerSharing, SitemapListsEveryPublicItemPageWithLastmod) {
  const HttpResponse response = send(port(), "/sitemap.xml", kProxied);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/xml; charset=utf-8");
  EXPECT_EQ(xmllint(served_->folder(), "sitemap.xml", response.body), "");
  EXPECT_NE(response.body.find("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"),
            std::string::npos);
  for (const char* id : {"pub000000001", "bul000000001", "film00000001", "radio0000001"}) {
    EXPECT_NE(response.body.find("<loc>https://archiwum.example.org/i/" + slug_of(id) + "</loc>"),
              std::string::npos)
        << id << "\n"
        << response.body;
  }
  EXPECT_EQ(count_of(response.body, "<url>"), 4u);
  EXPECT_EQ(count_of(response.body, "<lastmod>"), 4u);
  EXPECT_TRUE(std::regex_search(
      response.body, std::regex("<lastmod>20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"
                                "</lastmod>")));
  EXPECT_EQ(response.body.find("raport-dla-partnerow"), std::string::npos);
  EXPECT_EQ(response.body.find("secret000001"), std::string::npos);

  // Without the proxy's header the URLs are http; a token holder sees the items of the group.
  EXPECT_NE(send(port(), "/sitemap.xml").body.find("<loc>http://127.0.0.1/i/"), std::string::npos);
  const HttpResponse holder =
      send(port(), "/sitemap.xml", {{"Authorization", "Bearer " + served_->token()}});
  EXPECT_EQ(count_of(holder.body, "<url>"), 5u);
  EXPECT_EQ(holder.header("cache-control"), "private, no-store");
}

TEST_F(ServerSharing, SitemapFilesAreNumberedFromOne) {
  const HttpResponse first = send(port(), "/sitemap-1.xml");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(count_of(first.body, "<url>"), 4u);
  EXPECT_EQ(send(port(), "/sitemap-2.xml").status, 404);
  EXPECT_EQ(send(port(), "/sitemap-0.xml").status, 404);
  EXPECT_EQ(send(port(), "/sitemap-x.xml").status, 404);
  EXPECT_EQ(send(port(), "/sitemap-.xml").status, 404);
}

// 50,000 items would be a slow test: the limit is a parameter of the same code.
TEST_F(ServerSharing, PastTheLimitTheSitemapIsAnIndexOfFilesThatTogetherListEveryItem) {
  EXPECT_EQ(mediateka::server::sitemap_file_count(0, 50000), 1u);
  EXPECT_EQ(mediateka::server::sitemap_file_count(50000, 50000), 1u);
  EXPECT_EQ(mediateka::server::sitemap_file_count(50001, 50000), 2u);
  EXPECT_EQ(mediateka::server::sitemap_file_count(100000, 50000), 2u);

  mediateka::Vocabulary vocabulary;
  mediateka::Searcher searcher({served_->db().string()}, vocabulary);
  const std::string origin = "https://archiwum.example.org";
  const auto index = mediateka::server::sitemap_response(searcher, {}, origin, std::nullopt, 3);
  EXPECT_EQ(xmllint(served_->folder(), "index.xml", index.body), "");
  EXPECT_NE(index.body.find("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"),
            std::string::npos);
  EXPECT_EQ(count_of(index.body, "<sitemap>"), 2u);
  EXPECT_NE(index.body.find("<loc>" + origin + "/sitemap-1.xml</loc>"), std::string::npos);
  EXPECT_NE(index.body.find("<loc>" + origin + "/sitemap-2.xml</loc>"), std::string::npos);

  std::multiset<std::string> listed;
  for (std::size_t file = 1; file <= 2; ++file) {
    const auto page = mediateka::server::sitemap_response(searcher, {}, origin, file, 3);
    EXPECT_EQ(xmllint(served_->folder(), "page" + std::to_string(file) + ".xml", page.body), "");
    EXPECT_EQ(count_of(page.body, "<url>"), file == 1 ? 3u : 1u);
    static const std::regex loc("<loc>([^<]+)</loc>");
    for (std::sregex_iterator it(page.body.begin(), page.body.end(), loc), end; it != end; ++it)
      listed.insert((*it)[1]);
  }
  EXPECT_EQ(listed.size(), 4u);
  EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()).size(), 4u);  // none twice
  EXPECT_THROW(mediateka::server::sitemap_response(searcher, {}, origin, 3, 3),
               mediateka::server::ApiError);
}

TEST_F(ServerSharing, RobotsTxtNamesTheSitemap) {
  const HttpResponse response = send(port(), "/robots.txt", kProxied);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_NE(response.body.find("User-agent: *\n"), std::string::npos);
  EXPECT_NE(response.body.find("Disallow: /api/\n"), std::string::npos);
  EXPECT_NE(response.body.find("\nSitemap: https://archiwum.example.org/sitemap.xml\n"),
            std::string::npos);
  EXPECT_EQ(response.body.find("Disallow: /i/"), std::string::npos);
}

// --- the feed -----------------------------------------------------------------------------------

// feedparser's reading (Debian's python3-feedparser, so /usr/bin/python3) of `xml`: {"bozo",
// "version", "title", "entries": [{"id", "title", "link", "updated", "summary"}]}.
json parsed_feed(const fs::path& folder, const std::string& xml) {
  const fs::path file = folder / "feed.xml", script = folder / "read_feed.py",
                 out = folder / "feed.json";
  write_file(file, xml);
  write_file(script,
             "import feedparser, json, sys\n"
             "d = feedparser.parse(sys.argv[1])\n"
             "print(json.dumps({'bozo': int(bool(d.bozo)), 'error': str(d.get('bozo_exception', "
             "'')), 'version': d.version, 'title': d.feed.get('title'), 'id': d.feed.get('id'),\n"
             "  'updated': d.feed.get('updated'), 'entries': [{'id': e.get('id'), 'title': "
             "e.get('title'), 'link': e.get('link'), 'updated': e.get('updated'), 'summary': "
             "e.get('summary')} for e in d.entries]}))\n");
  const int status = std::system(
      ("/usr/bin/python3 '" + script.string() + "' '" + file.string() + "' >'" + out.string() + "'")
          .c_str());
  if (status != 0) {
    ADD_FAILURE() << "python3 feedparser failed";
    return json();
  }
  return json::parse(read_file(out));
}

TEST_F(ServerSharing, FeedIsAtomOfTheNewestPublicItems) {
  const HttpResponse response = send(port(), "/feed", kProxied);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.header("content-type"), "application/atom+xml; charset=utf-8");
  EXPECT_EQ(xmllint(served_->folder(), "feed-lint.xml", response.body), "");
  const json feed = parsed_feed(served_->folder(), response.body);
  ASSERT_TRUE(feed.is_object());
  EXPECT_EQ(feed["bozo"], 0) << feed["error"];
  EXPECT_EQ(feed["version"], "atom10");
  EXPECT_EQ(feed["id"], "https://archiwum.example.org/feed");
  ASSERT_EQ(feed["entries"].size(), 4u) << response.body;
  // Newest first, by date: radio 2014, film 2013, bulletin 2012, publication 2011.
  std::vector<std::string> links;
  for (const json& entry : feed["entries"]) {
    links.push_back(entry["link"]);
    EXPECT_EQ(entry["id"], entry["link"]);
    EXPECT_FALSE(entry["updated"].get<std::string>().empty());
  }
  EXPECT_EQ(links, (std::vector<std::string>{
                       "https://archiwum.example.org/i/" + slug_of("radio0000001"),
                       "https://archiwum.example.org/i/" + slug_of("film00000001"),
                       "https://archiwum.example.org/i/" + slug_of("bul000000001"),
                       "https://archiwum.example.org/i/" + slug_of("pub000000001")}));
  EXPECT_EQ(feed["entries"][3]["title"], "Poradnik pomocy społecznej");
  // The summary is HTML: the description's text, escaped.
  EXPECT_EQ(feed["entries"][3]["summary"], "Jak działa ośrodek &lt;pomocy&gt; &amp; co robi.");
  EXPECT_EQ(response.body.find("secret000001"), std::string::npos);
  EXPECT_EQ(response.body.find("Raport dla partnerów"), std::string::npos);

  // A token holder's feed has the group's item, and no cache keeps it.
  const HttpResponse holder =
      send(port(), "/feed", {{"Authorization", "Bearer " + served_->token()}});
  EXPECT_NE(holder.body.find("Raport dla partnerów"), std::string::npos);
  EXPECT_EQ(holder.header("cache-control"), "private, no-store");
}

TEST_F(ServerSharing, FeedTakesTheSearchParameters) {
  const HttpResponse response = send(port(), "/feed?q=wolontariat&type=radio");
  ASSERT_EQ(response.status, 200) << response.body;
  const json feed = parsed_feed(served_->folder(), response.body);
  EXPECT_EQ(feed["bozo"], 0) << feed["error"];
  ASSERT_EQ(feed["entries"].size(), 1u);
  EXPECT_EQ(feed["entries"][0]["title"], "Rozmowa o wolontariacie");
  EXPECT_EQ(feed["id"], "http://127.0.0.1/feed?q=wolontariat&type=radio");
  // The snippet is the summary when there is no description (feedparser drops its <mark>).
  EXPECT_NE(response.body.find("<summary type=\"html\">&lt;mark&gt;wolontariat&lt;/mark&gt; w domu "
                               "kultury</summary>"),
            std::string::npos)
      << response.body;
  EXPECT_EQ(feed["entries"][0]["summary"], "wolontariat w domu kultury");

  const json oldest =
      parsed_feed(served_->folder(), send(port(), "/feed?sort=oldest&per_page=1").body);
  ASSERT_EQ(oldest["entries"].size(), 1u);
  EXPECT_EQ(oldest["entries"][0]["title"], "Poradnik pomocy społecznej");

  EXPECT_EQ(send(port(), "/feed?per_page=0").status, 400);
  EXPECT_EQ(send(port(), "/feed?sort=sideways").status, 400);
  // Nothing found is still a feed.
  const json none = parsed_feed(served_->folder(), send(port(), "/feed?q=zzzyzx").body);
  EXPECT_EQ(none["bozo"], 0);
  EXPECT_EQ(none["entries"].size(), 0u);
}

// --- what item pages tell machines --------------------------------------------------------------

TEST_F(ServerSharing, PublicationPageHasBookJsonLdAndCitationTags) {
  const HttpResponse response = send(port(), "/i/" + slug_of("pub000000001"), kProxied);
  ASSERT_EQ(response.status, 200);
  const json ld = json_ld_of(response.body);
  EXPECT_EQ(ld["@context"], "https://schema.org");
  EXPECT_EQ(ld["@type"], "Book");
  EXPECT_EQ(ld["name"], "Poradnik pomocy społecznej");
  EXPECT_EQ(ld["url"], "https://archiwum.example.org/i/poradnik-pomocy-spolecznej");
  EXPECT_EQ(ld["author"][1]["name"], "Jan Kowalski");
  EXPECT_EQ(ld["numberOfPages"], 48);
  EXPECT_EQ(ld["datePublished"], "2011-05-14");
  EXPECT_EQ(ld["description"], "Jak działa ośrodek <pomocy> & co robi.");
  EXPECT_EQ(ld["encoding"]["contentUrl"], "https://archiwum.example.org/files/pub000000001");

  const std::string& html = response.body;
  EXPECT_EQ(meta_content(html, "citation_title"), "Poradnik pomocy społecznej");
  EXPECT_EQ(count_of(html, "<meta name=\"citation_author\""), 2u);
  EXPECT_EQ(meta_content(html, "citation_author"), "Anna Nowak");
  EXPECT_EQ(meta_content(html, "citation_publication_date"), "2011/05/14");
  EXPECT_EQ(meta_content(html, "citation_pdf_url"),
            "https://archiwum.example.org/files/pub000000001");
  EXPECT_EQ(meta_content(html, "citation_language"), "pl");
  // Open Graph stays.
  EXPECT_NE(html.find("<meta property=\"og:title\" content=\"Poradnik pomocy społecznej\">"),
            std::string::npos);
}

TEST_F(ServerSharing, BulletinPageIsAPublicationIssue) {
  const HttpResponse response = send(port(), "/i/" + slug_of("bul000000001"));
  const json ld = json_ld_of(response.body);
  EXPECT_EQ(ld["@type"], "PublicationIssue");
  EXPECT_EQ(ld["issueNumber"], "3/2012");
  EXPECT_EQ(ld["isPartOf"]["@type"], "Periodical");
  EXPECT_EQ(ld["isPartOf"]["name"], "Biuletyn Integracja");
  EXPECT_EQ(meta_content(response.body, "citation_journal_title"), "Biuletyn Integracja");
  EXPECT_EQ(meta_content(response.body, "citation_issue"), "3/2012");
}

TEST_F(ServerSharing, RecordingPagesAreVideoAndAudioObjectsWithTheirTranscript) {
  const HttpResponse film = send(port(), "/i/" + slug_of("film00000001"), kProxied);
  const json video = json_ld_of(film.body);
  EXPECT_EQ(video["@type"], "VideoObject");
  EXPECT_EQ(video["duration"], "PT15M12S");
  EXPECT_EQ(video["contentUrl"], "https://archiwum.example.org/files/film00000001");
  EXPECT_EQ(video["embedUrl"],
            "https://archiwum.example.org/i/spoldzielnie-socjalne-w-praktyce/embed");
  EXPECT_EQ(video["transcript"],
            "Dzień dobry państwu\nspółdzielnie socjalne dają pracę </script> bezrobotnym");
  EXPECT_EQ(video["hasPart"][1]["name"], "Rozmowa z prezesem");
  EXPECT_EQ(video["hasPart"][1]["startOffset"], 90);
  EXPECT_EQ(video["uploadDate"], "2013-05-14");
  // Not for citation managers: no citation_* tags.
  EXPECT_EQ(film.body.find("citation_"), std::string::npos);

  const json audio = json_ld_of(send(port(), "/i/" + slug_of("radio0000001")).body);
  EXPECT_EQ(audio["@type"], "AudioObject");
  EXPECT_EQ(audio["transcript"], "wolontariat w domu kultury");
}

// --- clips and the embed ------------------------------------------------------------------------

TEST(ClipRange, ReadsAMomentOrARange) {
  using mediateka::server::parse_clip_range;
  using mediateka::server::QueryParameters;
  const auto clip = [](const std::string& query) {
    return parse_clip_range(QueryParameters::parse(query));
  };
  EXPECT_EQ(clip("t=93")->start, 93);
  EXPECT_FALSE(clip("t=93")->end);
  EXPECT_EQ(clip("t=1:30,2:05")->start, 90);
  EXPECT_EQ(*clip("t=1:30,2:05")->end, 125);
  EXPECT_EQ(*clip("t=1:00:00%2C1:00:30.5")->end, 3630.5);
  EXPECT_EQ(clip("t=10,5")->start, 10);  // an end before the start is dropped
  EXPECT_FALSE(clip("t=10,5")->end);
  EXPECT_FALSE(clip("t=10,"));
  EXPECT_FALSE(clip("t=,10"));
  EXPECT_FALSE(clip("t=a,b"));
  EXPECT_FALSE(clip("t=1,2,3"));
  EXPECT_FALSE(clip(""));
  EXPECT_EQ(mediateka::server::media_fragment({93.5, 97.25}), "#t=93,97.25");
  EXPECT_EQ(mediateka::server::iso_duration(3605), "PT1H0M5S");
  EXPECT_EQ(mediateka::server::iso_duration(0), "PT0S");
  EXPECT_EQ(mediateka::server::xml_escaped("a&<b>\"'\x01\tc"), "a&amp;&lt;b&gt;&quot;&#39;\tc");
}

TEST_F(ServerSharing, ClipLinkStartsAndEndsThePlayerAndFillsTheShareControls) {
  const std::string film = "/i/" + slug_of("film00000001");
  const HttpResponse clip = send(port(), film + "?t=1:34,1:40");
  ASSERT_EQ(clip.status, 200);
  EXPECT_NE(
      clip.body.find("src=\"/files/film00000001#t=94,100\" data-start=\"94\" data-end=\"100\""),
      std::string::npos)
      << clip.body;
  EXPECT_NE(clip.body.find("<fieldset class=\"share\" id=\"udostepnij\" hidden>"),
            std::string::npos);
  EXPECT_NE(clip.body.find("<label for=\"fragment-od\">Początek</label>"), std::string::npos);
  EXPECT_NE(clip.body.find("id=\"fragment-od\" inputmode=\"numeric\" autocomplete=\"off\" "
                           "size=\"8\" aria-describedby=\"fragment-pomoc\" value=\"01:34\""),
            std::string::npos);
  EXPECT_NE(clip.body.find("value=\"01:40\""), std::string::npos);
  // The cue at the start is marked, as for a moment.
  EXPECT_NE(clip.body.find("class=\"current\" aria-current=\"true\">"), std::string::npos);

  const HttpResponse backwards = send(port(), film + "?t=100,90");
  EXPECT_NE(backwards.body.find("src=\"/files/film00000001#t=100\" data-start=\"100\">"),
            std::string::npos);
  EXPECT_EQ(send(port(), film + "?t=xx,90").body.find("#t="), std::string::npos);
}

TEST_F(ServerSharing, OnlyTheEmbedMayBeFramedByOtherSites) {
  const std::string film = "/i/" + slug_of("film00000001");
  const HttpResponse embed = send(port(), film + "/embed?t=5,10");
  ASSERT_EQ(embed.status, 200) << embed.body;
  EXPECT_EQ(embed.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(embed.header("content-security-policy").find("frame-ancestors *"), std::string::npos);
  EXPECT_FALSE(embed.has("x-frame-options"));
  const std::string& html = embed.body;
  EXPECT_NE(html.find("<html lang=\"pl\">"), std::string::npos);
  EXPECT_NE(html.find("<title>Spółdzielnie socjalne w praktyce – Mediateka</title>"),
            std::string::npos);
  EXPECT_NE(html.find("<meta name=\"robots\" content=\"noindex\">"), std::string::npos);
  EXPECT_NE(html.find("<video id=\"odtwarzacz\" class=\"media\" controls preload=\"metadata\" "
                      "src=\"/files/film00000001#t=5,10\" data-start=\"5\" data-end=\"10\">"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<track kind=\"captions\" srclang=\"pl\""), std::string::npos);
  EXPECT_NE(html.find("<a href=\"" + film + "\" target=\"_blank\" rel=\"noopener\">"),
            std::string::npos);
  EXPECT_NE(html.find("<main"), std::string::npos);
  EXPECT_EQ(html.find("site-header"), std::string::npos);  // no navigation: the player alone

  const HttpResponse audio = send(port(), "/i/" + slug_of("radio0000001") + "/embed");
  EXPECT_EQ(audio.status, 200);
  EXPECT_NE(audio.body.find("<audio id=\"odtwarzacz\""), std::string::npos);

  // Every other page keeps refusing other sites' frames.
  for (const std::string& target :
       {film, film + "?t=5,10", std::string("/"), std::string("/dostepnosc"),
        "/i/" + slug_of("pub000000001") + "/embed", std::string("/i/nothing/embed"),
        std::string("/i/secret000001/embed")}) {
    const HttpResponse page = send(port(), target);
    EXPECT_NE(page.header("content-security-policy").find("frame-ancestors 'self'"),
              std::string::npos)
        << target;
    EXPECT_EQ(page.header("x-frame-options"), "SAMEORIGIN") << target;
  }
  // A PDF has no player to embed; a restricted item does not exist for others.
  EXPECT_EQ(send(port(), "/i/" + slug_of("pub000000001") + "/embed").status, 404);
  EXPECT_EQ(send(port(), "/i/secret000001/embed").status, 404);
}

}  // namespace
