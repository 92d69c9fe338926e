// How items live in the Xapian index. See docs/design.md for the reasoning.
//
// Two kinds of document share one database:
//   - an item document per item: all its metadata and text, its facet values,
//     its stored JSON (document data); searches and facet counts run over these
//     only, so totals and counts are counts of items;
//   - a segment document per PDF page or time range (cue, chapter) of an item, with
//     no text terms: its place, anchors and text sit in a value slot (see store_segment)
//     and are read for the places of the hits on a page. Where a place's words are is
//     told by the item document's positions (see HitFields::location_starts).
// Changing a prefix or a slot is a schema change: bump kSchemaVersion and reindex.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "archive/item.h"
#include "archive/text/analyzer.h"

namespace mediateka::schema {

// 2: segment places and anchors in value slots; 3: the whole segment in a value slot;
// 4: no text terms in segment documents, places found from the item's positions;
// 5: facet fields in one slot, segments right after their item and naming it;
// 6: places (XL terms, kSlotPlaces);
// 7: a database per audience (audience_databases.h), kSlotId, ids in kSlotDate, slugs kept by
//    tombstones.
inline constexpr int kSchemaVersion = 7;
inline constexpr const char* kSchemaVersionKey = "mediateka:schema";

// Boolean terms.
inline constexpr const char* kItemDoc = "KI";     // every item document
inline constexpr const char* kSegmentDoc = "KS";  // every segment document
inline constexpr const char* kId = "Q";           // Q<id>: the item (unique)
inline constexpr const char* kParent = "QP";      // QP<id>: segments of an item
inline constexpr const char* kSlug = "XS";        // XS<slug>
inline constexpr const char* kSourceKey = "XK";   // XK<source key> (absolute path or URL)
inline constexpr const char* kChecksum = "XH";    // XH<content checksum>
inline constexpr const char* kType = "XT";        // XT<type>
inline constexpr const char* kCampaign = "XC";    // XC<Vocabulary::key(campaign)>
inline constexpr const char* kProject = "XJ";     // XJ<Vocabulary::key(project)>
inline constexpr const char* kYear = "XY";        // XY<year>
inline constexpr const char* kPlace = "XL";       // XL<Vocabulary::key(place's canonical name)>
// XU<Vocabulary::key(name as written)>: a place name the gazetteer did not know (Place::unknown).
// Only a librarian's place filter asks for these; a visitor's asks for XL terms alone.
inline constexpr const char* kUnknownPlace = "XU";
// Restricted items (archive/access/access.h): KA on each, and XA<group> for each of its groups.
// Public items have neither, so an index without restricted items costs a query nothing to filter.
inline constexpr const char* kRestricted = "KA";
inline constexpr const char* kAccessGroup = "XA";
// Items with pages read by OCR, and with pages whose mis-decoded text was repaired (so that
// stats finds them without reading every item).
inline constexpr const char* kHasOcrPages = "KO";
inline constexpr const char* kHasRepairedPages = "KR";

// Free-text terms. Every word of body text is indexed three ways:
//   <folded>                  its folded form, no positions (wildcards, "same form");
//   E<folded>\x1f<exact>      its exact lower-case form, no positions (ranking exact
//                             forms first; folded → exact forms for completions);
//   Z<lemma key>              each folded lemma key, with positions (matching, phrases).
// Field-restricted words (title:) are indexed as <prefix><folded> and Z<prefix><lemma key>.
inline constexpr const char* kExactForm = "E";
inline constexpr char kExactFormSeparator = '\x1f';
inline constexpr const char* kLemma = "Z";
inline constexpr const char* kTitle = "S";
inline constexpr const char* kCampaignText = "XCT";
// XN<entry>: the item's text names an entry of the shipped list of acronyms and full names
// (synonyms.h), in any of its forms, once per time it is named (no positions). With these the
// rewriter searches a name's other forms as one term, not as phrases of lemmas; it does so only
// in an index whose metadata kNamesKey holds Synonyms::names_fingerprint(): the writer sets it
// when it makes a database, so an index written before the list changed searches phrases.
inline constexpr const char* kName = "XN";
inline std::string name_term(std::size_t entry) { return kName + std::to_string(entry); }

// Value slots.
inline constexpr Xapian::valueno kSlotYear = 2;  // sortable_serialise(year)
// "YYYYMMDD" for sorting (year-only dates as YYYY0000, none as 00000000) and the item's id, so
// that items of the same date sort alike in one index and across shards (date_order_value).
inline constexpr Xapian::valueno kSlotDate = 4;
inline constexpr Xapian::valueno kSlotTitle = 5;  // the title, for completions
// Item documents: what a hit shows and where the item's places start (see HitFields), read
// with one fetch, no JSON and no decompression.
inline constexpr Xapian::valueno kSlotHit = 6;
// Item documents: type, campaigns, year and project in one value (see facet_value), so that one
// match spy counts every facet (a spy per field read a value stream each per matching item).
inline constexpr Xapian::valueno kSlotFacets = 7;
// Segment documents: everything (see store_segment) in one slot, read with one fetch, no
// JSON and no decompression (Xapian compresses document data with zlib, not values;
// inflating each page cost more than reading it).
inline constexpr Xapian::valueno kSlotSegment = 9;  // place, anchors and text
// Item documents and tombstones: when the item last changed in the index (stored, changed,
// removed), sortable_serialise(seconds since the epoch). Items stored before it existed have none
// and count as changed at the epoch.
inline constexpr Xapian::valueno kSlotChanged = 10;
// Item documents with places: their places (see place_value), counted by a spy of their own. In
// kSlotFacets they would multiply its distinct values (every combination of places with every
// combination of the other fields), and a spy pays for each distinct value: on 20,000 items
// with 0-3 places each, a browse took 6x as long; apart, the other facets cost what they did,
// and items without places have no value to read. kSlotPlaceYears adds the year, for the counts
// by year that only /miejsca asks for (the year would multiply the place facet's values too).
inline constexpr Xapian::valueno kSlotPlaces = 11;
inline constexpr Xapian::valueno kSlotPlaceYears = 12;
// In those two slots a place the gazetteer did not know (Place::unknown) is its name as written
// after this mark, counted for librarians alone (FacetCounter); an item's known places and its
// unknown ones share one value, so that one spy still counts them.
inline constexpr char kUnknownPlaceMark = '\x1d';
// Item documents and tombstones: the item's id, which orders changes of the same second (never
// the document id: it differs between one index and shards, and between audiences).
inline constexpr Xapian::valueno kSlotId = 13;

// Tombstones: an item that is removed, or leaves its audience's database (its access changed),
// leaves there a document with KT, XD<id>, XS<slug> and its set terms (XT, XC, XJ), changed when
// it went, so that harvesters (OAI-PMH) are told it is gone, its page answers 410 and its slug
// is never given to another item. Storing the item again in that database removes it.
inline constexpr const char* kTombstone = "KT";
inline constexpr const char* kTombstoneId = "XD";

// Database metadata.
inline constexpr const char* kFailedPrefix =
    "failed:";  // failed:<source key> → JSON {error,size,mtime}
// spelling-pending:<sequence, 12 digits> → "word\tcount\n"…: words of committed items that the
// spelling table has not taken in yet (see IndexWriter::commit_batch).
inline constexpr const char* kSpellingPendingPrefix = "spelling-pending:";
// The public database's: bumped by every commit of the archive, whichever databases changed,
// so that readers watching the public database notice any commit.
inline constexpr const char* kGenerationKey = "mediateka:generation";
// Every database's, when its items carry name terms (kName) of the list with this fingerprint.
inline constexpr const char* kNamesKey = "mediateka:names";
// The public database's: a random secret that signs the positions of change lists (OAI-PMH
// resumption tokens), so that no client can forge one.
inline constexpr const char* kSecretKey = "mediateka:secret";

inline constexpr char kMultiValueSeparator = '\x1f';
inline constexpr char kFieldSeparator = '\x1e';

std::string boolean_term(const char* prefix, const std::string& value);
// kSlotDate's value: the sortable date ("" when unknown) then the id.
std::string date_order_value(const std::string& date, const std::string& id);
std::string exact_form_term(const std::string& folded, const std::string& exact);
// What a segment document stores (in kSlotSegment): its item's id, its place, its text and
// where each of its words stands in it (word n is the one at the place's start + n, see
// HitFields::location_starts).
struct StoredSegment {
  std::string item_id;
  Segment segment;
  std::vector<WordSpan> words;
};
void store_segment(Xapian::Document& document, const StoredSegment& stored);
// Reads a segment with at most its first `word_limit` word spans.
StoredSegment load_segment(const Xapian::Document& document,
                           size_t word_limit = static_cast<size_t>(-1));

// The whole item an item document stores (its data, JSON).
Item load_item(const Xapian::Document& document);
// Whether a document is an item's (not a tombstone's, which shares its slug term, nor a segment's).
inline bool is_item_document(const Xapian::Document& document) {
  return !document.get_value(kSlotHit).empty();
}

// What an item document keeps in kSlotHit.
struct HitFields {
  // The fields a hit shows: id, slug, type, title, year, campaigns, project, description.
  Item item;
  // The position of each place's first word, ascending. An item's segment documents are
  // added right after it, in the order of its places: in a shard, the place starting at the
  // n-th position (from 0) is the document n + 1 after the item's.
  std::vector<Xapian::termpos> location_starts;
};
void store_hit_fields(Xapian::Document& document, const Item& item,
                      const std::vector<Xapian::termpos>& location_starts);
HitFields load_hit_fields(const std::string& value);

// An item's facet fields as kSlotFacets holds them, and back.
struct FacetFields {
  std::string type;
  std::vector<std::string> campaigns;
  std::string year;  // decimal, empty when unknown
  std::string project;
};
std::string facet_value(const Item& item);
FacetFields load_facet_fields(const std::string& value);
// "<place>\x1f<place>...", the places' names sorted (so that items of the same places share one
// value), each unknown one after kUnknownPlaceMark; "" for an item without places.
std::string place_value(const Item& item);
// Calls `each` with every name of a place value, read in place.
template <typename Each>
void for_each_place(std::string_view places, Each each) {
  for (std::size_t start = 0; start < places.size();) {
    std::size_t end = places.find(kMultiValueSeparator, start);
    if (end == std::string_view::npos) end = places.size();
    each(places.substr(start, end - start));
    start = end + 1;
  }
}
// "<year>\x1e" and the place value; "" for an item without places.
std::string place_year_value(const Item& item);

}  // namespace mediateka::schema
