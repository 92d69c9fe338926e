// Service time of Searcher::search alone (no HTTP), per query, with and without facets
// and snippets, so that the cost of each part shows; then the cost of counting the facets of
// every item of the index: with no spy, with the facet tables, with Xapian's ValueCountMatchSpy,
// and of building the tables (facet_table.h).
// Usage: mediateka-bench-search DB [ROUNDS [CASE]]   (CASE: run only the case numbered so, from
// 1; the counting is the case after the searches)
//        mediateka-bench-search --generate DB N   (writes N generated items of social-policy text,
// naming institutions by acronym and in full, for the expansion cases: docs/performance.md)
// MEDIATEKA_BENCH_GROUP=NAME in the environment: generated items are one in five restricted to
// that group, and the searches are that group's reader's (docs/performance.md, "Audiences").
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "archive/index/audience_databases.h"
#include "archive/index/schema.h"
#include "archive/index_writer.h"
#include "archive/search/facet_counter.h"
#include "archive/search/facet_table.h"
#include "archive/searcher.h"

namespace {

// MEDIATEKA_BENCH_GROUP=NAME: the searches are a reader's of that group (anonymous without it).
mediateka::Audience bench_audience() {
  const char* group = std::getenv("MEDIATEKA_BENCH_GROUP");
  mediateka::Audience audience;
  if (group && *group) audience.groups = {group};
  return audience;
}

struct Case {
  const char* label;
  mediateka::SearchRequest request;
};

mediateka::SearchRequest text_query(const char* q, std::vector<std::string> types = {},
                                    std::optional<int> year_from = std::nullopt,
                                    bool expand = true) {
  mediateka::SearchRequest request;
  request.q = q;
  request.expand = expand;
  request.types = std::move(types);
  request.year_from = year_from;
  return request;
}

// Wall time: a search hands part of its work to a helper thread (HelperReader), whose CPU time
// the calling thread's would not count. The index is in the page cache after the first round.
double wall_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Median milliseconds of `rounds` calls of `run`.
template <typename Run>
double median_ms(int rounds, Run run) {
  std::vector<double> times;
  for (int i = 0; i < rounds; ++i) {
    const double start = wall_ms();
    run();
    times.push_back(wall_ms() - start);
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

double median_ms(mediateka::Searcher& searcher, const mediateka::SearchRequest& request,
                 int rounds) {
  return median_ms(rounds, [&] { searcher.search(request); });
}

// One count-only pass over every item document, as a browse's total and facets are counted
// (facet_counter.h), through `targets`.
mediateka::MatchCount every_item(bool facets) {
  const std::string every_item = Xapian::Query(mediateka::schema::kItemDoc).serialise();
  return mediateka::MatchCount(every_item, every_item, {}, facets, false);
}

void count(const std::vector<mediateka::CountTarget>& targets, mediateka::MatchCount& count,
           Xapian::doccount all) {
  std::deque<mediateka::OutsidePass> no_filters;
  mediateka::count_matches(targets, count, no_filters, all);
}

void count_every_item(const std::vector<mediateka::CountTarget>& targets, bool facets,
                      Xapian::doccount all) {
  mediateka::MatchCount counted = every_item(facets);
  count(targets, counted, all);
}

void bench_counting(const char* path, int rounds) {
  // An archive's public database (audience_databases.h), or a plain database.
  const Xapian::Database db(mediateka::is_archive_folder(path) ? mediateka::public_database(path)
                                                               : std::string(path));
  const Xapian::doccount all = db.get_doccount();
  std::printf("\n%-40s %10s\n", "counting every item", "median ms");
  std::printf("%-40s %10.3f\n", "total only, no spy", median_ms(rounds, [&] {
                count_every_item({{db, nullptr}}, false, all);
              }));
  {
    const std::vector<mediateka::CountTarget> tables = mediateka::count_targets(db, {db});
    std::printf("%-40s %10.3f\n", "facets through the facet tables",
                median_ms(rounds, [&] { count_every_item(tables, true, all); }));
    mediateka::MatchCount counted = every_item(true);
    count(tables, counted, all);
    std::printf("%-40s %10.3f\n", "summing those counts into facets", median_ms(rounds, [&] {
                  mediateka::FacetCounter counter;
                  counter.add(counted.facets);
                  counter.add_places(counted.places);
                  counter.facets();
                }));
  }
  std::printf("%-40s %10.3f\n", "facets through ValueCountMatchSpy", median_ms(rounds, [&] {
                count_every_item({{db, nullptr}}, true, all);
              }));
  // No table is held here, so each call builds one.
  std::printf("%-40s %10.3f\n", "building the facet tables",
              median_ms(rounds, [&] { mediateka::FacetTable::of(db); }));
}

// The searches of each case (all, or the one numbered `only`); the number of cases.
size_t bench_searches(const char* path, int rounds, size_t only) {
  mediateka::Searcher searcher({path}, mediateka::Vocabulary{});
  const std::vector<Case> cases = {
      {"pomoc spoleczna", text_query("pomoc spoleczna")},
      {"\"osoby niepełnosprawne\" publication",
       text_query("\"osoby niepełnosprawne\"", {"publication"})},
      {"wolontariuszy publication 2000-", text_query("wolontariuszy", {"publication"}, 2000)},
      {"browse", text_query("")},
      // Acronyms and full names (synonyms.h): expanded, then as typed.
      {"PCPR", text_query("PCPR")},
      {"PCPR expand=0", text_query("PCPR", {}, std::nullopt, false)},
      {"miejskiego osrodka pomocy spolecznej", text_query("miejskiego osrodka pomocy spolecznej")},
      {"miejskiego osrodka pomocy spolecznej expand=0",
       text_query("miejskiego osrodka pomocy spolecznej", {}, std::nullopt, false)},
      {"PO KL szkolenia", text_query("PO KL szkolenia")},
      {"PO KL szkolenia expand=0", text_query("PO KL szkolenia", {}, std::nullopt, false)},
      // A typo: the correction is looked for and counted (docs/api.md, "Suggestion").
      {"pomoc spoeczna", text_query("pomoc spoeczna")},
      {"pomoc OR spoeczna", text_query("pomoc OR spoeczna")},
  };
  if (only == 0 || only <= cases.size()) {
    std::printf("%-40s %10s %10s %10s %10s\n", "median ms", "all", "no snip", "no facets",
                "neither");
  }
  for (size_t number = 1; number <= cases.size(); ++number) {
    if (only != 0 && number != only) continue;
    Case c = cases[number - 1];
    c.request.audience = bench_audience();
    mediateka::SearchRequest no_snippets = c.request, no_facets = c.request, neither = c.request;
    no_snippets.snippets = false;
    no_facets.facets = false;
    neither.snippets = neither.facets = false;
    searcher.search(c.request);  // warm
    std::printf("%-40s %10.3f %10.3f %10.3f %10.3f\n", c.label,
                median_ms(searcher, c.request, rounds), median_ms(searcher, no_snippets, rounds),
                median_ms(searcher, no_facets, rounds), median_ms(searcher, neither, rounds));
  }
  return cases.size();
}

// Items of generated social-policy text, each naming a few institutions by acronym or in full.
// With MEDIATEKA_BENCH_GROUP=NAME, every fifth item is restricted to that group.
int generate(const char* path, long count) {
  const mediateka::Audience restricted_to = bench_audience();
  static const char* const kSentences[] = {
      "Pomoc społeczna w gminie obejmuje rodziny w trudnej sytuacji życiowej.",
      "Rodziny zastępcze otrzymały wsparcie finansowe i szkolenia.",
      "Osoby niepełnosprawne korzystają z rehabilitacji zawodowej i społecznej.",
      "Wolontariusze pomagają seniorom w codziennych sprawach.",
      "Ekonomia społeczna tworzy miejsca pracy dla osób wykluczonych.",
      "Asystent rodziny odwiedza dom podopiecznych raz w tygodniu.",
      "Projekt był współfinansowany ze środków Unii Europejskiej.",
      "Centrum miasta gościło piknik rodzinny z okazji dnia dziecka.",
      "Pracownicy socjalni przeprowadzili wywiady środowiskowe w powiecie.",
      "Szkolenia dla kadry pomocy społecznej odbyły się w Warszawie.",
      "Raport opisuje ubóstwo i bezdomność w województwie mazowieckim.",
      "Mieszkania chronione przygotowują do samodzielnego życia.",
  };
  static const char* const kNames[][2] = {
      {"PCPR", "Powiatowego Centrum Pomocy Rodzinie"},
      {"MOPS", "Miejskiego Ośrodka Pomocy Społecznej"},
      {"GOPS", "Gminnego Ośrodka Pomocy Społecznej"},
      {"ŚDS", "Środowiskowego Domu Samopomocy"},
      {"DPS", "Domu Pomocy Społecznej"},
      {"PFRON", "Państwowego Funduszu Rehabilitacji Osób Niepełnosprawnych"},
      {"PO KL", "Programu Operacyjnego Kapitał Ludzki"},
      {"EFS", "Europejskiego Funduszu Społecznego"},
      {"OWES", "Ośrodka Wsparcia Ekonomii Społecznej"},
      {"CIS", "Centrum Integracji Społecznej"},
  };
  mediateka::IndexWriter writer(path);
  std::mt19937 random(20261206);
  auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
  for (long i = 0; i < count; ++i) {
    mediateka::Item item;
    item.id = "g" + std::to_string(i);
    item.title = "Biuletyn " + std::to_string(i);
    item.language = "pl";
    item.source.file = "/generated/" + item.id + ".txt";
    std::string text;
    for (size_t s = 0, sentences = 6 + pick(10); s < sentences; ++s) {
      if (pick(4) == 0) {
        const auto& name = kNames[pick(std::size(kNames))];
        text +=
            std::string("Spotkanie z przedstawicielami ") + name[pick(2)] + " odbyło się w marcu. ";
      } else {
        text += std::string(kSentences[pick(std::size(kSentences))]) + ' ';
      }
    }
    item.segments.push_back(mediateka::Segment{1, 0, 0, text});
    if (i % 5 == 4) item.access = restricted_to.groups;
    writer.put(item);
    if ((i + 1) % 5000 == 0) writer.commit();
  }
  writer.commit();
  std::printf("%ld items written to %s\n", count, path);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--generate") {
    return generate(argv[2], std::atol(argv[3]));
  }
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DB [ROUNDS [CASE]]\n", argv[0]);
    return 2;
  }
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
  const size_t only = argc > 3 ? static_cast<size_t>(std::atoi(argv[3])) : 0;
  // The searches' Searcher is gone before the counting, so that nothing holds a facet table
  // that the counting would then not build.
  const size_t searches = bench_searches(argv[1], rounds, only);
  if (only == 0 || only == searches + 1) bench_counting(argv[1], rounds);
  return 0;
}
