#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "archive/index/audience_databases.h"
#include "archive/index_writer.h"
#include "archive/searcher.h"
#include "snippet_marks.h"

namespace mediateka {
namespace {

namespace fs = std::filesystem;

Item make_item(const std::string& file, ItemType type, const std::string& title, int year,
               std::vector<std::string> campaigns, const std::string& project,
               std::vector<Segment> segments) {
  Item item;
  item.source.file = "/archiwum/" + file;
  item.source.path = file;
  item.source.checksum = "sum-" + file;
  item.type = type;
  item.title = title;
  item.year = year;
  item.date = std::to_string(year) + "-05-01";
  item.campaigns = std::move(campaigns);
  item.project = project;
  item.segments = std::move(segments);
  return item;
}

Segment page(int number, const std::string& text) { return Segment{number, 0, 0, text}; }
Segment cue(double start, double end, const std::string& text) {
  return Segment{0, start, end, text};
}

class ArchiveSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("mediateka-search-" + std::to_string(std::random_device{}()));
    vocabulary_.add("Aktywna integracja");
    vocabulary_.add("Ekonomia społeczna", {"ES"});
    vocabulary_.add("Wolontariat");
    IndexWriter writer(dir_.string());
    std::vector<Item> items = {
        make_item("poradnik.pdf", ItemType::publication, "Poradnik pomocy społecznej", 2012,
                  {"Aktywna integracja"}, "Razem dla Mazowsza",
                  {page(1, "Wstęp do poradnika."), page(2, "Rodziny w trudnej sytuacji."),
                   page(3, "Ośrodki pomocy społecznej wspierają rodziny na Mazowszu.")}),
        make_item("biuletyn.pdf", ItemType::bulletin, "Biuletyn 1/2013", 2013,
                  {"Ekonomia społeczna"}, "Razem dla Mazowsza",
                  {page(1, "Spółdzielnie socjalne i ekonomia społeczna.")}),
        make_item("audycja.mp3", ItemType::radio, "Audycja o wolontariacie", 2014,
                  {"Wolontariat", "Aktywna integracja"}, "",
                  {cue(0, 4.5, "Dzień dobry, mówimy dziś o wolontariacie."),
                   cue(4.5, 9.0, "Wolontariusze pomagają seniorom.")}),
        make_item("reportaz.mp4", ItemType::tv, "Reportaż z Łodzi", 2014, {"Ekonomia społeczna"},
                  "Liderzy Kooperacji",
                  {cue(10, 12, "Spoleczna spółdzielnia bez polskich liter."),
                   cue(12, 15, "Kawiarnia prowadzona przez osoby niepełnosprawne.")}),
        make_item("film.mkv", ItemType::film, "Film o aktywnej integracji", 2010,
                  {"Aktywna integracja"}, "", {cue(1, 3, "Społeczna integracja to nasz cel.")}),
    };
    for (Item& item : items) writer.put(item);
    writer.commit();
  }
  void TearDown() override { fs::remove_all(dir_); }

  Searcher searcher() { return Searcher({dir_.string()}, vocabulary_); }

  static std::size_t count_of(const std::vector<FacetValue>& values, const std::string& value) {
    for (const FacetValue& facet : values) {
      if (facet.value == value) return facet.count;
    }
    return 0;
  }

  fs::path dir_;
  Vocabulary vocabulary_;
};

TEST_F(ArchiveSearch, BrowseCountsItemsNotSegments) {
  Searcher s = searcher();
  SearchResult result = s.search({});
  EXPECT_EQ(result.total, 5u);
  EXPECT_EQ(s.item_count(), 5u);
  EXPECT_EQ(count_of(result.facets.type, "tv"), 1u);
  EXPECT_EQ(count_of(result.facets.campaign, "Aktywna integracja"), 3u);
  EXPECT_EQ(count_of(result.facets.campaign, "Ekonomia społeczna"), 2u);
  EXPECT_EQ(count_of(result.facets.year, "2014"), 2u);
  EXPECT_EQ(count_of(result.facets.project, "Razem dla Mazowsza"), 2u);
  ASSERT_EQ(result.facets.year.size(), 4u);
  EXPECT_EQ(result.facets.year.front().value, "2010");                    // years in order
  EXPECT_EQ(result.facets.campaign.front().value, "Aktywna integracja");  // by count
  // Browsing lists the newest first.
  EXPECT_EQ(*result.hits.front().item.year, 2014);
  EXPECT_EQ(*result.hits.back().item.year, 2010);
}

TEST_F(ArchiveSearch, MultiSelectFacetsIgnoreTheirOwnFilter) {
  SearchRequest request;
  request.types = {"radio", "tv"};
  SearchResult result = searcher().search(request);
  EXPECT_EQ(result.total, 2u);
  // The type facet still offers every type...
  EXPECT_EQ(count_of(result.facets.type, "publication"), 1u);
  EXPECT_EQ(count_of(result.facets.type, "radio"), 1u);
  // ...while the other facets count only the selected types.
  EXPECT_EQ(count_of(result.facets.campaign, "Ekonomia społeczna"), 1u);
  EXPECT_EQ(count_of(result.facets.campaign, "Wolontariat"), 1u);
  EXPECT_EQ(count_of(result.facets.year, "2014"), 2u);
  EXPECT_EQ(count_of(result.facets.year, "2012"), 0u);
}

// A facet value's count is the total a visitor gets by choosing that value instead of the
// field's current filter, with every other filter kept: checked for every value of every field,
// with phrases, several filtered fields at once and items in two campaigns.
TEST_F(ArchiveSearch, FacetCountsAreTheTotalsOfChoosingThatValue) {
  auto request = [](std::string q, std::vector<std::string> types,
                    std::vector<std::string> campaigns, std::optional<int> year_from,
                    std::vector<std::string> projects) {
    SearchRequest r;
    r.q = std::move(q);
    r.types = std::move(types);
    r.campaigns = std::move(campaigns);
    r.year_from = year_from;
    r.projects = std::move(projects);
    return r;
  };
  const std::vector<SearchRequest> requests = {
      request("", {"radio", "tv"}, {}, std::nullopt, {}),
      request("", {}, {"Aktywna integracja"}, std::nullopt, {}),
      request("", {}, {"Aktywna integracja"}, 2012, {}),
      request("integracja", {"radio", "film"}, {"Wolontariat"}, std::nullopt, {}),
      request("\"pomocy społecznej\"", {}, {}, std::nullopt, {"Razem dla Mazowsza"}),
      request("społeczna OR integracja", {"tv", "bulletin", "film"}, {"Ekonomia społeczna"}, 2011,
              {"Liderzy Kooperacji"}),
  };
  const std::vector<std::string> types = {"publication", "bulletin", "film", "radio", "tv"};
  const std::vector<std::string> campaigns = {"Aktywna integracja", "Ekonomia społeczna",
                                              "Wolontariat"};
  const std::vector<std::string> projects = {"Razem dla Mazowsza", "Liderzy Kooperacji"};
  const std::vector<int> years = {2010, 2012, 2013, 2014};
  Searcher s = searcher();
  for (const SearchRequest& base : requests) {
    SCOPED_TRACE("q=" + base.q);
    SearchResult result = s.search(base);
    for (const std::string& type : types) {
      SearchRequest chosen = base;
      chosen.types = {type};
      EXPECT_EQ(count_of(result.facets.type, type), s.search(chosen).total) << type;
    }
    for (const std::string& campaign : campaigns) {
      SearchRequest chosen = base;
      chosen.campaigns = {campaign};
      EXPECT_EQ(count_of(result.facets.campaign, campaign), s.search(chosen).total) << campaign;
    }
    for (const std::string& project : projects) {
      SearchRequest chosen = base;
      chosen.projects = {project};
      EXPECT_EQ(count_of(result.facets.project, project), s.search(chosen).total) << project;
    }
    for (int year : years) {
      SearchRequest chosen = base;
      chosen.year_from.reset();
      chosen.years = {year};
      EXPECT_EQ(count_of(result.facets.year, std::to_string(year)), s.search(chosen).total) << year;
    }
  }
}

TEST_F(ArchiveSearch, FiltersAreOrWithinAndAcrossFields) {
  SearchRequest request;
  request.campaigns = {"ekonomia spoleczna", "Wolontariat"};  // matched through the vocabulary
  EXPECT_EQ(searcher().search(request).total, 3u);
  request.years = {2013};
  EXPECT_EQ(searcher().search(request).total, 1u);
  request.years.clear();
  request.year_from = 2014;
  request.year_to = 2020;
  EXPECT_EQ(searcher().search(request).total, 2u);
  request.projects = {"Liderzy Kooperacji"};
  SearchResult result = searcher().search(request);
  ASSERT_EQ(result.total, 1u);
  EXPECT_EQ(result.hits[0].item.title, "Reportaż z Łodzi");
}

TEST_F(ArchiveSearch, QueryWithoutDiacriticsFindsPolishText) {
  SearchRequest request;
  request.q = "spoldzielnie socjalne";
  SearchResult result = searcher().search(request);
  ASSERT_EQ(result.total, 1u);
  EXPECT_EQ(result.hits[0].item.type, ItemType::bulletin);
  EXPECT_NE(test::marked(result.hits[0].snippet).find("<mark>Spółdzielnie</mark>"),
            std::string::npos)
      << test::marked(result.hits[0].snippet);
}

TEST_F(ArchiveSearch, ExactFormRanksAboveFormWithoutDiacritics) {
  {
    IndexWriter writer(dir_.string());
    Item folded = make_item("a.pdf", ItemType::publication, "Zeszyt A", 2001, {}, "",
                            {page(1, "Gazeta spoleczna i lokalna.")});
    Item exact = make_item("b.pdf", ItemType::publication, "Zeszyt B", 2001, {}, "",
                           {page(1, "Gazeta społeczna i lokalna.")});
    writer.put(folded);
    writer.put(exact);
    writer.commit();
  }
  for (std::string q : {"gazeta społeczna", "gazeta spoleczna"}) {
    SearchRequest request;
    request.q = q;
    SearchResult result = searcher().search(request);
    ASSERT_EQ(result.total, 2u) << q;
    EXPECT_EQ(result.hits[0].item.title, q == "gazeta spoleczna" ? "Zeszyt A" : "Zeszyt B") << q;
  }
}

TEST_F(ArchiveSearch, LocationsPointAtPagesAndTimes) {
  SearchRequest request;
  request.q = "ośrodki";
  SearchResult result = searcher().search(request);
  ASSERT_EQ(result.total, 1u);
  ASSERT_FALSE(result.hits[0].locations.empty());
  EXPECT_EQ(result.hits[0].locations[0].page, 3);
  EXPECT_NE(test::marked(result.hits[0].locations[0].snippet).find("<mark>Ośrodki</mark>"),
            std::string::npos);

  request.q = "wolontariusze";
  result = searcher().search(request);
  ASSERT_EQ(result.total, 1u);
  ASSERT_FALSE(result.hits[0].locations.empty());
  const Location& place = result.hits[0].locations[0];
  EXPECT_EQ(place.page, 0);
  EXPECT_DOUBLE_EQ(place.t, 4.5);
  EXPECT_DOUBLE_EQ(place.end, 9.0);
}

// Words that match nothing: "x<tag>0 x<tag>1 ...".
std::string filler(int count, const std::string& tag) {
  std::string text;
  for (int i = 0; i < count; ++i) text += (i ? " x" : "x") + tag + std::to_string(i);
  return text;
}

// Snippets are cut from the middle of long pages at their stored word offsets from positions, and
// the places of several hits are read together: each place keeps its own item, page or time and
// window (the first 30 words with the most matches, from 5 words before the first of them).
TEST_F(ArchiveSearch, SnippetWindowsInsideLongPagesOfSeveralItems) {
  const std::map<int, std::string> expected_by_page = {
      {2,
       "… xb66 xb67 xb68 xb69 Ośrodek <mark>pomocy</mark> <mark>społecznej</mark> wspiera "
       "rodziny. " +
           filler(21, "c") + " …"},
      {3, "… xd195 xd196 xd197 xd198 xd199 <mark>pomocy</mark> " + filler(10, "e") +
              " Ośrodki <mark>pomocy</mark> <mark>społecznej</mark> prowadzą świetlice. " +
              filler(9, "f") + " …"},
      {4,
       "<mark>Pomoc</mark> <mark>społeczna</mark> na początku strony. " + filler(25, "g") + " …"},
      {5, "… xh35 xh36 xh37 xh38 xh39 <mark>społecznej</mark> " + filler(5, "i") + "."},
  };
  {
    IndexWriter writer(dir_.string());
    Item report =
        make_item("dlugi.pdf", ItemType::publication, "Raport długi", 2015, {}, "",
                  {page(1, filler(100, "a")),
                   page(2, filler(70, "b") + " Ośrodek pomocy społecznej wspiera rodziny. " +
                               filler(50, "c")),
                   page(3, filler(200, "d") + " pomocy " + filler(10, "e") +
                               " Ośrodki pomocy społecznej prowadzą świetlice. " + filler(40, "f")),
                   page(4, "Pomoc społeczna na początku strony. " + filler(30, "g")),
                   page(5, filler(40, "h") + " społecznej " + filler(5, "i") + ".")});
    Item broadcast =
        make_item("rozmowa.mp3", ItemType::radio, "Rozmowa długa", 2015, {}, "",
                  {cue(0, 10, filler(50, "l")),
                   cue(10, 14.5, filler(35, "m") + " pomoc społeczna, " + filler(40, "n"))});
    writer.put(report);
    writer.put(broadcast);
    writer.commit();
  }
  SearchRequest request;
  request.q = "pomoc społeczna";
  SearchResult result = searcher().search(request);
  const Hit* report = nullptr;
  const Hit* broadcast = nullptr;
  for (const Hit& hit : result.hits) {
    if (hit.item.title == "Raport długi") report = &hit;
    if (hit.item.title == "Rozmowa długa") broadcast = &hit;
  }
  ASSERT_TRUE(report && broadcast);

  ASSERT_EQ(report->locations.size(), 3u);
  std::set<int> pages;
  for (const Location& location : report->locations) {
    ASSERT_TRUE(expected_by_page.count(location.page)) << location.page;
    EXPECT_TRUE(pages.insert(location.page).second) << location.page;
    EXPECT_EQ(test::marked(location.snippet), expected_by_page.at(location.page)) << location.page;
  }
  EXPECT_EQ(report->snippet, report->locations.front().snippet);

  ASSERT_EQ(broadcast->locations.size(), 1u);
  const Location& moment = broadcast->locations[0];
  EXPECT_EQ(moment.page, 0);
  EXPECT_DOUBLE_EQ(moment.t, 10);
  EXPECT_DOUBLE_EQ(moment.end, 14.5);
  EXPECT_EQ(test::marked(moment.snippet),
            "… xm30 xm31 xm32 xm33 xm34 <mark>pomoc</mark> <mark>społeczna</mark>, " +
                filler(23, "n") + " …");
}

// The importer analyses on its reading threads and stores on the writer's; the id is only
// known when storing, and every place must still point at its item.
TEST_F(ArchiveSearch, ItemAnalysedOnAnotherThreadIsStoredWhole) {
  Item item = make_item("raport.pdf", ItemType::publication, "Raport o kooperacji", 2016, {}, "",
                        {page(1, "Wprowadzenie."), page(2, "Lokalne partnerstwa gmin."),
                         page(3, "Partnerstwa lokalne w praktyce.")});
  std::optional<AnalysedItem> analysed;
  std::thread([&] { analysed.emplace(item); }).join();
  {
    IndexWriter writer(dir_.string());
    writer.put(item, std::move(*analysed));
    writer.commit();
  }
  ASSERT_FALSE(item.id.empty());
  EXPECT_EQ(item.slug, "raport-o-kooperacji");

  SearchRequest request;
  request.q = "partnerstwo";
  SearchResult result = searcher().search(request);
  ASSERT_EQ(result.total, 1u);
  EXPECT_EQ(result.hits[0].item.id, item.id);
  ASSERT_EQ(result.hits[0].locations.size(), 2u);
  for (const Location& location : result.hits[0].locations) {
    EXPECT_TRUE(location.page == 2 || location.page == 3) << location.page;
    EXPECT_NE(test::marked(location.snippet).find("<mark>"), std::string::npos)
        << test::marked(location.snippet);
  }
  EXPECT_EQ(searcher().segments(item.id).size(), 3u);
}

// A place's segment is found by its docid, right after its item's. Should an index break that
// order (here a segment deleted behind the writer's back), the place is left out rather than
// shown with another item's page.
TEST_F(ArchiveSearch, PlacesComeOnlyFromTheItemsOwnSegments) {
  const fs::path dir = dir_ / "order";
  Item first = make_item("pierwszy.pdf", ItemType::publication, "Pierwszy", 2016, {}, "",
                         {page(1, "Partnerstwa gmin."), page(2, "Partnerstwa lokalne.")});
  Item second = make_item("drugi.pdf", ItemType::publication, "Drugi", 2016, {}, "",
                          {page(1, "Partnerstwa powiatów.")});
  {
    IndexWriter writer(dir.string());
    writer.put(first);
    writer.put(second);
    writer.commit();
  }
  {
    // Docids: 1 the first item, 2 and 3 its pages, 4 the second item, 5 its page.
    Xapian::WritableDatabase db(public_database(dir.string()));
    db.delete_document(3);
    db.commit();
  }
  SearchRequest request;
  request.q = "partnerstwo";
  SearchResult result = Searcher({dir.string()}, vocabulary_).search(request);
  ASSERT_EQ(result.total, 2u);
  for (const Hit& hit : result.hits) {
    if (hit.item.id == first.id) {
      ASSERT_EQ(hit.locations.size(), 1u);
      EXPECT_EQ(hit.locations[0].page, 1);
    } else {
      ASSERT_EQ(hit.locations.size(), 1u);
      EXPECT_NE(hit.locations[0].snippet.text.find("powiatów"), std::string::npos);
    }
  }
}

// Compacting (as backups do, docs/operations.md) renumbers documents but keeps their order, so
// places are still found right after their items, gaps left by removed items or not.
TEST_F(ArchiveSearch, PlacesSurviveCompaction) {
  SearchRequest families;
  families.q = "rodziny";
  const std::string removed = searcher().search(families).hits.at(0).item.id;
  {
    IndexWriter writer(dir_.string());
    ASSERT_TRUE(writer.remove(removed));
    writer.commit();
  }
  const fs::path compacted = dir_ / "compacted";
  Xapian::Database(public_database(dir_.string())).compact(compacted.string());

  size_t places = 0;
  for (const char* q : {"społeczna", "wolontariusze", "spółdzielnia", "integracja"}) {
    SearchRequest request;
    request.q = q;
    SearchResult before = searcher().search(request);
    SearchResult after = Searcher({compacted.string()}, vocabulary_).search(request);
    ASSERT_EQ(before.hits.size(), after.hits.size()) << q;
    for (size_t i = 0; i < before.hits.size(); ++i) {
      ASSERT_EQ(before.hits[i].locations.size(), after.hits[i].locations.size()) << q;
      for (size_t j = 0; j < before.hits[i].locations.size(); ++j) {
        EXPECT_EQ(before.hits[i].locations[j].page, after.hits[i].locations[j].page) << q;
        EXPECT_EQ(before.hits[i].locations[j].t, after.hits[i].locations[j].t) << q;
        EXPECT_EQ(before.hits[i].locations[j].snippet, after.hits[i].locations[j].snippet) << q;
        ++places;
      }
    }
  }
  EXPECT_GE(places, 5u);
}

// A hit's places rank by how many of the query's words they hold, then by how close together
// they stand, then by how many matches they hold.
TEST_F(ArchiveSearch, PlacesHoldingTheWholeQueryComeFirst) {
  Item guide = make_item("fundusz.pdf", ItemType::publication, "Przewodnik", 2017, {}, "",
                         {page(1, "Wolontariat, wolontariat, wolontariat i jeszcze wolontariat."),
                          page(2, "Fundusz. " + filler(40, "a") + " Wolontariat."),
                          page(3, filler(10, "b") + " Fundusz wolontariatu wspiera inicjatywy."),
                          page(4, "Nic tu nie ma.")});
  {
    IndexWriter writer(dir_.string());
    writer.put(guide);
    writer.commit();
  }
  auto pages_for = [&](const std::string& q) {
    SearchRequest request;
    request.q = q;
    std::vector<int> pages;
    for (const Hit& hit : searcher().search(request).hits) {
      if (hit.item.id != guide.id) continue;
      for (const Location& location : hit.locations) pages.push_back(location.page);
    }
    return pages;
  };
  EXPECT_EQ(pages_for("fundusz wolontariat"), (std::vector<int>{3, 2, 1}));
  EXPECT_EQ(pages_for("\"fundusz wolontariatu\""), (std::vector<int>{3, 2, 1}));
  EXPECT_EQ(pages_for("wolontariat"), (std::vector<int>{1, 2, 3}));
  // A trailing * matches the item's own words that begin so.
  EXPECT_EQ(pages_for("fundusz wolont*"), (std::vector<int>{3, 2, 1}));

  // Stored again with its pages changed, the item's places follow its new text.
  guide.segments = {page(1, "Nic tu nie ma."), page(2, "Fundusz wolontariatu na drugiej stronie.")};
  {
    IndexWriter writer(dir_.string());
    writer.put(guide);
    writer.commit();
  }
  EXPECT_EQ(pages_for("fundusz wolontariat"), (std::vector<int>{2}));
  EXPECT_EQ(searcher().segments(guide.id).size(), 2u);
}

TEST_F(ArchiveSearch, QuerySyntax) {
  auto total = [&](const std::string& q) {
    SearchRequest request;
    request.q = q;
    return searcher().search(request).total;
  };
  EXPECT_EQ(total("title:poradnik"), 1u);
  EXPECT_EQ(total("title:lodzi"), 1u);
  EXPECT_EQ(total("campaign:wolontariat"), 1u);
  EXPECT_EQ(total("campaign:\"Aktywna integracja\""), 3u);
  EXPECT_EQ(total("year:2012..2014"), 4u);
  EXPECT_EQ(total("year:2014"), 2u);
  EXPECT_EQ(total("rodziny OR wolontariusze"), 2u);
  EXPECT_EQ(total("integracja -film"), 0u + total("integracja") - 1u);
  // Exclusions alone: every item but those (Xapian alone would search for the words instead).
  EXPECT_EQ(total("film"), 1u);
  EXPECT_EQ(total("-film"), 4u);
  EXPECT_EQ(total("NOT film"), 4u);
  EXPECT_EQ(total("-film -rodziny"), 3u);
  EXPECT_EQ(total("-\"pomocy społecznej\""), 4u);
  EXPECT_EQ(total("-(rodziny OR kawiarnia)"), 3u);
  EXPECT_EQ(total("-film type:tv"), 1u);
  EXPECT_EQ(total("spółdziel*"), 2u);
  EXPECT_EQ(total("spoldziel*"), 2u);
  EXPECT_EQ(total("\"pomocy społecznej\""), 1u);
  EXPECT_EQ(total("(rodziny OR kawiarnia) AND mazowszu"), 1u);
}

TEST_F(ArchiveSearch, PagingAndSort) {
  SearchRequest request;
  request.per_page = 2;
  request.page = 3;
  SearchResult result = searcher().search(request);
  EXPECT_EQ(result.total, 5u);
  ASSERT_EQ(result.hits.size(), 1u);
  request.page = 1;
  request.sort = SortOrder::oldest;
  result = searcher().search(request);
  EXPECT_EQ(*result.hits[0].item.year, 2010);
  EXPECT_THROW(
      {
        request.per_page = 101;
        searcher().search(request);
      },
      QueryError);
}

TEST_F(ArchiveSearch, ReimportReplacesAndKeepsIdAndSlug) {
  std::string id, slug;
  {
    IndexWriter writer(dir_.string());
    auto stored = writer.find_by_source("/archiwum/poradnik.pdf");
    ASSERT_TRUE(stored);
    id = stored->id;
    slug = stored->slug;
    EXPECT_EQ(slug, "poradnik-pomocy-spolecznej");
    Item changed = make_item("poradnik.pdf", ItemType::publication, "Nowy tytuł poradnika", 2012,
                             {}, "", {page(1, "Zupełnie nowa treść.")});
    writer.put(changed);
    EXPECT_EQ(changed.id, id);
    EXPECT_EQ(changed.slug, slug);
    writer.commit();
  }
  Searcher s = searcher();
  EXPECT_EQ(s.item_count(), 5u);
  SearchRequest request;
  request.q = "ośrodki";
  EXPECT_EQ(s.search(request).total, 0u);  // old pages are gone with the old version
  request.q = "zupełnie nowa";
  EXPECT_EQ(s.search(request).total, 1u);
  EXPECT_EQ(s.item_by_slug(slug)->title, "Nowy tytuł poradnika");
  EXPECT_EQ(s.item_by_id(id)->slug, slug);
}

TEST_F(ArchiveSearch, SlugsAreUniqueAndRemovalWorks) {
  IndexWriter writer(dir_.string());
  Item twin = make_item("inny/poradnik.pdf", ItemType::publication, "Poradnik pomocy społecznej",
                        2015, {}, "", {});
  writer.put(twin);
  EXPECT_EQ(twin.slug, "poradnik-pomocy-spolecznej-2");
  EXPECT_TRUE(writer.remove(twin.id));
  EXPECT_FALSE(writer.remove(twin.id));
  writer.commit();
  EXPECT_EQ(writer.stats().items, 5u);
  EXPECT_EQ(writer.stats().by_campaign.at("Aktywna integracja"), 3u);
}

TEST_F(ArchiveSearch, SearcherSeesNewCommitsAfterReopen) {
  Searcher s = searcher();
  EXPECT_EQ(s.item_count(), 5u);
  {
    IndexWriter writer(dir_.string());
    Item added = make_item("nowy.pdf", ItemType::publication, "Nowy", 2020, {}, "", {});
    writer.put(added);
    writer.commit();
  }
  EXPECT_TRUE(s.reopen());
  EXPECT_EQ(s.item_count(), 6u);
}

TEST_F(ArchiveSearch, IndexOfAnotherSchemaVersionIsRefused) {
  {
    Xapian::WritableDatabase db(public_database(dir_.string()));
    db.set_metadata("mediateka:schema", "1");
    db.commit();
  }
  EXPECT_THROW(searcher(), std::runtime_error);
  EXPECT_THROW(IndexWriter writer(dir_.string()), std::runtime_error);
}

// Searcher and writer report another schema with one type (index_error.h), whose message says
// what to do, for the programs to catch alike.
TEST_F(ArchiveSearch, AnotherSchemaVersionIsOneErrorTypeForSearcherAndWriter) {
  {
    Xapian::WritableDatabase db(public_database(dir_.string()));
    db.set_metadata("mediateka:schema", "1");
    db.commit();
  }
  const auto message_of = [](const auto& open) {
    try {
      open();
    } catch (const SchemaVersionError& error) {
      return std::string(error.what());
    } catch (const std::exception& error) {
      return "not a SchemaVersionError: " + std::string(error.what());
    }
    return std::string("nothing thrown");
  };
  const std::string read = message_of([&] { searcher(); });
  EXPECT_NE(read.find("schema version 1"), std::string::npos) << read;
  EXPECT_NE(read.find("new index"), std::string::npos) << read;
  const std::string written = message_of([&] { IndexWriter writer(dir_.string()); });
  EXPECT_NE(written.find("schema version '1'"), std::string::npos) << written;
  EXPECT_NE(written.find("new index"), std::string::npos) << written;

  // An index of schema 6 or older: one database in the folder itself.
  const fs::path old = dir_ / "old";
  {
    Xapian::WritableDatabase db(old.string(), Xapian::DB_CREATE_OR_OPEN);
    db.set_metadata("mediateka:schema", "6");
    db.commit();
  }
  const std::string old_read =
      message_of([&] { Searcher(std::vector<std::string>{old.string()}, vocabulary_); });
  EXPECT_NE(old_read.find("schema version 6"), std::string::npos) << old_read;
  const std::string old_written = message_of([&] { IndexWriter writer(old.string()); });
  EXPECT_NE(old_written.find("schema version '6'"), std::string::npos) << old_written;
}

TEST_F(ArchiveSearch, FailuresAreRemembered) {
  IndexWriter writer(dir_.string());
  writer.record_failure("/archiwum/zly.pdf", {"PDF is damaged", 10, 20});
  writer.commit();
  EXPECT_EQ(writer.failure("/archiwum/zly.pdf")->error, "PDF is damaged");
  EXPECT_EQ(writer.stats().failed_sources, 1u);
  // Read-only figures, while the writer still holds the lock.
  EXPECT_EQ(IndexWriter::read_stats(dir_.string()).failed_sources, 1u);
  EXPECT_EQ(IndexWriter::read_stats(dir_.string()).items, 5u);
  writer.clear_failure("/archiwum/zly.pdf");
  writer.commit();
  EXPECT_FALSE(writer.failure("/archiwum/zly.pdf"));
  EXPECT_EQ(IndexWriter::read_stats(dir_.string()).failed_sources, 0u);
}

TEST_F(ArchiveSearch, VeryLongSourceKeysStayDistinct) {
  IndexWriter writer(dir_.string());
  std::string folder(300, 'k');
  Item first = make_item(folder + "/a.pdf", ItemType::publication, "A", 2001, {}, "", {});
  Item second = make_item(folder + "/b.pdf", ItemType::publication, "B", 2001, {}, "", {});
  writer.put(first);
  writer.put(second);
  writer.commit();
  EXPECT_NE(first.id, second.id);
  EXPECT_EQ(writer.find_by_source(second.source.file)->title, "B");
  EXPECT_EQ(writer.stats().items, 7u);
}

TEST_F(ArchiveSearch, SuggestCompletesTitlesCampaignsAndWords) {
  Searcher s = searcher();
  std::vector<std::string> completions = s.suggest("wolo");
  ASSERT_FALSE(completions.empty());
  EXPECT_EQ(completions[0], "Wolontariat");
  completions = s.suggest("spol");
  bool has_form = false;
  for (const std::string& c : completions) has_form |= c == "społeczna" || c == "spółdzielnie";
  EXPECT_TRUE(has_form);
  completions = s.suggest("reportaz z l");
  ASSERT_FALSE(completions.empty());
  EXPECT_EQ(completions[0], "Reportaż z Łodzi");
}

TEST_F(ArchiveSearch, SuggestsCorrectionForMisspeltQuery) {
  SearchRequest request;
  request.q = "wolontarjacie";
  SearchResult result = searcher().search(request);
  ASSERT_TRUE(result.suggestion);
  EXPECT_EQ(*result.suggestion, "wolontariacie");
  request.q = "spoldzelnie socjalne";  // shown with its diacritics, as the archive writes it
  result = searcher().search(request);
  ASSERT_TRUE(result.suggestion);
  EXPECT_EQ(*result.suggestion, "spółdzielnie socjalne");
}

// A batch's words wait outside the spelling table until a full commit, even when the writer that
// stored them ends without one (as a killed import does).
TEST_F(ArchiveSearch, BatchWordsReachTheSpellingTableAtTheNextFullCommit) {
  SearchRequest request;
  request.q = "kooperatywu";
  {
    IndexWriter writer(dir_.string());
    Item item = make_item("kooperatywy.pdf", ItemType::publication, "Kooperatywy sąsiedzkie", 2015,
                          {}, "", {page(1, "Kooperatywy sąsiedzkie działają w gminach.")});
    writer.put(item);
    writer.commit_batch();
  }
  SearchRequest stored;
  stored.q = "kooperatywy";
  EXPECT_EQ(searcher().search(stored).total, 1u);
  EXPECT_FALSE(searcher().search(request).suggestion);

  IndexWriter(dir_.string()).commit();
  SearchResult result = searcher().search(request);
  ASSERT_TRUE(result.suggestion);
  EXPECT_EQ(*result.suggestion, "kooperatywy");

  // Taken in once: a further commit finds nothing waiting.
  Xapian::Database db(public_database(dir_.string()));
  EXPECT_EQ(db.metadata_keys_begin("spelling-pending:"), db.metadata_keys_end("spelling-pending:"));
  Xapian::TermIterator spelling = db.spellings_begin();
  spelling.skip_to("kooperatywy");
  ASSERT_NE(spelling, db.spellings_end());
  EXPECT_EQ(*spelling, "kooperatywy");
  EXPECT_EQ(spelling.get_termfreq(), 1u);
}

TEST_F(ArchiveSearch, NoCorrectionForWordsTheArchiveHolds) {
  for (std::string q : {"pomoc społeczna", "rodziny", "pomocy spolecznej", "title:poradnik",
                        "rodziny NEAR mazowszu", "spółdzielnie ADJ socjalne", "rodziny OR seniorom",
                        "-rodziny", "rodziny XOR seniorom"}) {
    SearchRequest request;
    request.q = q;
    EXPECT_FALSE(searcher().search(request).suggestion) << q;
  }
}

}  // namespace
}  // namespace mediateka
