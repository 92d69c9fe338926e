// The archive in the order its items last changed, deletions included: what a harvester
// (OAI-PMH, search-server/oai.cpp) pages through. Internal to archive/: Searcher::changes() is
// its interface.
#pragma once

#include <xapian.h>

#include "searcher.h"

namespace mediateka {

// `visible` is the query of the items the audience may see (Searcher's own filter).
ChangePage list_changes(const Xapian::Database& db, const Xapian::Query& visible,
                        const ChangeRequest& request);

}  // namespace mediateka
