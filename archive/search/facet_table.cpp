#include "archive/search/facet_table.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>

#include "archive/index/schema.h"
#include "archive/text/vocabulary.h"

namespace mediateka {
namespace {

constexpr Xapian::valueno kColumnSlots[FacetTable::kColumns] = {
    schema::kSlotFacets, schema::kSlotPlaces, schema::kSlotPlaceYears};

}  // namespace

int FacetTable::column_of(Xapian::valueno slot) {
  for (int column = 0; column < kColumns; ++column) {
    if (kColumnSlots[column] == slot) return column;
  }
  return -1;
}

FacetTable::FacetTable(const Xapian::Database& db) {
  for (int column = 0; column < kColumns; ++column) {
    Column& table = columns_[column];
    table.codes.assign(db.get_lastdocid() + 1, 0);
    std::unordered_map<std::string, std::uint32_t> codes;
    const Xapian::valueno slot = kColumnSlots[column];
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
      auto [entry, added] = codes.emplace(*it, static_cast<std::uint32_t>(codes.size() + 1));
      if (added) table.values.push_back(entry->first);
      table.codes[it.get_docid()] = entry->second;
    }
  }
  for (const std::string& value : columns_[kFacetsColumn].values) {
    const schema::FacetFields& fields =
        facet_fields_.emplace_back(schema::load_facet_fields(value));
    FacetKeys& keys = facet_keys_.emplace_back();
    keys.type = fields.type;
    for (const std::string& campaign : fields.campaigns) {
      keys.campaigns.push_back(Vocabulary::key(campaign));
    }
    if (!fields.year.empty()) keys.year = std::atoi(fields.year.c_str());
    if (!fields.project.empty()) keys.project = Vocabulary::key(fields.project);
  }
  for (const std::string& value : columns_[kPlacesColumn].values) {
    std::vector<std::string>& keys = place_keys_.emplace_back();
    schema::for_each_place(value, [&](std::string_view place) {
      if (place.empty()) return;
      // An unknown name's key keeps its mark: only a librarian's filter holds such keys.
      if (place.front() == schema::kUnknownPlaceMark) {
        keys.push_back(schema::kUnknownPlaceMark + Vocabulary::key(place.substr(1)));
      } else {
        keys.push_back(Vocabulary::key(place));
      }
    });
  }
}

std::shared_ptr<const FacetTable> FacetTable::of(const Xapian::Database& db) {
  Xapian::rev revision;
  try {
    revision = db.get_revision();  // only one local glass (or chert) database has one
  } catch (const Xapian::InvalidOperationError&) {
    return nullptr;
  } catch (const Xapian::UnimplementedError&) {
    return nullptr;
  }
  // Tables live while a reader holds them; the registry only finds them for other threads.
  static std::mutex mutex;
  static std::map<std::pair<std::string, Xapian::rev>, std::weak_ptr<const FacetTable>> tables;
  const auto key = std::make_pair(db.get_uuid(), revision);
  std::lock_guard<std::mutex> lock(mutex);
  if (std::shared_ptr<const FacetTable> held = tables[key].lock()) return held;
  // Built under the lock: a thread that needs the same table waits for it instead of building
  // its own copy.
  std::shared_ptr<const FacetTable> table(new FacetTable(db));
  tables[key] = table;
  for (auto it = tables.begin(); it != tables.end();) {
    it = it->second.expired() ? tables.erase(it) : std::next(it);
  }
  return table;
}

}  // namespace mediateka
