#include "archive/write/permanent_names.h"

#include <xapian.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "archive/index/audience_databases.h"
#include "archive/index/schema.h"
#include "archive/index/xapian_errors.h"
#include "archive/index_writer.h"
#include "archive/item.h"

namespace mediateka {

// Only what every schema version so far shares is read: the item documents' marker term and
// their data, the item's JSON.
PermanentNames PermanentNames::read(const std::string& dir) {
  Xapian::Database db;
  try {
    if (is_archive_folder(dir)) {  // schema 7 on: a database per audience
      db = Xapian::Database(public_database(dir));
      for (const GroupDatabase& group : group_databases(dir))
        db.add_database(Xapian::Database(group.path));
    } else {
      db = Xapian::Database(dir);
    }
  } catch (const Xapian::Error& error) {
    throw std::runtime_error("cannot read the names of the items in " + dir + ": " +
                             error.get_description());
  }
  // Read the whole index: its faults while reading leave as the archive's (index_error.h).
  return translating_errors([&] {
    PermanentNames names;
    for (auto it = db.postlist_begin(schema::kItemDoc); it != db.postlist_end(schema::kItemDoc);
         ++it) {
      Item item;
      try {
        item = item_from_json(nlohmann::json::parse(db.get_document(*it).get_data()));
      } catch (const nlohmann::json::exception& error) {
        throw std::runtime_error("cannot read the names of the items in " + dir + ": document " +
                                 std::to_string(*it) + " holds no item: " + error.what());
      }
      if (item.id.empty()) continue;
      const std::size_t at = names.names_.size();
      names.names_.push_back({item.id, item.slug, IndexWriter::source_key(item), item.source.file,
                              item.source.checksum});
      const Name& name = names.names_.back();
      names.by_id_.emplace(name.id, at);
      if (!name.source_key.empty()) names.by_source_.emplace(name.source_key, at);
      if (!name.slug.empty()) names.by_slug_.emplace(name.slug, at);
      if (!name.checksum.empty()) names.by_checksum_.emplace(name.checksum, at);
    }
    return names;
  });
}

const PermanentNames::Name* PermanentNames::by_source(const std::string& source_key) const {
  auto it = by_source_.find(source_key);
  return it == by_source_.end() ? nullptr : &names_[it->second];
}

const PermanentNames::Name* PermanentNames::by_id(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &names_[it->second];
}

std::vector<const PermanentNames::Name*> PermanentNames::by_checksum(
    const std::string& checksum) const {
  std::vector<const Name*> found;
  auto [begin, end] = by_checksum_.equal_range(checksum);
  for (auto it = begin; it != end; ++it) found.push_back(&names_[it->second]);
  return found;
}

bool PermanentNames::slug_held_by_other(const std::string& slug, const std::string& id) const {
  auto it = by_slug_.find(slug);
  return it != by_slug_.end() && names_[it->second].id != id;
}

}  // namespace mediateka
