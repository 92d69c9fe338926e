#include "archive/search/result_cache.h"

#include <new>

namespace mediateka {
namespace {

// Length-prefixed, so that no value can pass for another field ("a,b" vs "a" and "b").
void append(std::string& key, std::string_view value) {
  key += std::to_string(value.size());
  key += ':';
  key += value;
}

void append(std::string& key, const std::vector<std::string>& values) {
  append(key, std::to_string(values.size()));
  for (const std::string& value : values) append(key, value);
}

std::size_t bytes_of(const Snippet& snippet) {
  return snippet.text.size() + snippet.marks.size() * sizeof(Snippet::Mark);
}

std::size_t bytes_of(const Item& item) {
  std::size_t bytes = item.id.size() + item.slug.size() + item.title.size() +
                      item.description.size() + item.project.size() + item.date.size();
  for (const std::string& campaign : item.campaigns) bytes += campaign.size();
  for (const Place& place : item.places) bytes += sizeof(Place) + place.name.size();
  return bytes;
}

}  // namespace

std::string result_cache_key(const SearchRequest& request) {
  std::string key;
  append(key, request.q);
  append(key, request.types);
  append(key, request.campaigns);
  append(key, request.projects);
  append(key, std::to_string(request.years.size()));
  for (int year : request.years) append(key, std::to_string(year));
  append(key, request.year_from ? std::to_string(*request.year_from) : "-");
  append(key, request.year_to ? std::to_string(*request.year_to) : "-");
  append(key, request.places);
  append(key, sort_order_name(request.sort));
  append(key, std::to_string(request.page));
  append(key, std::to_string(request.per_page));
  key += request.facets ? 'f' : '-';
  key += request.snippets ? 's' : '-';
  key += request.place_years ? 'y' : '-';
  key += request.expand ? 'e' : '-';
  append(key, request.audience.groups);
  key += request.audience.all ? 'a' : '-';
  return key;
}

std::size_t approximate_bytes(const SearchResult& result) {
  std::size_t bytes = sizeof(SearchResult);
  for (const Hit& hit : result.hits) {
    bytes += sizeof(Hit) + bytes_of(hit.item) + bytes_of(hit.snippet);
    for (const Location& location : hit.locations) {
      bytes += sizeof(Location) + bytes_of(location.snippet);
    }
  }
  const Facets& facets = result.facets;
  for (const auto* values :
       {&facets.type, &facets.campaign, &facets.year, &facets.project, &facets.place}) {
    for (const FacetValue& value : *values) bytes += sizeof(FacetValue) + value.value.size();
  }
  // A map node: the key, its value and about four pointers.
  constexpr std::size_t kNode = 4 * sizeof(void*);
  for (const auto& [place, years] : facets.place_years) {
    bytes += kNode + sizeof(std::string) + place.size() +
             years.size() * (kNode + sizeof(int) + sizeof(std::size_t));
  }
  for (const std::string& place : facets.unknown_places)
    bytes += kNode + sizeof(std::string) + place.size();
  if (result.suggestion) bytes += result.suggestion->size();
  for (const Expansion& expansion : result.expanded) {
    bytes += sizeof(Expansion) + expansion.from.size();
    for (const std::string& to : expansion.to) bytes += sizeof(std::string) + to.size();
  }
  return bytes;
}

ResultCache::ResultCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

SearchResult ResultCache::answer(const SearchRequest& request, std::uint64_t state,
                                 const std::function<SearchResult()>& search) {
  if (max_bytes_ == 0) return search();
  const std::string key = result_cache_key(request);
  std::shared_ptr<Pending> mine;
  std::shared_future<SearchResult> theirs;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (const SearchResult* kept = find_locked(key, state)) {
      ++stats_.hits;
      return *kept;
    }
    std::shared_ptr<Pending>& pending = pending_[key];
    if (pending && pending->state == state) {
      ++stats_.shared;
      theirs = pending->result;
    } else {
      ++stats_.misses;
      pending = mine = std::make_shared<Pending>();
      mine->state = state;
    }
  }
  if (theirs.valid()) return theirs.get();

  // Whatever happens, the requests awaiting this search get its outcome and the next ones
  // search anew (or find it kept).
  auto finish = [&](auto settle) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const auto pending = pending_.find(key);
      if (pending != pending_.end() && pending->second == mine) pending_.erase(pending);
    }
    settle(mine->promise);
  };
  SearchResult result;
  try {
    result = search();
  } catch (...) {
    finish([](std::promise<SearchResult>& promise) {
      promise.set_exception(std::current_exception());
    });
    throw;
  }
  try {
    store(request, state, result);
  } catch (const std::bad_alloc&) {
    // Keeping an answer is a saving, not a duty: the requests still get it.
  }
  finish([&](std::promise<SearchResult>& promise) { promise.set_value(result); });
  return result;
}

std::optional<SearchResult> ResultCache::find(const SearchRequest& request, std::uint64_t state) {
  if (max_bytes_ == 0) return std::nullopt;
  const std::string key = result_cache_key(request);
  std::lock_guard<std::mutex> lock(mutex_);
  const SearchResult* kept = find_locked(key, state);
  if (!kept) {
    ++stats_.misses;
    return std::nullopt;
  }
  ++stats_.hits;
  return *kept;
}

const SearchResult* ResultCache::find_locked(const std::string& key, std::uint64_t state) {
  const auto found = by_key_.find(key);
  if (state != state_ || found == by_key_.end()) return nullptr;
  entries_.splice(entries_.begin(), entries_, found->second);
  return &found->second->result;
}

void ResultCache::store(const SearchRequest& request, std::uint64_t state,
                        const SearchResult& result) {
  if (max_bytes_ == 0 || !result.missing_shards.empty()) return;
  std::string key = result_cache_key(request);
  const std::size_t bytes = approximate_bytes(result) + 2 * key.size() + sizeof(Entry);
  if (bytes > max_bytes_ / 8) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (state < state_) return;  // read before a commit that answers already reflect
  if (state > state_) {
    clear_locked();
    state_ = state;
  }
  if (by_key_.count(key) != 0) return;  // another thread answered it meanwhile
  entries_.push_front(Entry{std::move(key), result, bytes});
  by_key_.emplace(entries_.front().key, entries_.begin());
  stats_.bytes += bytes;
  while (stats_.bytes > max_bytes_) {
    const Entry& oldest = entries_.back();
    stats_.bytes -= oldest.bytes;
    by_key_.erase(oldest.key);
    entries_.pop_back();
  }
  stats_.answers = entries_.size();
}

ResultCache::Stats ResultCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

void ResultCache::clear_locked() {
  by_key_.clear();
  entries_.clear();
  stats_.bytes = 0;
  stats_.answers = 0;
}

}  // namespace mediateka
