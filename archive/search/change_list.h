// The archive in the order its items last changed, deletions included: what a harvester
// (OAI-PMH, search-server/harvest/oai.cpp) pages through. Internal to archive/: Searcher::changes()
// is its interface.
#pragma once

#include <xapian.h>

#include "archive/search_types.h"

namespace mediateka {

// `visible` is the query of the items the audience may see (Searcher's own filter). Positions
// name the last change's time and item id, never a document id (which differs between one index
// and shards, and between audiences), signed with `secret` (the archive's, schema::kSecretKey)
// so that no client can make up one. A tombstone of an item that the audience still sees
// elsewhere (it moved between audiences' databases) is not listed.
ChangePage list_changes(const Xapian::Database& db, const Xapian::Query& visible,
                        const ChangeRequest& request, const std::string& secret);

}  // namespace mediateka
