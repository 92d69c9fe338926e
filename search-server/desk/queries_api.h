// What visitors searched (desk/query_log.h), counted from the search routes and shown to
// librarians by GET /api/admin/queries (docs/api.md).
#pragma once

#include "archive/searcher.h"
#include "server_types.h"

namespace mediateka::server {

// ?days=N (1..90, default 30), zero=1 (only queries that found nothing at least once), limit=N
// (1..1000, default 100) → [{"q","count","zero"}], most counted first (with zero=1: most often
// found nothing first), ties by q. 401 without a token, 403 for a reader's token.
Response get_admin_queries(const ApiRequest& request, ServerContext& context);

// Counts a search that was answered in context.queries (when the server keeps that log): only an
// anonymous visitor's (never a token holder's), only its first page of results (the next pages
// are the same search), not HEAD, not an empty `q`. It found nothing when its answer, with the
// filters the visitor chose, had no hit and every shard answered.
void count_search(const ApiRequest& request, ServerContext& context, const SearchRequest& search,
                  const SearchResult& result);

}  // namespace mediateka::server
