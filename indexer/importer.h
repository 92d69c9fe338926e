// One import run: sources in, items written through IndexWriter, a report out.
//
// Per source: unchanged files (same size and mtime, else same checksum, and manifest
// metadata already applied) are not extracted again; changed and new ones are extracted
// (on `jobs` threads) and written by this thread in source order, committed in batches.
// A source that fails is reported, remembered in the index (record_failure) and skipped
// while it and its manifest row stay unchanged, unless retry_failed. A stored item is rebuilt
// with the fields its row does not name kept (keep_unnamed_fields, item_builder.h), and its
// outcome lists the fields changed; a row's `replaces` makes its source take a stored item over.
// See docs/indexer.md.
#pragma once

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "archive/config.h"
#include "archive/text/vocabulary.h"
#include "archive/write/permanent_names.h"
#include "covers.h"
#include "extraction.h"
#include "fetch.h"
#include "import_report.h"
#include "isolated_extractor.h"
#include "media_settings.h"
#include "progress.h"
#include "source_list.h"

namespace mediateka::indexer {

// One file to extract, and where its cover goes (empty: no cover).
struct ExtractJob {
  std::filesystem::path file;
  media::CoverRequest cover;
};
struct ExtractOutput {
  media::Extraction extraction;
  media::CoverOutcome cover;  // a failed cover is a warning on the item, never a failure
};

// Extracts one file (and renders its cover when asked). Throws media::ExtractionError when
// the file is at fault (the failure is remembered and the file skipped until it changes); any
// other exception fails the source for this run only, since no file is to blame (e.g. an
// extraction worker that cannot start).
using Extractor = std::function<ExtractOutput(const ExtractJob&)>;
// Makes one Extractor per extraction thread, so an extractor need not be thread-safe
// (media::IsolatedExtractor keeps one worker process each).
using ExtractorFactory = std::function<Extractor()>;

// Extraction in media::IsolatedExtractor worker processes, one per extraction thread: a file
// that crashes or hangs Poppler or FFmpeg fails alone instead of ending the import. (The
// indexer itself links neither, which also keeps its start-up, and so a run with nothing to
// do, short.) `ocr` says how the workers read scans, `limits` what each may use on one file.
ExtractorFactory isolated_extractors(const OcrSettings& ocr = {},
                                     const ExtractionLimits& limits = {});

struct ImportSettings {
  std::filesystem::path db;
  unsigned jobs = 1;
  bool dry_run = false;       // plan only: nothing is fetched, extracted or written
  bool retry_failed = false;  // attempt sources that failed before even when unchanged
  bool quiet = false;         // no progress (failures and warnings are still printed)
  ProgressMode progress = ProgressMode::plain;        // off when quiet
  std::chrono::milliseconds progress_interval{5000};  // between plain progress lines
  // --prune: remove stored items whose file is gone, if it lay under one of these folders.
  bool prune = false;
  std::vector<std::filesystem::path> prune_roots;
  media::FetchOptions fetch;
  ExtractorFactory make_extractor = isolated_extractors();
  // Covers of imported PDFs, videos and audio with cover art go to <thumbs_dir>/<id>.png
  // (rendered by the extractor); empty: no covers.
  std::filesystem::path thumbs_dir;
  // When it becomes non-zero (a signal handler sets it), the run stops taking sources, commits
  // what it stored and returns a report marked interrupted. Sources being extracted finish.
  const std::atomic<int>* stop = nullptr;
  // Committed every batch_items stored items or batch_text_bytes of text, and at the end.
  // Xapian does not flush on its own in between (IndexWriter sees to it), so a commit never
  // holds half an item.
  std::size_t batch_items = 100;
  std::size_t batch_text_bytes = std::size_t{64} << 20;
  // --names-from: the names of the index this import rebuilds; sources it knows keep their ids
  // and slugs, and no other item takes them. Null: none.
  std::shared_ptr<const PermanentNames> earlier_names;
  // [places]: whether and how places are found in the items' text (archive/places/place_finder.h).
  PlaceSettings places;
  // Called with each source's outcome as soon as it is known, in source order, then with each
  // item --prune removed; the report returned holds only the totals.
  std::function<void(const SourceOutcome&)> on_outcome;
};

// Throws only for faults of the index itself (IndexError, IndexLocked: index_error.h).
// Progress, warnings and failures go to `log`; a dry run's plan goes to `plan`.
ImportReport run_import(const SourceList& sources, const ImportSettings& settings,
                        const Vocabulary& vocabulary, std::ostream& log, std::ostream& plan);

}  // namespace mediateka::indexer
