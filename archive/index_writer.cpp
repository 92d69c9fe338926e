#include "index_writer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "analyzer.h"
#include "document_text.h"
#include "schema.h"
#include "slug.h"
#include "vocabulary.h"

namespace mediateka {
namespace {

std::string sort_date(const Item& item) {
  std::string digits;
  for (char c : item.date) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (digits.size() >= 4) {
    digits.resize(8, '0');
    return digits;
  }
  return item.year ? std::to_string(*item.year) + "0000" : std::string();
}

// What identifies, filters and sorts an item, and its stored JSON.
void add_item_fields(Xapian::Document& document, const Item& item, const std::string& source_key) {
  using schema::boolean_term;
  document.add_boolean_term(schema::kItemDoc);
  document.add_boolean_term(boolean_term(schema::kId, item.id));
  document.add_boolean_term(boolean_term(schema::kSlug, item.slug));
  document.add_boolean_term(boolean_term(schema::kSourceKey, source_key));
  if (!item.source.checksum.empty()) {
    document.add_boolean_term(boolean_term(schema::kChecksum, item.source.checksum));
  }
  std::string type(to_string(item.type));
  document.add_boolean_term(boolean_term(schema::kType, type));
  for (const std::string& campaign : item.campaigns) {
    document.add_boolean_term(boolean_term(schema::kCampaign, Vocabulary::key(campaign)));
  }
  if (!item.project.empty()) {
    document.add_boolean_term(boolean_term(schema::kProject, Vocabulary::key(item.project)));
  }
  if (item.year) document.add_boolean_term(boolean_term(schema::kYear, std::to_string(*item.year)));
  for (const Place& place : item.places)
    document.add_boolean_term(boolean_term(schema::kPlace, Vocabulary::key(place.name)));
  if (!item.access.empty()) document.add_boolean_term(schema::kRestricted);
  for (const std::string& group : item.access)
    document.add_boolean_term(boolean_term(schema::kAccessGroup, group));
  if (!item.ocr_pages.empty()) document.add_boolean_term(schema::kHasOcrPages);
  if (!item.repaired_pages.empty()) document.add_boolean_term(schema::kHasRepairedPages);

  document.add_value(schema::kSlotFacets, schema::facet_value(item));
  if (!item.places.empty()) {
    document.add_value(schema::kSlotPlaces, schema::place_value(item));
    document.add_value(schema::kSlotPlaceYears, schema::place_year_value(item));
  }
  if (item.year) document.add_value(schema::kSlotYear, Xapian::sortable_serialise(*item.year));
  document.add_value(schema::kSlotTitle, item.title);
  if (std::string date = sort_date(item); !date.empty()) {
    document.add_value(schema::kSlotDate, date);
  }
  document.set_data(item_to_json(item, JsonView::stored).dump());
}

// The item's own fields, heavier than body text, the title most.
void index_item_fields(const Item& item, DocumentText& text) {
  text.add(item.title, schema::kTitle);
  text.add(item.title, {}, 5);
  text.break_phrase();
  for (const std::string& campaign : item.campaigns) {
    text.add(campaign, schema::kCampaignText);
    text.add(campaign, {}, 2);
    text.break_phrase();
  }
  for (const std::string* field : {&item.project, &item.series, &item.issue, &item.description}) {
    text.add(*field, {}, 2);
    text.break_phrase();
  }
  for (const std::string& author : item.authors) {
    text.add(author, {}, 2);
    text.break_phrase();
  }
}

}  // namespace

// The item's fields, then its places: chapters (a search for a chapter's title lands at its
// start), pages and cues, each stored as a document of its own, their words indexed in the
// item's document.
AnalysedItem::AnalysedItem(const Item& item) {
  DocumentText text(default_analyzer(), item_document_);
  index_item_fields(item, text);
  auto add_place = [&](const Segment& segment, unsigned item_weight) {
    DocumentText::PlaceWords words = text.add_place(segment.text, item_weight);
    text.break_phrase();
    place_starts_.push_back(words.first_position);
    places_.push_back({segment, std::move(words.words)});
  };
  for (const Chapter& chapter : item.chapters) {
    if (chapter.title.empty()) continue;
    Segment segment;
    segment.start_s = chapter.start_s;
    segment.end_s = chapter.end_s > chapter.start_s ? chapter.end_s : chapter.start_s;
    segment.text = chapter.title;
    add_place(segment, 2);
  }
  for (const Segment& segment : item.segments) {
    if (!segment.text.empty()) add_place(segment, 1);
  }
  // Xapian's spelling table serves every visitor: a restricted item's words stay out of it, or
  // corrections would teach anonymous visitors words found only in restricted materials.
  if (item.access.empty()) words_.assign(text.words().begin(), text.words().end());
}

IndexWriter::IndexWriter(const std::string& dir) {
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

// Xapian commits what was left uncommitted when the database is closed: the words of those
// items must be in it too.
IndexWriter::~IndexWriter() {
  try {
    record_waiting_words();
  } catch (...) {
    // A destructor must not throw; those items then only miss from spelling corrections.
  }
}

std::string IndexWriter::source_key(const Item& item) {
  return item.source.url.empty() ? item.source.file : item.source.url;
}

std::optional<Item> IndexWriter::item_for_term(const std::string& term) const {
  Xapian::PostingIterator posting = db_.postlist_begin(term);
  if (posting == db_.postlist_end(term)) return std::nullopt;
  return item_from_json(nlohmann::json::parse(db_.get_document(*posting).get_data()));
}

std::optional<Item> IndexWriter::find_by_id(const std::string& id) const {
  return item_for_term(schema::boolean_term(schema::kId, id));
}

std::optional<Item> IndexWriter::find_by_source(const std::string& key) const {
  return item_for_term(schema::boolean_term(schema::kSourceKey, key));
}

std::vector<Item> IndexWriter::find_by_checksum(const std::string& checksum) const {
  std::vector<Item> items;
  std::string term = schema::boolean_term(schema::kChecksum, checksum);
  for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) {
    items.push_back(item_from_json(nlohmann::json::parse(db_.get_document(*it).get_data())));
  }
  return items;
}

std::vector<std::string> IndexWriter::source_keys() const {
  std::vector<std::string> keys;
  const std::string prefix = schema::kSourceKey;
  for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
    keys.push_back((*it).substr(prefix.size()));
  }
  return keys;
}

std::string IndexWriter::unique_slug(const std::string& wanted, const std::string& id) const {
  std::string base = slugify(wanted);
  for (int suffix = 1;; ++suffix) {
    std::string candidate = suffix == 1 ? base : base + "-" + std::to_string(suffix);
    if (earlier_names_ && earlier_names_->slug_held_by_other(candidate, id)) continue;
    std::optional<Item> holder = item_for_term(schema::boolean_term(schema::kSlug, candidate));
    if (!holder || holder->id == id) return candidate;
  }
}

void IndexWriter::keep_names_of(std::shared_ptr<const PermanentNames> earlier) {
  earlier_names_ = std::move(earlier);
}

namespace {

// The set terms of an item (type, campaigns, project), as add_item_fields adds them.
void add_set_terms(Xapian::Document& document, const Item& item) {
  using schema::boolean_term;
  document.add_boolean_term(boolean_term(schema::kType, std::string(to_string(item.type))));
  for (const std::string& campaign : item.campaigns)
    document.add_boolean_term(boolean_term(schema::kCampaign, Vocabulary::key(campaign)));
  if (!item.project.empty())
    document.add_boolean_term(boolean_term(schema::kProject, Vocabulary::key(item.project)));
}

std::string changed_now() {
  return Xapian::sortable_serialise(static_cast<double>(std::time(nullptr)));
}

}  // namespace

void IndexWriter::add_tombstone(const Item& gone) {
  Xapian::Document tombstone;
  tombstone.add_boolean_term(schema::kTombstone);
  tombstone.add_boolean_term(schema::boolean_term(schema::kTombstoneId, gone.id));
  add_set_terms(tombstone, gone);
  tombstone.add_value(schema::kSlotChanged, changed_now());
  tombstone.set_data(nlohmann::json{{"id", gone.id}}.dump());
  db_.replace_document(schema::boolean_term(schema::kTombstoneId, gone.id), tombstone);
}

void IndexWriter::put(Item& item) {
  AnalysedItem analysed(item);
  put(item, std::move(analysed));
}

void IndexWriter::put(Item& item, AnalysedItem analysed) {
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

  Xapian::Document& document = analysed.item_document_;
  add_item_fields(document, item, key);
  document.add_value(schema::kSlotChanged, changed_now());
  db_.delete_document(schema::boolean_term(schema::kTombstoneId, item.id));
  // Made restricted, a public item is gone for everyone else: harvesters are told so.
  if (stored && stored->access.empty() && !item.access.empty()) add_tombstone(*stored);
  schema::store_hit_fields(document, item, analysed.place_starts_);
  for (std::string& word : analysed.words_) ++new_words_[std::move(word)];

  // The item and its segments are added anew, one after the other, however many there were
  // before: the searcher finds a place's segment by its docid (see HitFields::place_starts).
  const std::string parent_term = schema::boolean_term(schema::kParent, item.id);
  db_.delete_document(parent_term);
  db_.delete_document(schema::boolean_term(schema::kId, item.id));
  db_.add_document(document);
  for (AnalysedItem::Place& place : analysed.places_) {
    Xapian::Document segment;
    segment.add_boolean_term(schema::kSegmentDoc);
    segment.add_boolean_term(parent_term);
    schema::store_segment(segment, {item.id, std::move(place.segment), std::move(place.words)});
    db_.add_document(segment);
  }
}

bool IndexWriter::remove(const std::string& id) {
  std::optional<Item> stored = find_by_id(id);
  if (!stored) return false;
  db_.delete_document(schema::boolean_term(schema::kParent, id));
  db_.delete_document(schema::boolean_term(schema::kId, id));
  if (stored->access.empty()) add_tombstone(*stored);
  return true;
}

void IndexWriter::record_failure(const std::string& key, const SourceFailure& failure) {
  nlohmann::json data{{"error", failure.error}, {"size", failure.size}, {"mtime", failure.mtime}};
  db_.set_metadata(schema::kFailedPrefix + key, data.dump());
}

void IndexWriter::clear_failure(const std::string& key) {
  db_.set_metadata(schema::kFailedPrefix + key, "");
}

std::optional<SourceFailure> IndexWriter::failure(const std::string& key) const {
  std::string data = db_.get_metadata(schema::kFailedPrefix + key);
  if (data.empty()) return std::nullopt;
  nlohmann::json json = nlohmann::json::parse(data);
  return SourceFailure{json.value("error", ""), json.value("size", std::int64_t{0}),
                       json.value("mtime", std::int64_t{0})};
}

std::map<std::string, SourceFailure> IndexWriter::failures() const {
  std::map<std::string, SourceFailure> result;
  const std::string prefix = schema::kFailedPrefix;
  for (auto it = db_.metadata_keys_begin(prefix); it != db_.metadata_keys_end(prefix); ++it) {
    std::string key = (*it).substr(prefix.size());
    if (auto failure_record = failure(key)) result.emplace(key, *failure_record);
  }
  return result;
}

void IndexWriter::commit() {
  record_waiting_words();
  add_waiting_words_to_spelling();
  db_.commit();
}

void IndexWriter::commit_batch() {
  record_waiting_words();
  if (waiting_words_ >= kMaxWaitingSpellingWords) add_waiting_words_to_spelling();
  db_.commit();
}

void IndexWriter::record_waiting_words() {
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

void IndexWriter::add_waiting_words_to_spelling() {
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

ArchiveStats IndexWriter::stats() const { return collect_stats(db_); }

ArchiveStats IndexWriter::read_stats(const std::string& dir) {
  return collect_stats(Xapian::Database(dir));
}

}  // namespace mediateka
