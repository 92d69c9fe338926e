#include "importer.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>

#include "archive/index_writer.h"
#include "checksum.h"
#include "download_cache.h"
#include "item_builder.h"
#include "item_identity.h"
#include "ordered_workers.h"
#include "pruning.h"

namespace mediateka::indexer {
namespace fs = std::filesystem;
namespace {

// What is known of a source before its content is read.
struct SourcePlan {
  Source source;
  std::optional<StoredItem> stored;  // the item stored under this source's key
  // The same whole (without its text) while the source is to be read: the fields its row does
  // not name keep their values, and the report compares the new item with it.
  std::shared_ptr<const Item> stored_item;
  std::string took_over;  // the row's `replaces` takes this item over: "ID (was OLD SOURCE)"
  bool had_failure = false;
  std::string fingerprint;  // of the manifest row (metadata_fingerprint); "" without one
  FileFacts facts;          // size and mtime of a local file (its path is the source's)
  std::optional<SourceOutcome> settled;  // decided without reading the content
};

// What reading a source's content gave; computed on a worker thread, up to the analysis of
// the item's text, so that the writer's thread only stores.
struct ContentResult {
  FileFacts facts;
  std::optional<Item> item;  // without id and slug
  std::optional<AnalysedItem> analysed;
  std::vector<std::string> warnings;  // from building the item
  media::CoverOutcome cover;
  fs::path pending_cover;  // where the cover was rendered, until the item has its id
  bool unchanged = false;
  std::string error;
  bool file_at_fault = true;  // remember the failure and skip the file until it changes
};

std::optional<FileFacts> stat_file(const fs::path& file, std::string& error) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) {
    error = errno == ENOENT ? "no such file" : std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode)) {
    error = "not a regular file";
    return std::nullopt;
  }
  FileFacts facts;  // without the file's path: the source holds it
  facts.size = info.st_size;
  facts.mtime = info.st_mtime;
  return facts;
}

// What the progress line counts as the whole: the sizes of the local files there are.
std::int64_t local_bytes(const SourceList& sources) {
  std::int64_t bytes = 0;
  std::string ignored;
  for (std::size_t index = 0; index < sources.size(); ++index) {
    const Source source = sources[index];
    if (source.remote()) continue;
    if (std::optional<FileFacts> facts = stat_file(source.file, ignored)) bytes += facts->size;
  }
  return bytes;
}

std::size_t text_bytes(const Item& item) {
  std::size_t bytes = 0;
  for (const Segment& segment : item.segments) bytes += segment.text.size();
  return bytes;
}

// The manifest rows (their metadata_fingerprint) that sources had when they last failed, so that
// a failure is tried again when its row changes, even if the file did not. Kept beside the
// index in "<db>.cache/failed-rows.json" (IndexWriter's failure records hold no row; see
// docs/indexer.md): without this file a failure waits for its file to change, as before.
class FailedRows {
 public:
  explicit FailedRows(fs::path file) : file_(std::move(file)) {
    std::ifstream in(file_);
    if (!in) return;
    try {
      rows_ = nlohmann::json::parse(in).get<std::map<std::string, std::string>>();
    } catch (const std::exception&) {  // unreadable: forgotten, failures wait for their file
      rows_.clear();
    }
  }
  // Whether the failure remembered for `key` came from another row than `fingerprint` (a row
  // given now that the failure did not have counts as another).
  bool row_changed(const std::string& key, const std::string& fingerprint) const {
    if (fingerprint.empty()) return false;
    auto row = rows_.find(key);
    return row == rows_.end() || row->second != fingerprint;
  }
  void failed(const std::string& key, const std::string& fingerprint) {
    if (fingerprint.empty()) {
      forget(key);
    } else if (rows_[key] != fingerprint) {
      rows_[key] = fingerprint;
      changed_ = true;
    }
  }
  void forget(const std::string& key) { changed_ = rows_.erase(key) > 0 || changed_; }
  // Writes the rows of failures `index` still remembers (atomically); false when it cannot.
  bool save(const IndexWriter& index) {
    if (!changed_) return true;
    for (auto row = rows_.begin(); row != rows_.end();)
      row = index.failure(row->first) ? std::next(row) : rows_.erase(row);
    std::error_code error;
    if (rows_.empty()) return fs::remove(file_, error) || !error;
    fs::create_directories(file_.parent_path(), error);
    const fs::path temporary = file_.string() + ".tmp";
    {
      std::ofstream out(temporary, std::ios::trunc);
      out << nlohmann::json(rows_).dump() << "\n";
      if (!out.flush()) return false;
    }
    fs::rename(temporary, file_, error);
    return !error;
  }

 private:
  fs::path file_;
  std::map<std::string, std::string> rows_;
  bool changed_ = false;
};

class ImportRun {
 public:
  ImportRun(const SourceList& sources, const ImportSettings& settings, const Vocabulary& vocabulary,
            std::ostream& log, std::ostream& plan)
      : sources_(sources), settings_(settings), vocabulary_(vocabulary), log_(log), plan_(plan) {}

  ImportReport run() {
    // A dry run must not create the index; an absent index simply holds nothing yet.
    if (!settings_.dry_run || fs::exists(settings_.db)) index_.emplace(settings_.db.string());
    if (index_ && settings_.earlier_names) index_->keep_names_of(settings_.earlier_names);
    cache_dir_ = download_cache_dir(settings_.db);

    bool any_remote = false;
    for (std::size_t index = 0; index < sources_.size() && !any_remote; ++index)
      any_remote = sources_[index].remote();
    if (any_remote && !settings_.dry_run) fs::create_directories(cache_dir_);
    if (!settings_.dry_run && covers_.enabled()) covers_.prepare();

    ImportReport report;
    const ProgressMode progress_mode =
        settings_.quiet || settings_.dry_run ? ProgressMode::off : settings_.progress;
    Progress progress(log_, progress_mode, settings_.progress_interval);
    progress_ = &progress;
    ProgressCounts counts;
    counts.total = sources_.size();
    if (progress_mode != ProgressMode::off) counts.bytes_total = local_bytes(sources_);
    {
      unsigned threads = settings_.jobs > 1 ? settings_.jobs : 0;
      std::vector<Extractor> extractors(std::max(threads, 1u));
      if (!settings_.dry_run) {
        for (Extractor& extractor : extractors) extractor = settings_.make_extractor();
      }
      // Each source is planned only when there is room for it among the sources being read, so
      // that the plans of a large run are never held all at once.
      OrderedWorkers<SourcePlan, ContentResult> workers(
          threads, [&](const SourcePlan& plan, unsigned worker) {
            return plan.settled ? ContentResult{} : read_content(plan, extractors[worker]);
          });
      std::size_t next_to_plan = 0;
      while (next_to_plan < sources_.size() || workers.any_waiting()) {
        if (settings_.stop && settings_.stop->load() != 0) {
          report.interrupted = true;
          break;
        }
        while (next_to_plan < sources_.size() && workers.has_room())
          workers.submit(plan_source(sources_[next_to_plan++]));
        auto [source_plan, content] = workers.take();
        SourceOutcome outcome =
            source_plan.settled ? std::move(*source_plan.settled) : store(source_plan, content);
        announce(outcome);
        ++counts.done;
        counts.bytes_done += source_plan.facts.size;
        if (outcome.status == ImportStatus::failed) ++counts.failed;
        counts.ocr_pages += outcome.ocr_pages;
        counts.repaired_pages += outcome.repaired_pages;
        hand_over(outcome, report);
        progress.update(counts);
      }
    }
    progress.finish(counts);
    progress_ = nullptr;
    if (settings_.prune && index_ && !report.interrupted) prune(report);
    if (index_ && !settings_.dry_run) {
      index_->commit();
      if (!failed_rows_.save(*index_)) spdlog::warn("cannot write {}", failed_rows_file().string());
    }
    return report;
  }

 private:
  SourcePlan plan_source(Source source_to_plan) {
    SourcePlan plan;
    plan.source = std::move(source_to_plan);
    const Source& source = plan.source;
    plan.fingerprint = metadata_fingerprint(source, vocabulary_);
    std::optional<SourceFailure> failure;
    std::string row_error;     // the row cannot be followed
    std::optional<Item> item;  // the stored item this source updates or takes over
    if (index_) {
      // A file whose item another source took over in this run is a source of its own now.
      if (!taken_over_keys_.count(source.key())) item = index_->find_by_source(source.key());
      if (!item) {
        if (auto moved = moved_away_.find(source.key()); moved != moved_away_.end())
          plan.stored = moved->second;
      }
      if (source.entry && !source.entry->replaces.empty()) row_error = take_over(plan, item);
      if (item) plan.stored = StoredItem::of(*item);
      failure = index_->failure(source.key());
      plan.had_failure = failure.has_value();
    } else if (source.entry && !source.entry->replaces.empty()) {
      row_error = replaces_unknown(*source.entry);
    }
    if (source.remote()) {
      if (!row_error.empty()) {
        plan.settled = failed(plan, row_error);
      } else if (item) {
        plan.stored_item = std::make_shared<const Item>(std::move(*item));
      }
      return plan;
    }

    std::string error;
    std::optional<FileFacts> facts = stat_file(source.file, error);
    if (!facts) {
      plan.settled = failed(plan, error);
      return plan;
    }
    plan.facts = *facts;
    if (failure && !settings_.retry_failed && failure->size == facts->size &&
        failure->mtime == facts->mtime &&
        !failed_rows_.row_changed(source.key(), plan.fingerprint)) {
      plan.settled = failed_this_run(
          plan,
          failure->error + " (failed before and unchanged since; --retry-failed tries again)");
      return plan;
    }
    if (!row_error.empty()) {
      plan.settled = failed(plan, row_error, plan.facts);
      return plan;
    }
    if (plan.stored && plan.took_over.empty() && plan.stored->size == facts->size &&
        plan.stored->mtime == facts->mtime && metadata_agrees(plan)) {
      plan.settled = outcome(plan, ImportStatus::unchanged, plan.stored->id);
      return plan;
    }
    if (item) plan.stored_item = std::make_shared<const Item>(std::move(*item));
    return plan;
  }

  std::string replaces_unknown(const ManifestEntry& entry) const {
    return "manifest line " + std::to_string(entry.line) +
           ", column 'replaces': no item has the id or slug '" + entry.replaces + "'";
  }

  // The row's `replaces`: `item` (the item stored for this source, if any) becomes the item it
  // names, unless this source already is that item. Returns why it cannot, or "".
  std::string take_over(SourcePlan& plan, std::optional<Item>& item) {
    const ManifestEntry& entry = *plan.source.entry;
    std::optional<Item> target = index_->find_by_id(entry.replaces);
    if (!target) target = index_->find_by_slug(entry.replaces);
    if (!target) return replaces_unknown(entry);
    if (item && item->id == target->id) return {};  // taken over by an earlier run
    if (item) {
      return "manifest line " + std::to_string(entry.line) +
             ", column 'replaces': this source is already item '" + item->id +
             "'; it cannot take over '" + target->id + "' too";
    }
    const std::string old_key = IndexWriter::source_key(*target);
    taken_over_keys_.insert(old_key);
    plan.took_over = target->id + " (was " + old_key + ")";
    item = std::move(target);
    return {};
  }

  // A source without a manifest row has no say about metadata (the stored item keeps what an
  // earlier manifest gave it); with a row, the row must be the one the item was built from.
  bool metadata_agrees(const SourcePlan& plan) const {
    return !plan.source.entry || plan.stored->metadata_fingerprint == plan.fingerprint;
  }

  // Runs on worker threads: reads files and the network, never the index.
  ContentResult read_content(const SourcePlan& plan, Extractor& extract) const {
    ContentResult result;
    result.facts = plan.facts;
    if (!plan.source.remote()) result.facts.file = plan.source.file;
    try {
      if (plan.source.remote()) {
        if (settings_.dry_run) return result;
        if (fetch(plan, result.facts) && metadata_agrees(plan)) {  // 304 Not Modified
          result.unchanged = true;
          return result;
        }
      }
      result.facts.checksum = file_checksum(result.facts.file);
      if (plan.stored && plan.stored->checksum == result.facts.checksum &&
          plan.stored->file == result.facts.file.string() && metadata_agrees(plan)) {
        result.unchanged = true;
        return result;
      }
    } catch (const std::exception& error) {  // the file cannot be read or fetched
      result.error = error.what();
      return result;
    }
    if (settings_.dry_run) return result;
    try {
      ExtractJob job;
      job.file = result.facts.file;
      if (covers_.enabled() && !settings_.dry_run)
        job.cover.png = result.pending_cover = covers_.pending(plan.source.key());
      ExtractOutput output = extract(job);
      result.cover = std::move(output.cover);
      result.item = build_item(plan.source, output.extraction, result.facts, vocabulary_,
                               result.warnings, settings_.places, plan.stored_item.get());
    } catch (const media::ExtractionError& error) {
      result.error = error.what();
    } catch (const std::exception& error) {
      result.error = error.what();
      result.file_at_fault = false;
    } catch (...) {
      result.error = "unknown error in the extractor";
      result.file_at_fault = false;
    }
    if (!result.item) return result;
    try {
      result.analysed.emplace(*result.item);
    } catch (const std::exception& error) {
      result.error = std::string("cannot index: ") + error.what();
    }
    return result;
  }

  // Downloads a URL into the cache, or learns that the copy there is current: a stored item
  // made from the cached copy makes the request conditional (If-None-Match with the ETag, else
  // If-Modified-Since), and a 304 answer returns true with `facts` describing that copy.
  bool fetch(const SourcePlan& plan, FileFacts& facts) const {
    const std::string& url = plan.source.url;
    const std::optional<CacheEntry> cached = read_cache_entry(cache_dir_, url);
    media::FetchConditions conditions;
    if (cached && plan.stored && plan.stored->file == cached->file.string()) {
      conditions.etag = cached->etag;
      conditions.last_modified = cached->last_modified;
    }
    const fs::path download = download_file(cache_dir_, url);
    const media::FetchResult fetched =
        media::fetch_to_file(url, download, settings_.fetch, conditions);
    if (fetched.not_modified) {
      facts.file = cached->file;
      facts.size = plan.stored->size;
      facts.mtime = plan.stored->mtime;
      return true;
    }
    CacheEntry entry;
    entry.url = url;
    entry.file = cached_file(cache_dir_, url, media::extension_for_mime(fetched.mime));
    entry.etag = fetched.etag;
    entry.last_modified = fetched.last_modified;
    entry.fetched = static_cast<std::int64_t>(std::time(nullptr));
    entry.mime = fetched.mime;
    fs::rename(download, entry.file);
    if (cached && cached->file != entry.file) {  // the kind changed: one copy per URL
      std::error_code ignored;
      fs::remove(cached->file, ignored);
    }
    write_cache_entry(cache_dir_, entry);
    facts.file = entry.file;
    facts.size = fetched.size;
    facts.mtime = fetched.last_modified.value_or(entry.fetched);
    return false;
  }

  // Runs on this thread only: the single writer.
  SourceOutcome store(const SourcePlan& plan, ContentResult& content) {
    if (!content.error.empty()) {
      CoverShelf::discard(
          content.pending_cover);  // a cover may have been made before analysis failed
      return content.file_at_fault ? failed(plan, content.error, content.facts)
                                   : failed_this_run(plan, content.error);
    }
    if (content.unchanged) return outcome(plan, ImportStatus::unchanged, plan.stored->id);

    const Source& source = plan.source;
    const std::string manifest_id = source.entry ? source.entry->id : std::string();
    ItemIdentity identity =
        resolve_identity(index_ ? &*index_ : nullptr, settings_.earlier_names.get(), plan.stored,
                         {source.key(), content.facts.checksum, manifest_id}, claimed_ids_);
    if (!identity.error.empty()) {
      CoverShelf::discard(content.pending_cover);
      return failed(plan, identity.error, content.facts);
    }
    ImportStatus status = identity.existing ? ImportStatus::updated : ImportStatus::imported;
    // The item this source updates: known from the plan, or found now (a file moved here).
    std::shared_ptr<const Item> before = plan.stored_item;
    const bool found_now = identity.existing && !before && index_;
    if (found_now) {
      if (std::optional<Item> item = index_->find_by_id(identity.id))
        before = std::make_shared<const Item>(std::move(*item));
    }
    if (settings_.dry_run) {
      SourceOutcome planned = outcome(plan, status, identity.id);
      planned.warnings = identity.warnings;
      if (before) planned.changes = planned_changes(*before, source, vocabulary_, settings_.places);
      return planned;
    }

    if (identity.existing && !plan.stored) remember_moved_item(identity.id);
    std::vector<std::string> warnings = std::move(identity.warnings);
    warnings.insert(warnings.end(), content.warnings.begin(), content.warnings.end());
    Item item = std::move(*content.item);
    if (found_now && before) {
      // Built without the stored item: what the row does not name keeps its stored value.
      Item kept = item;
      keep_unnamed_fields(kept, *before, source.entry.get());
      if (!field_changes(item, kept).empty()) {
        item = std::move(kept);
        try {
          content.analysed.emplace(item);
        } catch (const std::exception& error) {
          CoverShelf::discard(content.pending_cover);
          return failed(plan, std::string("cannot index: ") + error.what(), content.facts);
        }
      }
    }
    item.id = identity.id;
    item.slug = identity.slug;
    try {
      index_->put(item, std::move(*content.analysed));
    } catch (const IndexRejected& error) {
      CoverShelf::discard(content.pending_cover);
      return failed(plan, std::string("cannot index: ") + error.what(), content.facts);
    } catch (const IndexError&) {
      CoverShelf::discard(content.pending_cover);
      throw;  // the index itself is in trouble: stop
    } catch (const std::exception& error) {
      CoverShelf::discard(content.pending_cover);
      return failed(plan, std::string("cannot index: ") + error.what(), content.facts);
    }
    if (!identity.slug.empty() && item.slug != identity.slug) {
      warnings.push_back("slug '" + identity.slug + "' is taken in this index by another item: " +
                         "this one is now '" + item.slug + "'");
    }
    covers_.place(content.pending_cover, content.cover, item.id, warnings);
    claimed_ids_.insert(item.id);
    if (plan.had_failure) index_->clear_failure(source.key());
    failed_rows_.forget(source.key());
    commit_when_due(text_bytes(item));

    SourceOutcome stored = outcome(plan, status, item.id);
    if (before) stored.changes = field_changes(*before, item);
    stored.warnings = std::move(warnings);
    stored.ocr_pages = item.ocr_pages.size();
    stored.repaired_pages = item.repaired_pages.size();
    return stored;
  }

  // This source takes over the item stored under another key (its file moved here). Sources
  // are planned only as they are reached, so a later source with that key must still find the
  // item as it was before the run, as if every source had been planned first.
  void remember_moved_item(const std::string& id) {
    if (std::optional<Item> item = index_->find_by_id(id))
      moved_away_.emplace(IndexWriter::source_key(*item), StoredItem::of(*item));
  }

  void commit_when_due(std::size_t item_text_bytes) {
    ++uncommitted_items_;
    uncommitted_text_bytes_ += item_text_bytes;
    if (uncommitted_items_ >= settings_.batch_items ||
        uncommitted_text_bytes_ >= settings_.batch_text_bytes) {
      index_->commit_batch();
      uncommitted_items_ = 0;
      uncommitted_text_bytes_ = 0;
    }
  }

  SourceOutcome outcome(const SourcePlan& plan, ImportStatus status, const std::string& id) const {
    SourceOutcome result;
    result.source = plan.source.display;
    result.id = id;
    result.status = status;
    if (status != ImportStatus::unchanged && status != ImportStatus::failed)
      result.took_over = plan.took_over;
    return result;
  }

  SourceOutcome failed_this_run(const SourcePlan& plan, const std::string& error) const {
    SourceOutcome result = outcome(plan, ImportStatus::failed, plan.stored ? plan.stored->id : "");
    result.error = error;
    return result;
  }

  // A failure of the source itself: remembered, so an unchanged file is not tried again.
  SourceOutcome failed(const SourcePlan& plan, const std::string& error,
                       const FileFacts& facts = {}) {
    if (index_ && !settings_.dry_run) {
      index_->record_failure(plan.source.key(), SourceFailure{error, facts.size, facts.mtime});
      failed_rows_.failed(plan.source.key(), plan.fingerprint);
    }
    return failed_this_run(plan, error);
  }

  // Removes stored items whose local file vanished from under one of the prune roots.
  void prune(ImportReport& report) {
    for (SourceOutcome& removed : prune_vanished(*index_, settings_.prune_roots, covers_,
                                                 settings_.dry_run, taken_over_keys_)) {
      announce(removed);
      if (!settings_.quiet && !settings_.dry_run)
        log_ << "removed " << removed.source << " (" << removed.id << ")\n";
      hand_over(removed, report);
    }
  }

  void hand_over(const SourceOutcome& outcome, ImportReport& report) const {
    report.add(outcome);
    if (settings_.on_outcome) settings_.on_outcome(outcome);
  }

  // Warnings and failures as lines of their own; in a dry run, the plan on `plan_`.
  void announce(const SourceOutcome& outcome) {
    if (progress_ && (!outcome.warnings.empty() || outcome.status == ImportStatus::failed))
      progress_->clear();
    for (const std::string& warning : outcome.warnings) {
      spdlog::warn("{}: {}", outcome.source, warning);
    }
    if (outcome.status == ImportStatus::failed) {
      spdlog::error("FAILED {}: {}", outcome.source, outcome.error);
    }
    if (settings_.dry_run) {
      plan_ << to_string(outcome.status) << "\t" << outcome.source;
      if (!outcome.id.empty()) plan_ << "\t" << outcome.id;
      plan_ << "\n" << changes_text(outcome);
    }
  }

  const SourceList& sources_;
  const ImportSettings& settings_;
  const Vocabulary& vocabulary_;
  std::ostream& log_;
  std::ostream& plan_;
  std::optional<IndexWriter> index_;
  fs::path cache_dir_;
  const CoverShelf covers_{settings_.thumbs_dir};
  Progress* progress_ = nullptr;
  std::set<std::string> claimed_ids_;
  std::map<std::string, StoredItem> moved_away_;  // by the source key they had
  std::set<std::string> taken_over_keys_;  // old source keys of items a `replaces` takes over
  fs::path failed_rows_file() const {
    return download_cache_dir(settings_.db) / "failed-rows.json";
  }
  FailedRows failed_rows_{failed_rows_file()};
  std::size_t uncommitted_items_ = 0;
  std::size_t uncommitted_text_bytes_ = 0;
};

}  // namespace

ExtractorFactory isolated_extractors(const OcrSettings& ocr, const ExtractionLimits& limits) {
  const media::IsolationLimits isolation{limits.cpu_seconds,
                                         static_cast<std::size_t>(limits.memory_mb) << 20,
                                         limits.inactivity_seconds};
  return [ocr, isolation] {
    auto extractor = std::make_shared<media::IsolatedExtractor>(isolation, ocr);
    return Extractor([extractor](const ExtractJob& job) {
      ExtractOutput output;
      output.extraction = extractor->extract(job.file, job.cover, output.cover);
      return output;
    });
  };
}

ImportReport run_import(const SourceList& sources, const ImportSettings& settings,
                        const Vocabulary& vocabulary, std::ostream& log, std::ostream& plan) {
  return ImportRun(sources, settings, vocabulary, log, plan).run();
}

}  // namespace mediateka::indexer
