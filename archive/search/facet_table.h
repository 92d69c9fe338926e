// The facet values of every document of one local index, read once per commit and shared by
// the threads that read that commit (internal to archive/). Counting the facets of a match
// through Xapian's ValueCountMatchSpy reads the match's value and looks it up in a map of
// strings; through a table it is one array look-up, several times cheaper. Building a table
// reads the counted slots' value streams once. `mediateka-bench-search DB ROUNDS 5` measures
// all three; docs/performance.md has the figures at 100,000 items.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/index/schema.h"

namespace mediateka {

class FacetTable {
 public:
  // The slots a table holds: kSlotFacets, kSlotPlaces and kSlotPlaceYears (schema.h).
  static constexpr int kColumns = 3;
  static constexpr int kFacetsColumn = 0, kPlacesColumn = 1, kPlaceYearsColumn = 2;
  // The column of `slot`, or -1 when a table does not hold it.
  static int column_of(Xapian::valueno slot);

  // The table of `db` at the revision it has open, built when no thread holds it yet. Null
  // when `db` is not one local database (a remote shard, or a stub file listing several): its
  // documents are counted by Xapian's spies.
  static std::shared_ptr<const FacetTable> of(const Xapian::Database& db);

  // The value `docid` holds in `column`, as a code: 0 when none, else value(code).
  std::uint32_t code(int column, Xapian::docid docid) const {
    const std::vector<std::uint32_t>& codes = columns_[column].codes;
    return docid < codes.size() ? codes[docid] : 0;
  }
  const std::string& value(int column, std::uint32_t code) const {
    return columns_[column].values[code - 1];
  }
  std::size_t codes(int column) const { return columns_[column].values.size() + 1; }

  // What a filter tests of a kSlotFacets value, as the filter's terms hold it: campaigns and
  // project as Vocabulary keys.
  struct FacetKeys {
    std::string type;
    std::vector<std::string> campaigns;
    std::optional<int> year;
    std::string project;
  };
  // Of the value of kFacetsColumn coded `code` (≥ 1).
  const FacetKeys& facet_keys(std::uint32_t code) const { return facet_keys_[code - 1]; }
  // The value of kFacetsColumn coded `code` (≥ 1), read into its fields once per commit rather
  // than at every search (docs/performance.md, "100,000 items").
  const schema::FacetFields& facet_fields(std::uint32_t code) const {
    return facet_fields_[code - 1];
  }
  // The places of the value of kPlacesColumn coded `code` (≥ 1), as Vocabulary keys (an unknown
  // place's after schema::kUnknownPlaceMark).
  const std::vector<std::string>& place_keys(std::uint32_t code) const {
    return place_keys_[code - 1];
  }

 private:
  struct Column {
    std::vector<std::uint32_t> codes;  // by docid
    std::vector<std::string> values;   // by code - 1
  };
  explicit FacetTable(const Xapian::Database& db);

  Column columns_[kColumns];
  std::vector<schema::FacetFields> facet_fields_;     // by code - 1
  std::vector<FacetKeys> facet_keys_;                 // by code - 1
  std::vector<std::vector<std::string>> place_keys_;  // by code - 1
};

}  // namespace mediateka
