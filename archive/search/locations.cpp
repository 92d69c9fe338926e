#include "archive/search/locations.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "archive/index/schema.h"
#include "archive/text/analyzer.h"

namespace mediateka {
namespace {

constexpr size_t kLocationsPerHit = 3;
constexpr size_t kWindowWords = 30, kContextBefore = 5;

// The densest snippet window over `words` (sorted, distinct word ordinals): the index in
// `words` where the kWindowWords-wide window holding most of them begins, and how many it holds.
std::pair<size_t, size_t> densest_window(const std::vector<size_t>& words) {
  size_t best = 0, best_count = 0;
  for (size_t i = 0, j = 0; i < words.size(); ++i) {
    while (j < words.size() && words[j] < words[i] + kWindowWords) ++j;
    if (j - i > best_count) {
      best_count = j - i;
      best = i;
    }
  }
  return {best, best_count};
}

// A location of a hit holding some of the query's words.
struct LocationMatch {
  size_t place = 0;              // which of the item's places, in the order they were stored
  std::uint64_t words = 0;       // which of the query's words it holds (one bit each)
  std::vector<size_t> ordinals;  // the matching words, counted from the place's first word
  size_t densest = 0;            // see densest_window
  size_t densest_count = 0;

  // More of the query's words first, then more of them close together (a phrase, all words
  // in a sentence), then more matches, then the earlier location.
  bool ranks_above(const LocationMatch& other) const {
    int held = __builtin_popcountll(words), other_held = __builtin_popcountll(other.words);
    if (held != other_held) return held > other_held;
    if (densest_count != other.densest_count) return densest_count > other.densest_count;
    if (ordinals.size() != other.ordinals.size()) return ordinals.size() > other.ordinals.size();
    return place < other.place;
  }
};

// A hit's positions of the query's words (position, word), sorted, grouped by the locations
// that `starts` (each location's first position) delimit; the best kLocationsPerHit locations.
std::vector<LocationMatch> best_locations(
    std::vector<std::pair<Xapian::termpos, unsigned>> positions,
    const std::vector<Xapian::termpos>& starts) {
  std::sort(positions.begin(), positions.end());
  std::vector<LocationMatch> places;
  for (const auto& [position, word] : positions) {
    auto after = std::upper_bound(starts.begin(), starts.end(), position);
    if (after == starts.begin()) continue;  // the item's own fields, before its places
    const size_t place = static_cast<size_t>(after - starts.begin()) - 1;
    const size_t ordinal = position - starts[place];
    if (places.empty() || places.back().place != place) places.push_back({place, 0, {}, 0, 0});
    LocationMatch& match = places.back();
    if (word < 64) match.words |= std::uint64_t{1} << word;
    if (match.ordinals.empty() || match.ordinals.back() != ordinal)
      match.ordinals.push_back(ordinal);
  }
  for (LocationMatch& match : places) {
    std::tie(match.densest, match.densest_count) = densest_window(match.ordinals);
  }
  const size_t kept = std::min(places.size(), kLocationsPerHit);
  std::partial_sort(
      places.begin(), places.begin() + static_cast<std::ptrdiff_t>(kept), places.end(),
      [](const LocationMatch& a, const LocationMatch& b) { return a.ranks_above(b); });
  places.resize(kept);
  return places;
}

// The snippet of a location: its densest window, from a few words before its first match.
Snippet location_snippet(const Highlighter& highlighter, const schema::StoredSegment& stored,
                         const LocationMatch& match) {
  if (match.ordinals.empty()) return highlighter.snippet(stored.segment.text);
  const size_t first_word = match.ordinals[match.densest];
  const size_t start_word = first_word > kContextBefore ? first_word - kContextBefore : 0;
  return highlighter.snippet_of(stored.segment.text, stored.words, start_word, match.ordinals,
                                kWindowWords);
}

}  // namespace

// The indexes of `docids` in ascending docid order.
std::vector<size_t> docid_order(const std::vector<Xapian::docid>& docids) {
  std::vector<size_t> order(docids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return docids[a] < docids[b]; });
  return order;
}

void add_locations(const Xapian::Database& db, const std::vector<Xapian::docid>& docids,
                   const std::vector<std::vector<Xapian::termpos>>& location_starts,
                   const std::vector<size_t>& which, const QueryWords& words,
                   const Highlighter& highlighter, std::vector<Hit>& hits) {
  struct HitPositions {
    size_t hit;
    Xapian::docid docid;
    std::vector<std::pair<Xapian::termpos, unsigned>> positions;
  };
  std::vector<HitPositions> by_docid;
  for (size_t i : which) by_docid.push_back({i, docids[i], {}});
  auto read_positions = [&](HitPositions& hit, const std::string& term, unsigned word) {
    for (auto it = db.positionlist_begin(hit.docid, term);
         it != db.positionlist_end(hit.docid, term); ++it) {
      hit.positions.emplace_back(*it, word);
    }
  };
  unsigned word = 0;
  for (; word < words.body_words.size(); ++word) {
    for (const std::string& term : words.body_words[word]) {
      // A key of a typed form the archive lacks: one look-up instead of one per hit.
      if (!db.term_exists(term)) continue;
      for (HitPositions& hit : by_docid) read_positions(hit, term, word);
    }
  }
  for (const std::string& prefix : words.folded_prefixes) {
    const std::string lemma_prefix = schema::kLemma + prefix;
    for (HitPositions& hit : by_docid) {
      std::vector<std::string> terms;
      Xapian::TermIterator term = db.termlist_begin(hit.docid);
      for (term.skip_to(lemma_prefix); term != db.termlist_end(hit.docid) &&
                                       starts_with(*term, lemma_prefix) && terms.size() < 50;
           ++term) {
        terms.push_back(*term);
      }
      for (const std::string& found : terms) read_positions(hit, found, word);
    }
    ++word;
  }

  struct Chosen {
    Xapian::docid segment;
    size_t hit;
    LocationMatch match;
  };
  // The n-th location's segment is the document n + 1 after its item's in the item's shard, which
  // is n + 1 times the number of shards further on in `db` (Xapian interleaves shards' docids).
  const Xapian::docid shards = static_cast<Xapian::docid>(db.size());
  std::vector<Chosen> chosen;
  for (HitPositions& hit : by_docid) {
    if (hit.positions.empty()) continue;
    for (LocationMatch& match :
         best_locations(std::move(hit.positions), location_starts[hit.hit])) {
      const auto after = static_cast<Xapian::docid>(match.place + 1) * shards;
      chosen.push_back({hit.docid + after, hit.hit, std::move(match)});
    }
  }
  std::vector<Xapian::docid> segments;
  for (const Chosen& place : chosen) segments.push_back(place.segment);
  std::vector<std::optional<Location>> locations(chosen.size());
  for (size_t i : docid_order(segments)) {
    // The spans up to one word past the snippet window: enough to cut it and to tell whether
    // the text goes on.
    const LocationMatch& match = chosen[i].match;
    const size_t words_needed =
        match.ordinals.empty() ? 0 : match.ordinals[match.densest] + kWindowWords + 1;
    const schema::StoredSegment stored = schema::load_segment(
        db.get_document(chosen[i].segment, Xapian::DOC_ASSUME_VALID), words_needed);
    // Not the item's segment: an index that breaks the schema's order shows no wrong location.
    if (stored.item_id != hits[chosen[i].hit].item.id) continue;
    Location& location = locations[i].emplace();
    location.page = stored.segment.page;
    location.t = stored.segment.start_s;
    location.end = stored.segment.end_s;
    location.snippet = location_snippet(highlighter, stored, match);
  }
  for (size_t i = 0; i < chosen.size(); ++i) {
    if (locations[i]) hits[chosen[i].hit].locations.push_back(std::move(*locations[i]));
  }
}

}  // namespace mediateka
