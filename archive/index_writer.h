// The only component that writes the index. One IndexWriter per database at a
// time (Xapian holds a lock; a second writer gets IndexLocked, index_error.h).
// Not thread-safe: use it from one thread.
//
// Every method throws the archive's IndexError (index_error.h) for a fault of the index, and
// IndexRejected for an item that Xapian would not take; never Xapian's own types.
//
// Nothing is visible to searchers before commit(): the writer keeps Xapian from flushing on
// its own (it sets XAPIAN_FLUSH_THRESHOLD for the process), so a commit never holds half an
// item. A crash between commits loses only the uncommitted changes; the database opens at the
// last commit.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "archive/analysed_item.h"
#include "archive/index_error.h"
#include "archive/item.h"
#include "archive/write/permanent_names.h"

namespace mediateka {

struct SourceFailure {
  std::string error;
  std::int64_t size = 0;
  std::int64_t mtime = 0;
};

struct ArchiveStats {
  std::size_t items = 0;
  std::map<std::string, std::size_t> by_type;
  std::map<std::string, std::size_t> by_campaign;
  std::map<std::string, std::size_t> by_year;
  std::size_t failed_sources = 0;
  std::size_t restricted = 0;                    // items seen only by their groups
  std::map<std::string, std::size_t> by_access;  // restricted items per group
  std::size_t ocr_pages = 0;                     // pages of stored items read by OCR
  std::size_t repaired_pages = 0;                // pages whose mis-decoded text was repaired
};

class IndexWriter {
 public:
  // Opens the archive folder `dir` (audience_databases.h: a database per audience), creating it
  // (and missing parent folders) if needed. Throws
  // SchemaVersionError for an index of another schema version, IndexLocked while another
  // writer has it open.
  explicit IndexWriter(const std::string& dir);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Stored items, looked up by id, by source key (absolute path or URL), by content checksum.
  std::optional<Item> find_by_id(const std::string& id) const;
  std::optional<Item> find_by_source(const std::string& source_key) const;
  // The item whose slug is `slug` (whatever its access).
  std::optional<Item> find_by_slug(const std::string& slug) const;
  std::vector<Item> find_by_checksum(const std::string& checksum) const;
  // Source keys of every stored item (for --prune).
  std::vector<std::string> source_keys() const;

  // Stores `item`, replacing the stored item with the same id (with all its segments).
  // An empty id is derived from the source key; an empty slug is made from the title
  // and made unique. The chosen id and slug are written back into `item`.
  void put(Item& item);
  // The same with the text already analysed: `analysed` must be made from `item` as it is
  // apart from its id and slug.
  void put(Item& item, AnalysedItem analysed);
  // Removes an item and its segments (a public one leaves a tombstone, schema.h). False when
  // there is no such item.
  bool remove(const std::string& id);
  // The item `remove` took out, as it was then (to restore it: its source and fields); nullopt
  // when no removal's tombstone has that id (never removed, already back, or removed before
  // tombstones kept their items).
  std::optional<Item> removed_item(const std::string& id) const;

  // Failed sources are remembered until they change or are imported.
  void record_failure(const std::string& source_key, const SourceFailure& failure);
  void clear_failure(const std::string& source_key);
  std::optional<SourceFailure> failure(const std::string& source_key) const;
  std::map<std::string, SourceFailure> failures() const;

  // Makes everything put or removed so far visible and durable, the spelling table included.
  void commit();
  // The same for the items, for a batch of a long import: the batch's words wait, durably, as
  // database metadata and reach the spelling table (and so spelling corrections) together, at
  // the next commit() or once kMaxWaitingSpellingWords of them wait (counted once per batch
  // they occur in, which bounds the memory that taking them in needs). Xapian rewrites the
  // spelling table's word lists whole whenever words are added to them, so adding them at
  // every batch made each commit cost more than the last. Words left waiting by a run that
  // was killed are taken in by the next writer's commit().
  void commit_batch();
  static constexpr std::size_t kMaxWaitingSpellingWords = 100000;
  ArchiveStats stats() const;
  // The same figures from a database opened read-only, so they can be read while an import runs.
  static ArchiveStats read_stats(const std::string& dir);

  // The source key of an item: its URL when it has one, else its absolute file path.
  static std::string source_key(const Item& item);

  // Names (ids and slugs) of an earlier index that this one is rebuilding: an item given one of
  // them keeps it, and new items never take them (see PermanentNames).
  void keep_names_of(std::shared_ptr<const PermanentNames> earlier);

 private:
  struct Impl;  // the Xapian database and the words waiting for the spelling table
  std::unique_ptr<Impl> impl_;
};

}  // namespace mediateka
