// GET /feed — an Atom 1.0 feed of any search: the parameters of /api/search
// (search_parameters.h), newest first unless `sort` says otherwise, 50 entries unless
// `per_page` says otherwise; each entry links to its item page.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archive/item.h"
#include "server_types.h"

namespace mediateka::server {

inline constexpr const char* kAtomContentType = "application/atom+xml; charset=utf-8";
inline constexpr int kFeedEntries = 50;

Response get_feed(const ApiRequest& request, ServerContext& context);

struct FeedEntry {
  Item item;
  std::int64_t changed = 0;  // when the item last changed (seconds); 0: not recorded
  std::string summary;       // plain text
};

// The Atom document: `self` is the feed's own absolute URL (also its id), `title` its title,
// URLs under `origin`. An entry is updated when its item last changed, else on its date, else
// at the epoch; the feed when its newest entry was, or at `now` when it has none.
std::string atom_feed(const std::string& origin, const std::string& self, const std::string& title,
                      const std::vector<FeedEntry>& entries, std::int64_t now);

}  // namespace mediateka::server
