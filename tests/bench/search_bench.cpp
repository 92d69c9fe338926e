// Service time of Searcher::search alone (no HTTP), per query, with and without facets
// and snippets, so that the cost of each part shows.
// Usage: mediateka-bench-search DB [ROUNDS [CASE]]   (CASE: run only the case numbered so, from 1)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "searcher.h"

namespace {

struct Case {
  const char* label;
  mediateka::SearchRequest request;
};

mediateka::SearchRequest text_query(const char* q, std::vector<std::string> types = {},
                                    std::optional<int> year_from = std::nullopt) {
  mediateka::SearchRequest request;
  request.q = q;
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

// Median milliseconds of `rounds` searches.
double median_ms(mediateka::Searcher& searcher, const mediateka::SearchRequest& request,
                 int rounds) {
  std::vector<double> times;
  for (int i = 0; i < rounds; ++i) {
    const double start = wall_ms();
    searcher.search(request);
    times.push_back(wall_ms() - start);
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DB [ROUNDS]\n", argv[0]);
    return 2;
  }
  const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 200;
  mediateka::Searcher searcher({argv[1]}, mediateka::Vocabulary{});
  const std::vector<Case> cases = {
      {"pomoc spoleczna", text_query("pomoc spoleczna")},
      {"\"osoby niepełnosprawne\" publication",
       text_query("\"osoby niepełnosprawne\"", {"publication"})},
      {"wolontariuszy publication 2000-", text_query("wolontariuszy", {"publication"}, 2000)},
      {"browse", text_query("")},
  };
  std::printf("%-40s %10s %10s %10s %10s\n", "median ms", "all", "no snip", "no facets", "neither");
  const size_t only = argc > 3 ? static_cast<size_t>(std::atoi(argv[3])) : 0;
  for (size_t number = 1; number <= cases.size(); ++number) {
    if (only != 0 && number != only) continue;
    const Case& c = cases[number - 1];
    mediateka::SearchRequest no_snippets = c.request, no_facets = c.request, neither = c.request;
    no_snippets.snippets = false;
    no_facets.facets = false;
    neither.snippets = neither.facets = false;
    searcher.search(c.request);  // warm
    std::printf("%-40s %10.3f %10.3f %10.3f %10.3f\n", c.label,
                median_ms(searcher, c.request, rounds), median_ms(searcher, no_snippets, rounds),
                median_ms(searcher, no_facets, rounds), median_ms(searcher, neither, rounds));
  }
  return 0;
}
