#include "index_writer.h"

#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>

#include "item_document.h"
#include "schema.h"
#include "slug.h"
#include "xapian_errors.h"

namespace mediateka {

// The writer's state and work; IndexWriter's methods run these with Xapian's errors
// translated (xapian_errors.h).
struct IndexWriter::Impl {
  explicit Impl(const std::string& dir);

  std::optional<Item> item_for_term(const std::string& term) const;
  std::optional<Item> find_by_id(const std::string& id) const;
  std::optional<Item> find_by_source(const std::string& key) const;
  std::vector<Item> find_by_checksum(const std::string& checksum) const;
  std::vector<std::string> source_keys() const;
  std::string unique_slug(const std::string& wanted, const std::string& id) const;
  void put(Item& item, AnalysedItem::Parts analysed);
  bool remove(const std::string& id);
  // Leaves schema::kTombstone for a public item that is gone (removed, or made restricted).
  void add_tombstone(const Item& gone);
  std::optional<SourceFailure> failure(const std::string& key) const;
  std::map<std::string, SourceFailure> failures() const;
  void record_waiting_words();
  void add_waiting_words_to_spelling();

  Xapian::WritableDatabase db_;
  std::shared_ptr<const PermanentNames> earlier_names_;
  // Words of the items put since the last commit, and in how many items each occurs.
  std::unordered_map<std::string, Xapian::termcount> new_words_;
  std::size_t waiting_words_ = 0;  // in kSpellingPendingPrefix records (distinct per record)
  std::uint64_t next_waiting_record_ = 0;
};

IndexWriter::Impl::Impl(const std::string& dir) {
  std::filesystem::path path(dir);
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  // Xapian flushes by itself every 10000 changed documents by default, which could commit an
  // item without all its segments: only commit() may make changes visible. Xapian 1.4 takes the
  // threshold from the environment only, read when a writable database opens.
  static std::once_flag flush_threshold;
  std::call_once(flush_threshold, [] { setenv("XAPIAN_FLUSH_THRESHOLD", "1000000000", 1); });
  db_ = Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN);
  std::string version = db_.get_metadata(schema::kSchemaVersionKey);
  if (version.empty() && db_.get_doccount() == 0) {
    db_.set_metadata(schema::kSchemaVersionKey, std::to_string(schema::kSchemaVersion));
    db_.commit();
  } else if (version != std::to_string(schema::kSchemaVersion)) {
    throw SchemaVersionError("index " + dir + " has schema version '" + version +
                             "', this program needs " + std::to_string(schema::kSchemaVersion) +
                             ": import into a new index");
  }
  const std::string prefix = schema::kSpellingPendingPrefix;
  for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it) {
    next_waiting_record_ = std::strtoull((*it).c_str() + prefix.size(), nullptr, 10) + 1;
    const std::string record = db_.get_metadata(*it);
    waiting_words_ += static_cast<std::size_t>(std::count(record.begin(), record.end(), '\n'));
  }
}

std::optional<Item> IndexWriter::Impl::item_for_term(const std::string& term) const {
  Xapian::PostingIterator posting = db_.postlist_begin(term);
  if (posting == db_.postlist_end(term)) return std::nullopt;
  return item_from_json(nlohmann::json::parse(db_.get_document(*posting).get_data()));
}

std::optional<Item> IndexWriter::Impl::find_by_id(const std::string& id) const {
  return item_for_term(schema::boolean_term(schema::kId, id));
}

std::optional<Item> IndexWriter::Impl::find_by_source(const std::string& key) const {
  return item_for_term(schema::boolean_term(schema::kSourceKey, key));
}

std::vector<Item> IndexWriter::Impl::find_by_checksum(const std::string& checksum) const {
  std::vector<Item> items;
  std::string term = schema::boolean_term(schema::kChecksum, checksum);
  for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
    items.push_back(item_from_json(nlohmann::json::parse(db_.get_document(*it).get_data())));
  }
  return items;
}

std::vector<std::string> IndexWriter::Impl::source_keys() const {
  std::vector<std::string> keys;
  const std::string prefix = schema::kSourceKey;
  for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
    keys.push_back((*it).substr(prefix.size()));
  }
  return keys;
}

std::string IndexWriter::Impl::unique_slug(const std::string& wanted, const std::string& id) const {
  std::string base = slugify(wanted);
  for (int suffix = 1;; ++suffix) {
    std::string candidate = suffix == 1 ? base : base + "-" + std::to_string(suffix);
    if (earlier_names_ && earlier_names_->slug_held_by_other(candidate, id)) continue;
    std::optional<Item> holder = item_for_term(schema::boolean_term(schema::kSlug, candidate));
    if (!holder || holder->id == id) return candidate;
  }
}

void IndexWriter::Impl::add_tombstone(const Item& gone) {
  Xapian::Document tombstone;
  tombstone.add_boolean_term(schema::kTombstone);
  tombstone.add_boolean_term(schema::boolean_term(schema::kTombstoneId, gone.id));
  add_set_terms(tombstone, gone);
  tombstone.add_value(schema::kSlotChanged, changed_now());
  tombstone.set_data(nlohmann::json{{"id", gone.id}}.dump());
  db_.replace_document(schema::boolean_term(schema::kTombstoneId, gone.id), tombstone);
}

void IndexWriter::Impl::put(Item& item, AnalysedItem::Parts analysed) {
  const std::string key = source_key(item);
  if (item.id.empty()) {
    std::optional<Item> same_source = find_by_source(key);
    if (same_source) {
      item.id = same_source->id;
    } else {
      for (int attempt = 0;; ++attempt) {
        item.id = make_item_id(attempt == 0 ? key : key + "#" + std::to_string(attempt));
        if (!find_by_id(item.id) && !(earlier_names_ && earlier_names_->by_id(item.id))) break;
      }
    }
  }
  if (!is_valid_identifier(item.id)) {
    throw std::invalid_argument("invalid item id '" + item.id +
                                "': use 1-120 characters of a-z, 0-9, '-' and '_'");
  }
  std::optional<Item> stored = find_by_id(item.id);
  if (stored) {
    item.slug = stored->slug;  // slugs are permanent
  } else {
    item.slug = unique_slug(item.slug.empty() ? item.title : item.slug, item.id);
  }

  Xapian::Document& document = analysed.item_document;
  add_item_fields(document, item, key);
  document.add_value(schema::kSlotChanged, changed_now());
  db_.delete_document(schema::boolean_term(schema::kTombstoneId, item.id));
  // Made restricted, a public item is gone for everyone else: harvesters are told so.
  if (stored && stored->access.empty() && !item.access.empty()) add_tombstone(*stored);
  schema::store_hit_fields(document, item, analysed.place_starts);
  for (std::string& word : analysed.words) ++new_words_[std::move(word)];

  // The item and its segments are added anew, one after the other, however many there were
  // before: the searcher finds a place's segment by its docid (see HitFields::place_starts).
  const std::string parent_term = schema::boolean_term(schema::kParent, item.id);
  db_.delete_document(parent_term);
  db_.delete_document(schema::boolean_term(schema::kId, item.id));
  db_.add_document(document);
  for (AnalysedItem::Parts::Place& place : analysed.places) {
    Xapian::Document segment;
    segment.add_boolean_term(schema::kSegmentDoc);
    segment.add_boolean_term(parent_term);
    schema::store_segment(segment, {item.id, std::move(place.segment), std::move(place.words)});
    db_.add_document(segment);
  }
}

bool IndexWriter::Impl::remove(const std::string& id) {
  std::optional<Item> stored = find_by_id(id);
  if (!stored) return false;
  db_.delete_document(schema::boolean_term(schema::kParent, id));
  db_.delete_document(schema::boolean_term(schema::kId, id));
  if (stored->access.empty()) add_tombstone(*stored);
  return true;
}

std::optional<SourceFailure> IndexWriter::Impl::failure(const std::string& key) const {
  std::string data = db_.get_metadata(schema::kFailedPrefix + key);
  if (data.empty()) return std::nullopt;
  nlohmann::json json = nlohmann::json::parse(data);
  return SourceFailure{json.value("error", ""), json.value("size", std::int64_t{0}),
                       json.value("mtime", std::int64_t{0})};
}

std::map<std::string, SourceFailure> IndexWriter::Impl::failures() const {
  std::map<std::string, SourceFailure> result;
  const std::string prefix = schema::kFailedPrefix;
  for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it) {
    std::string key = (*it).substr(prefix.size());
    if (auto failure_record = failure(key)) result.emplace(key, *failure_record);
  }
  return result;
}

void IndexWriter::Impl::record_waiting_words() {
  if (new_words_.empty()) return;
  std::string record;
  for (const auto& [word, items] : new_words_) {
    record.append(word).append(1, '\t').append(std::to_string(items)).append(1, '\n');
  }
  char key[32];
  std::snprintf(key, sizeof key, "%012llu", static_cast<unsigned long long>(next_waiting_record_));
  db_.set_metadata(schema::kSpellingPendingPrefix + std::string(key), record);
  ++next_waiting_record_;
  waiting_words_ += new_words_.size();
  new_words_.clear();
}

void IndexWriter::Impl::add_waiting_words_to_spelling() {
  const std::string prefix = schema::kSpellingPendingPrefix;
  std::vector<std::string> keys;
  std::unordered_map<std::string, Xapian::termcount> words;
  for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it) {
    keys.push_back(*it);
    const std::string record = db_.get_metadata(*it);
    for (std::size_t line = 0; line < record.size();) {
      std::size_t tab = record.find('\t', line);
      std::size_t end = record.find('\n', line);
      if (end == std::string::npos) end = record.size();
      if (tab != std::string::npos && tab < end) {
        words[record.substr(line, tab - line)] +=
            static_cast<Xapian::termcount>(std::strtoul(record.c_str() + tab + 1, nullptr, 10));
      }
      line = end + 1;
    }
  }
  for (const auto& [word, items] : words) db_.add_spelling(word, items);
  for (const std::string& key : keys) db_.set_metadata(key, "");
  waiting_words_ = 0;
}

namespace {

ArchiveStats collect_stats(const Xapian::Database& db) {
  ArchiveStats stats;
  for (auto it = db.postlist_begin(schema::kItemDoc); it != db.postlist_end(schema::kItemDoc);
       ++it) {
    const schema::FacetFields fields =
        schema::load_facet_fields(db.get_document(*it).get_value(schema::kSlotFacets));
    ++stats.items;
    ++stats.by_type[fields.type];
    for (const std::string& campaign : fields.campaigns) ++stats.by_campaign[campaign];
    if (!fields.year.empty()) ++stats.by_year[fields.year];
  }
  stats.restricted = db.get_termfreq(schema::kRestricted);
  const std::string group_prefix = schema::kAccessGroup;
  for (auto it = db.allterms_begin(group_prefix); it != db.allterms_end(group_prefix); ++it)
    stats.by_access[(*it).substr(group_prefix.size())] = it.get_termfreq();
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
  return stats;
}

}  // namespace

IndexWriter::IndexWriter(const std::string& dir)
    : impl_(translating_errors([&] { return std::make_unique<Impl>(dir); })) {}

// Xapian commits what was left uncommitted when the database is closed: the words of those
// items must be in it too.
IndexWriter::~IndexWriter() {
  try {
    impl_->record_waiting_words();
  } catch (...) {
    // A destructor must not throw; those items then only miss from spelling corrections.
  }
}

std::string IndexWriter::source_key(const Item& item) {
  return item.source.url.empty() ? item.source.file : item.source.url;
}

std::optional<Item> IndexWriter::find_by_id(const std::string& id) const {
  return translating_errors([&] { return impl_->find_by_id(id); });
}

std::optional<Item> IndexWriter::find_by_source(const std::string& key) const {
  return translating_errors([&] { return impl_->find_by_source(key); });
}

std::optional<Item> IndexWriter::find_by_slug(const std::string& slug) const {
  return translating_errors(
      [&] { return impl_->item_for_term(schema::boolean_term(schema::kSlug, slug)); });
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

void IndexWriter::record_failure(const std::string& key, const SourceFailure& failure) {
  nlohmann::json data{{"error", failure.error}, {"size", failure.size}, {"mtime", failure.mtime}};
  translating_errors([&] { impl_->db_.set_metadata(schema::kFailedPrefix + key, data.dump()); });
}

void IndexWriter::clear_failure(const std::string& key) {
  translating_errors([&] { impl_->db_.set_metadata(schema::kFailedPrefix + key, ""); });
}

std::optional<SourceFailure> IndexWriter::failure(const std::string& key) const {
  return translating_errors([&] { return impl_->failure(key); });
}

std::map<std::string, SourceFailure> IndexWriter::failures() const {
  return translating_errors([&] { return impl_->failures(); });
}

void IndexWriter::commit() {
  translating_errors([&] {
    impl_->record_waiting_words();
    impl_->add_waiting_words_to_spelling();
    impl_->db_.commit();
  });
}

void IndexWriter::commit_batch() {
  translating_errors([&] {
    impl_->record_waiting_words();
    if (impl_->waiting_words_ >= kMaxWaitingSpellingWords) impl_->add_waiting_words_to_spelling();
    impl_->db_.commit();
  });
}

ArchiveStats IndexWriter::stats() const {
  return translating_errors([&] { return collect_stats(impl_->db_); });
}

ArchiveStats IndexWriter::read_stats(const std::string& dir) {
  return translating_errors([&] { return collect_stats(Xapian::Database(dir)); });
}

}  // namespace mediateka
