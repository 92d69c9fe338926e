// The permanent names (ids and slugs) of the items of an existing index, read from any schema
// version, so that an index rebuilt from the same sources — after an upgrade that changes the
// schema, or to start afresh — gives every item the id and slug it had: links to the archive
// never break (docs/permanent-links.md). Read-only; the index may be in use.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace mediateka {

class PermanentNames {
 public:
  struct Name {
    std::string id;
    std::string slug;
    std::string source_key;  // the source's absolute path or URL (IndexWriter::source_key)
    std::string file;        // absolute path of the local file it was made from
    std::string checksum;
  };

  PermanentNames() = default;
  // The names of every item of the index at `dir`. Throws std::runtime_error naming the folder
  // when it holds no readable index.
  static PermanentNames read(const std::string& dir);

  const Name* by_source(const std::string& source_key) const;
  const Name* by_id(const std::string& id) const;
  std::vector<const Name*> by_checksum(const std::string& checksum) const;
  // Whether `slug` belongs there to an item other than `id`.
  bool slug_held_by_other(const std::string& slug, const std::string& id) const;
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<Name> names_;
  std::map<std::string, std::size_t> by_source_, by_id_, by_slug_;
  std::multimap<std::string, std::size_t> by_checksum_;
};

}  // namespace mediateka
