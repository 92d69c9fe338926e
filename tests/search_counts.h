// Comparing the counts of two answers to one search: total and every facet's counts.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "archive/searcher.h"

namespace mediateka::test {

inline std::map<std::string, std::size_t> counts_of(const std::vector<FacetValue>& values) {
  std::map<std::string, std::size_t> counts;
  for (const FacetValue& value : values) counts[value.value] = value.count;
  return counts;
}

// Values of equal count may be listed in either order, so counts are compared by value.
inline void expect_same_counts(const SearchResult& got, const SearchResult& expected) {
  EXPECT_EQ(got.total, expected.total);
  EXPECT_EQ(counts_of(got.facets.type), counts_of(expected.facets.type));
  EXPECT_EQ(counts_of(got.facets.campaign), counts_of(expected.facets.campaign));
  EXPECT_EQ(counts_of(got.facets.year), counts_of(expected.facets.year));
  EXPECT_EQ(counts_of(got.facets.project), counts_of(expected.facets.project));
  EXPECT_EQ(counts_of(got.facets.place), counts_of(expected.facets.place));
  EXPECT_EQ(got.facets.place_years, expected.facets.place_years);
  EXPECT_EQ(got.facets.unknown_places, expected.facets.unknown_places);
}

}  // namespace mediateka::test
