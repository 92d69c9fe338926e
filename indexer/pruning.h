// --prune: stored items whose local file is gone from under one of the folders being imported
// are removed, with their covers. Sources elsewhere, and URLs, are never pruned: an import of one
// folder says nothing of the files of another.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "archive/index_writer.h"
#include "covers.h"
#include "import_report.h"

namespace mediateka::indexer {

// Removes from `index` every item whose local source file vanished from under one of `roots`
// (and its cover from `covers`), and forgets the failures remembered for such files; nothing is
// changed in a dry run. Returns a `removed` outcome for each item, in source-key order, with the
// warning of removal_warning(). Items whose source key is in `taken_over` (a manifest row's
// `replaces` takes them over in this run) are not removed: their new file carries them on.
// Throws IndexError (index_error.h) as the index's other writes do.
std::vector<SourceOutcome> prune_vanished(IndexWriter& index,
                                          const std::vector<std::filesystem::path>& roots,
                                          const CoverShelf& covers, bool dry_run,
                                          const std::set<std::string>& taken_over = {});

// What removing `item` breaks, said to the librarian when --prune or `remove` removes it: its
// page and every link to it (clip links, embeds) stop answering, and how a new file keeps them.
std::string removal_warning(const Item& item);

}  // namespace mediateka::indexer
