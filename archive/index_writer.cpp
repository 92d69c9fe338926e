#include "archive/index_writer.h"

#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <unordered_map>

#include "archive/index/audience_databases.h"
#include "archive/index/schema.h"
#include "archive/index/xapian_errors.h"
#include "archive/text/slug.h"
#include "archive/text/synonyms.h"
#include "archive/write/item_document.h"

namespace mediateka {

// One database of the archive (audience_databases.h): the public one or a group's.
struct ArchivePart {
  Xapian::WritableDatabase db;
  std::vector<std::string> access;  // empty for the public database
  // Spelling words of the items put (+) and taken out (-) since the last commit.
  std::unordered_map<std::string, std::int64_t> word_changes;
  std::size_t waiting_words = 0;  // in kSpellingPendingPrefix records (distinct per record)
  std::uint64_t next_waiting_record = 0;
  bool changed = false;  // since the last commit
};

// The writer's state and work; IndexWriter's methods run these with Xapian's errors
// translated (xapian_errors.h).
struct IndexWriter::Impl {
  explicit Impl(const std::string& dir);

  struct Stored {
    Item item;
    ArchivePart* part;
  };
  std::optional<Stored> item_for_term(const std::string& term) const;
  std::optional<Item> find(const std::string& term) const {
    std::optional<Stored> stored = item_for_term(term);
    if (!stored) return std::nullopt;
    return std::move(stored->item);
  }
  std::vector<Item> find_by_checksum(const std::string& checksum) const;
  std::vector<std::string> source_keys() const;
  // Whether a tombstone (of a gone item other than `id`) keeps `slug` in `part`.
  bool slug_kept_by_tombstone(const ArchivePart& part, const std::string& slug,
                              const std::string& id) const;
  std::string unique_slug(const std::string& wanted, const std::string& id,
                          const std::vector<std::string>& access) const;
  std::string tombstone_slug(const std::string& id) const;
  ArchivePart& part_for(const std::vector<std::string>& access);
  void put(Item& item, AnalysedItem::Parts analysed);
  bool remove(const std::string& id);
  // The item a removal took out, as its tombstone keeps it; nullopt when none does.
  std::optional<Item> removed_item(const std::string& id) const;
  // Takes the item stored as `stored` out of its database, leaving a tombstone there.
  void take_out(const Stored& stored);
  // A removal's tombstone keeps the item (`keep_item`), so that it can be restored as it was;
  // a move's does not (the item lives on in another database).
  void add_tombstone(ArchivePart& part, const Item& gone, bool keep_item = false);
  std::optional<SourceFailure> failure(const std::string& key) const;
  std::map<std::string, SourceFailure> failures() const;
  void record_waiting_words(ArchivePart& part);
  void add_waiting_words_to_spelling(ArchivePart& part);
  void commit(bool whole);

  const std::string dir_;
  // The public database first, then the group databases, as they were opened or made.
  std::vector<std::unique_ptr<ArchivePart>> parts_;
  ArchivePart& public_part() const { return *parts_.front(); }
  std::shared_ptr<const PermanentNames> earlier_names_;
};

namespace {

void check_schema(Xapian::WritableDatabase& db, const std::string& path) {
  std::string version = db.get_metadata(schema::kSchemaVersionKey);
  if (version.empty() && db.get_doccount() == 0) {
    db.set_metadata(schema::kSchemaVersionKey, std::to_string(schema::kSchemaVersion));
    db.commit();
  } else if (version != std::to_string(schema::kSchemaVersion)) {
    throw SchemaVersionError("index " + path + " has schema version '" + version +
                             "', this program needs " + std::to_string(schema::kSchemaVersion) +
                             ": import into a new index");
  }
  // Every item this program writes carries the name terms of its list; a database made now holds
  // no item without them.
  const std::string names = Synonyms::names_fingerprint();
  if (db.get_doccount() == 0 && db.get_metadata(schema::kNamesKey) != names) {
    db.set_metadata(schema::kNamesKey, names);
    db.commit();
  }
}

std::unique_ptr<ArchivePart> open_part(const std::string& path, std::vector<std::string> access) {
  auto part = std::make_unique<ArchivePart>();
  part->db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
  part->access = std::move(access);
  check_schema(part->db, path);
  const std::string prefix = schema::kSpellingPendingPrefix;
  for (auto it = part->db.metadata_keys_begin(prefix); it != part->db.metadata_keys_end(prefix);
       ++it) {
    part->next_waiting_record = std::strtoull((*it).c_str() + prefix.size(), nullptr, 10) + 1;
    const std::string record = part->db.get_metadata(*it);
    part->waiting_words += static_cast<std::size_t>(std::count(record.begin(), record.end(), '\n'));
  }
  return part;
}

// The spelling words of a stored item document: its unprefixed terms (schema.h).
std::vector<std::string> spelling_words(const Xapian::Document& document) {
  std::vector<std::string> words;
  for (auto it = document.termlist_begin(); it != document.termlist_end(); ++it) {
    const std::string& term = *it;
    if (!term.empty() && !(term[0] >= 'A' && term[0] <= 'Z')) words.push_back(term);
  }
  return words;
}

}  // namespace

IndexWriter::Impl::Impl(const std::string& dir) : dir_(dir) {
  // An index of schema 6 or older is one database in the folder itself.
  if (std::filesystem::exists(std::filesystem::path(dir) / "iamglass")) {
    throw SchemaVersionError("index " + dir + " has schema version '" +
                             Xapian::Database(dir).get_metadata(schema::kSchemaVersionKey) +
                             "', this program needs " + std::to_string(schema::kSchemaVersion) +
                             ": import into a new index");
  }
  std::filesystem::create_directories(dir);
  // Xapian flushes by itself every 10000 changed documents by default, which could commit an
  // item without all its segments: only commit() may make changes visible. Xapian 1.4 takes the
  // threshold from the environment only, read when a writable database opens.
  static std::once_flag flush_threshold;
  std::call_once(flush_threshold, [] { setenv("XAPIAN_FLUSH_THRESHOLD", "1000000000", 1); });
  // The public database first: its lock is the archive's, held by one writer at a time.
  parts_.push_back(open_part(public_database(dir), {}));
  if (public_part().db.get_metadata(schema::kSecretKey).empty()) {
    unsigned char secret[32];
    std::random_device random;
    for (unsigned char& byte : secret) byte = static_cast<unsigned char>(random());
    static const char* const kDigits = "0123456789abcdef";
    std::string hex;
    for (unsigned char byte : secret) hex.append({kDigits[byte >> 4], kDigits[byte & 15]});
    public_part().db.set_metadata(schema::kSecretKey, hex);
    public_part().db.commit();
  }
  for (GroupDatabase& group : group_databases(dir))
    parts_.push_back(open_part(group.path, std::move(group.access)));
}

ArchivePart& IndexWriter::Impl::part_for(const std::vector<std::string>& access) {
  if (access.empty()) return public_part();
  std::vector<std::string> sorted = access;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const auto& part : parts_)
    if (part->access == sorted) return *part;
  const std::string path = group_database(dir_, sorted);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  parts_.push_back(open_part(path, sorted));
  std::string joined;
  for (const std::string& group : sorted) joined += (joined.empty() ? "" : ",") + group;
  parts_.back()->db.set_metadata(kAccessMetadataKey, joined);
  parts_.back()->changed = true;
  return *parts_.back();
}

std::optional<IndexWriter::Impl::Stored> IndexWriter::Impl::item_for_term(
    const std::string& term) const {
  for (const auto& part : parts_) {
    for (auto it = part->db.postlist_begin(term); it != part->db.postlist_end(term); ++it) {
      const Xapian::Document document = part->db.get_document(*it);
      if (!schema::is_item_document(document)) continue;  // a tombstone keeping the slug
      return Stored{item_from_json(nlohmann::json::parse(document.get_data())), part.get()};
    }
  }
  return std::nullopt;
}

std::vector<Item> IndexWriter::Impl::find_by_checksum(const std::string& checksum) const {
  std::vector<Item> items;
  std::string term = schema::boolean_term(schema::kChecksum, checksum);
  for (const auto& part : parts_) {
    const Xapian::WritableDatabase& db = part->db;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
      const Xapian::Document document = db.get_document(*it);
      if (schema::is_item_document(document))
        items.push_back(item_from_json(nlohmann::json::parse(document.get_data())));
    }
  }
  return items;
}

std::vector<std::string> IndexWriter::Impl::source_keys() const {
  std::vector<std::string> keys;
  const std::string prefix = schema::kSourceKey;
  for (const auto& part : parts_) {
    for (auto it = part->db.allterms_begin(prefix); it != part->db.allterms_end(prefix); ++it)
      keys.push_back((*it).substr(prefix.size()));
  }
  return keys;
}

bool IndexWriter::Impl::slug_kept_by_tombstone(const ArchivePart& part, const std::string& slug,
                                               const std::string& id) const {
  const std::string term = schema::boolean_term(schema::kSlug, slug);
  for (auto it = part.db.postlist_begin(term); it != part.db.postlist_end(term); ++it) {
    const Xapian::Document document = part.db.get_document(*it);
    if (document.get_value(schema::kSlotId) != id) return true;
  }
  return false;
}

// A public item's slug is unique among what the public database holds (items and tombstones)
// and the earlier index's names, so that the slugs visitors see are those of an archive of the
// public items alone. A restricted item's is made from its title and its id ("raport-2016-
// 4f9k2m1q8z0b"): unique by construction, it never takes a name a public title would get, so it
// cannot push a public item to "-2" (which would tell visitors a hidden item has that title).
std::string IndexWriter::Impl::unique_slug(const std::string& wanted, const std::string& id,
                                           const std::vector<std::string>& access) const {
  const std::string base = slugify(wanted) + (access.empty() ? "" : "-" + id);
  for (int suffix = 1;; ++suffix) {
    std::string candidate = suffix == 1 ? base : base + "-" + std::to_string(suffix);
    if (earlier_names_ && earlier_names_->slug_held_by_other(candidate, id)) continue;
    std::optional<Stored> holder = item_for_term(schema::boolean_term(schema::kSlug, candidate));
    if (holder && holder->item.id != id) continue;
    const bool kept = std::any_of(parts_.begin(), parts_.end(), [&](const auto& part) {
      return (access.empty() ? part.get() == parts_.front().get() : true) &&
             slug_kept_by_tombstone(*part, candidate, id);
    });
    if (!kept) return candidate;
  }
}

// The slug a tombstone of this item keeps, if any: a removed item comes back with it.
std::string IndexWriter::Impl::tombstone_slug(const std::string& id) const {
  const std::string term = schema::boolean_term(schema::kTombstoneId, id);
  for (const auto& part : parts_) {
    Xapian::PostingIterator posting = part->db.postlist_begin(term);
    if (posting == part->db.postlist_end(term)) continue;
    const std::string data = part->db.get_document(*posting).get_data();
    return nlohmann::json::parse(data).value("slug", std::string());
  }
  return "";
}

std::optional<Item> IndexWriter::Impl::removed_item(const std::string& id) const {
  const std::string term = schema::boolean_term(schema::kTombstoneId, id);
  for (const auto& part : parts_) {
    Xapian::PostingIterator posting = part->db.postlist_begin(term);
    if (posting == part->db.postlist_end(term)) continue;
    const nlohmann::json data = nlohmann::json::parse(part->db.get_document(*posting).get_data());
    if (data.contains("item")) return item_from_json(data["item"]);
  }
  return std::nullopt;
}

void IndexWriter::Impl::add_tombstone(ArchivePart& part, const Item& gone, bool keep_item) {
  Xapian::Document tombstone;
  tombstone.add_boolean_term(schema::kTombstone);
  tombstone.add_boolean_term(schema::boolean_term(schema::kTombstoneId, gone.id));
  if (!gone.slug.empty())
    tombstone.add_boolean_term(schema::boolean_term(schema::kSlug, gone.slug));
  add_set_terms(tombstone, gone);
  tombstone.add_value(schema::kSlotChanged, changed_now());
  tombstone.add_value(schema::kSlotId, gone.id);
  nlohmann::json data{{"id", gone.id}, {"slug", gone.slug}};
  if (keep_item) data["item"] = item_to_json(gone, JsonView::stored);
  tombstone.set_data(data.dump());
  part.db.replace_document(schema::boolean_term(schema::kTombstoneId, gone.id), tombstone);
  part.changed = true;
}

void IndexWriter::Impl::take_out(const Stored& stored) {
  ArchivePart& part = *stored.part;
  const std::string id_term = schema::boolean_term(schema::kId, stored.item.id);
  Xapian::PostingIterator posting = part.db.postlist_begin(id_term);
  if (posting != part.db.postlist_end(id_term)) {
    for (const std::string& word : spelling_words(part.db.get_document(*posting)))
      --part.word_changes[word];
  }
  part.db.delete_document(schema::boolean_term(schema::kParent, stored.item.id));
  part.db.delete_document(id_term);
  part.changed = true;
}

void IndexWriter::Impl::put(Item& item, AnalysedItem::Parts analysed) {
  const std::string key = source_key(item);
  if (item.id.empty()) {
    std::optional<Item> same_source = find(schema::boolean_term(schema::kSourceKey, key));
    if (same_source) {
      item.id = same_source->id;
    } else {
      for (int attempt = 0;; ++attempt) {
        item.id = make_item_id(attempt == 0 ? key : key + "#" + std::to_string(attempt));
        if (!find(schema::boolean_term(schema::kId, item.id)) &&
            !(earlier_names_ && earlier_names_->by_id(item.id)))
          break;
      }
    }
  }
  if (!is_valid_identifier(item.id)) {
    throw std::invalid_argument("invalid item id '" + item.id +
                                "': use 1-120 characters of a-z, 0-9, '-' and '_'");
  }
  std::optional<Stored> stored = item_for_term(schema::boolean_term(schema::kId, item.id));
  if (stored) {
    item.slug = stored->item.slug;  // slugs are permanent
  } else if (std::string kept = tombstone_slug(item.id); !kept.empty()) {
    item.slug = kept;  // a removed item comes back under its name
  } else {
    item.slug = unique_slug(item.slug.empty() ? item.title : item.slug, item.id, item.access);
  }

  ArchivePart& part = part_for(item.access);
  Xapian::Document& document = analysed.item_document;
  add_item_fields(document, item, key);
  document.add_value(schema::kSlotChanged, changed_now());
  schema::store_hit_fields(document, item, analysed.location_starts);
  if (stored) {
    take_out(*stored);
    // Leaving its audience's database, the item is gone for that audience: harvesters are
    // told so, and the tombstone stays whatever happens to the item later.
    if (stored->part != &part) add_tombstone(*stored->part, stored->item);
  }
  part.db.delete_document(schema::boolean_term(schema::kTombstoneId, item.id));
  for (std::string& word : analysed.words) ++part.word_changes[std::move(word)];

  // The item and its segments are added anew, one after the other, however many there were
  // before: the searcher finds a place's segment by its docid (see HitFields::location_starts).
  const std::string parent_term = schema::boolean_term(schema::kParent, item.id);
  part.db.add_document(document);
  for (AnalysedItem::Parts::LocationText& place : analysed.locations) {
    Xapian::Document segment;
    segment.add_boolean_term(schema::kSegmentDoc);
    segment.add_boolean_term(parent_term);
    schema::store_segment(segment, {item.id, std::move(place.segment), std::move(place.words)});
    part.db.add_document(segment);
  }
  part.changed = true;
}

bool IndexWriter::Impl::remove(const std::string& id) {
  std::optional<Stored> stored = item_for_term(schema::boolean_term(schema::kId, id));
  if (!stored) return false;
  take_out(*stored);
  add_tombstone(*stored->part, stored->item, true);
  return true;
}

std::optional<SourceFailure> IndexWriter::Impl::failure(const std::string& key) const {
  std::string data = public_part().db.get_metadata(schema::kFailedPrefix + key);
  if (data.empty()) return std::nullopt;
  nlohmann::json json = nlohmann::json::parse(data);
  return SourceFailure{json.value("error", ""), json.value("size", std::int64_t{0}),
                       json.value("mtime", std::int64_t{0})};
}

std::map<std::string, SourceFailure> IndexWriter::Impl::failures() const {
  std::map<std::string, SourceFailure> result;
  const std::string prefix = schema::kFailedPrefix;
  const Xapian::WritableDatabase& db = public_part().db;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    std::string key = (*it).substr(prefix.size());
    if (auto failure_record = failure(key)) result.emplace(key, *failure_record);
  }
  return result;
}

void IndexWriter::Impl::record_waiting_words(ArchivePart& part) {
  std::string record;
  std::size_t count = 0;
  for (const auto& [word, change] : part.word_changes) {
    if (change == 0) continue;
    record.append(word).append(1, '\t').append(std::to_string(change)).append(1, '\n');
    ++count;
  }
  part.word_changes.clear();
  if (count == 0) return;
  char key[32];
  std::snprintf(key, sizeof key, "%012llu",
                static_cast<unsigned long long>(part.next_waiting_record));
  part.db.set_metadata(schema::kSpellingPendingPrefix + std::string(key), record);
  ++part.next_waiting_record;
  part.waiting_words += count;
}

// The waiting changes of every record, summed per word, reach the spelling table: an item
// put and taken out again before they do leaves nothing.
void IndexWriter::Impl::add_waiting_words_to_spelling(ArchivePart& part) {
  const std::string prefix = schema::kSpellingPendingPrefix;
  std::vector<std::string> keys;
  std::unordered_map<std::string, std::int64_t> words;
  Xapian::WritableDatabase& db = part.db;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    keys.push_back(*it);
    const std::string record = db.get_metadata(*it);
    for (std::size_t line = 0; line < record.size();) {
      std::size_t tab = record.find('\t', line);
      std::size_t end = record.find('\n', line);
      if (end == std::string::npos) end = record.size();
      if (tab != std::string::npos && tab < end)
        words[record.substr(line, tab - line)] +=
            std::strtoll(record.c_str() + tab + 1, nullptr, 10);
      line = end + 1;
    }
  }
  for (const auto& [word, change] : words) {
    if (change > 0) db.add_spelling(word, static_cast<Xapian::termcount>(change));
    if (change < 0) db.remove_spelling(word, static_cast<Xapian::termcount>(-change));
  }
  for (const std::string& key : keys) db.set_metadata(key, "");
  part.waiting_words = 0;
}

// Group databases first, the public one last with a new generation: a reader that sees the
// public database's commit finds every other database's commit of the same run.
void IndexWriter::Impl::commit(bool whole) {
  bool any = false;
  for (auto it = parts_.rbegin(); it != parts_.rend(); ++it) {
    ArchivePart& part = **it;
    record_waiting_words(part);
    if (whole ? part.waiting_words > 0
              : part.waiting_words >= IndexWriter::kMaxWaitingSpellingWords)
      add_waiting_words_to_spelling(part);
    any = any || part.changed;
    if (&part == &public_part() && any) {
      const std::string generation = part.db.get_metadata(schema::kGenerationKey);
      part.db.set_metadata(schema::kGenerationKey,
                           std::to_string(std::strtoull(generation.c_str(), nullptr, 10) + 1));
    }
    part.db.commit();
    part.changed = false;
  }
}

namespace {

void add_stats(ArchiveStats& stats, const Xapian::Database& db) {
  for (auto it = db.postlist_begin(schema::kItemDoc); it != db.postlist_end(schema::kItemDoc);
       ++it) {
    const schema::FacetFields fields =
        schema::load_facet_fields(db.get_document(*it).get_value(schema::kSlotFacets));
    ++stats.items;
    ++stats.by_type[fields.type];
    for (const std::string& campaign : fields.campaigns) ++stats.by_campaign[campaign];
    if (!fields.year.empty()) ++stats.by_year[fields.year];
  }
  stats.restricted += db.get_termfreq(schema::kRestricted);
  const std::string group_prefix = schema::kAccessGroup;
  for (auto it = db.allterms_begin(group_prefix); it != db.allterms_end(group_prefix); ++it)
    stats.by_access[(*it).substr(group_prefix.size())] += it.get_termfreq();
  // Few items have OCR'd or repaired pages: only theirs are read whole.
  const auto stored_item = [&](Xapian::docid id) {
    return item_from_json(nlohmann::json::parse(db.get_document(id).get_data()));
  };
  for (auto it = db.postlist_begin(schema::kHasOcrPages);
       it != db.postlist_end(schema::kHasOcrPages); ++it)
    stats.ocr_pages += stored_item(*it).ocr_pages.size();
  for (auto it = db.postlist_begin(schema::kHasRepairedPages);
       it != db.postlist_end(schema::kHasRepairedPages); ++it)
    stats.repaired_pages += stored_item(*it).repaired_pages.size();
  const std::string prefix = schema::kFailedPrefix;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    if (!db.get_metadata(*it).empty()) ++stats.failed_sources;
  }
}

}  // namespace

IndexWriter::IndexWriter(const std::string& dir)
    : impl_(translating_errors([&] { return std::make_unique<Impl>(dir); })) {}

// Xapian commits what was left uncommitted when the database is closed: the words of those
// items must be in it too.
IndexWriter::~IndexWriter() {
  try {
    for (const auto& part : impl_->parts_) impl_->record_waiting_words(*part);
  } catch (...) {
    // A destructor must not throw; those items then only miss from spelling corrections.
  }
}

std::string IndexWriter::source_key(const Item& item) {
  return item.source.url.empty() ? item.source.file : item.source.url;
}

std::optional<Item> IndexWriter::find_by_id(const std::string& id) const {
  return translating_errors([&] { return impl_->find(schema::boolean_term(schema::kId, id)); });
}

std::optional<Item> IndexWriter::find_by_source(const std::string& key) const {
  return translating_errors(
      [&] { return impl_->find(schema::boolean_term(schema::kSourceKey, key)); });
}

std::optional<Item> IndexWriter::find_by_slug(const std::string& slug) const {
  return translating_errors([&] { return impl_->find(schema::boolean_term(schema::kSlug, slug)); });
}

std::vector<Item> IndexWriter::find_by_checksum(const std::string& checksum) const {
  return translating_errors([&] { return impl_->find_by_checksum(checksum); });
}

std::vector<std::string> IndexWriter::source_keys() const {
  return translating_errors([&] { return impl_->source_keys(); });
}

void IndexWriter::keep_names_of(std::shared_ptr<const PermanentNames> earlier) {
  impl_->earlier_names_ = std::move(earlier);
}

void IndexWriter::put(Item& item) { put(item, AnalysedItem(item)); }

void IndexWriter::put(Item& item, AnalysedItem analysed) {
  translating_errors([&] { impl_->put(item, std::move(*analysed.parts_)); });
}

bool IndexWriter::remove(const std::string& id) {
  return translating_errors([&] { return impl_->remove(id); });
}

std::optional<Item> IndexWriter::removed_item(const std::string& id) const {
  return translating_errors([&] { return impl_->removed_item(id); });
}

void IndexWriter::record_failure(const std::string& key, const SourceFailure& failure) {
  nlohmann::json data{{"error", failure.error}, {"size", failure.size}, {"mtime", failure.mtime}};
  translating_errors([&] {
    impl_->public_part().db.set_metadata(schema::kFailedPrefix + key, data.dump());
    impl_->public_part().changed = true;
  });
}

void IndexWriter::clear_failure(const std::string& key) {
  translating_errors([&] {
    impl_->public_part().db.set_metadata(schema::kFailedPrefix + key, "");
    impl_->public_part().changed = true;
  });
}

std::optional<SourceFailure> IndexWriter::failure(const std::string& key) const {
  return translating_errors([&] { return impl_->failure(key); });
}

std::map<std::string, SourceFailure> IndexWriter::failures() const {
  return translating_errors([&] { return impl_->failures(); });
}

void IndexWriter::commit() {
  translating_errors([&] { impl_->commit(true); });
}

void IndexWriter::commit_batch() {
  translating_errors([&] { impl_->commit(false); });
}

ArchiveStats IndexWriter::stats() const {
  return translating_errors([&] {
    ArchiveStats stats;
    for (const auto& part : impl_->parts_) add_stats(stats, part->db);
    return stats;
  });
}

ArchiveStats IndexWriter::read_stats(const std::string& dir) {
  return translating_errors([&] {
    ArchiveStats stats;
    add_stats(stats, Xapian::Database(public_database(dir)));
    for (const GroupDatabase& group : group_databases(dir))
      add_stats(stats, Xapian::Database(group.path));
    return stats;
  });
}

}  // namespace mediateka
