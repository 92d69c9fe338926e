#include "searcher.h"

#include <algorithm>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "analyzer.h"
#include "document_text.h"
#include "helper_reader.h"
#include "highlighter.h"
#include "schema.h"

namespace mediateka {
namespace {

using schema::boolean_term;

constexpr int kMaxPerPage = 100;
constexpr size_t kMaxFacetValues = 100;
constexpr size_t kLocationsPerHit = 3;

// `campaign:` and `project:` in queries filter like the matching facet does.
class VocabularyFieldProcessor : public Xapian::FieldProcessor {
 public:
  VocabularyFieldProcessor(const char* prefix, const Vocabulary* vocabulary)
      : prefix_(prefix), vocabulary_(vocabulary) {}
  Xapian::Query operator()(const std::string& value) override {
    std::string name = value;
    if (vocabulary_) name = vocabulary_->match(value).value_or(value);
    return Xapian::Query(boolean_term(prefix_, Vocabulary::key(name)));
  }

 private:
  const char* prefix_;
  const Vocabulary* vocabulary_;
};

// Words too common to narrow a search; dropped from queries except inside phrases.
const Xapian::SimpleStopper& polish_stop_words() {
  static const Xapian::SimpleStopper* stopper = [] {
    auto* words = new Xapian::SimpleStopper;
    for (const char* word :
         {"a",     "aby",     "ale",  "albo", "bo",   "by",      "byl", "byla",  "bylo",
          "byly",  "czy",     "dla",  "do",   "gdy",  "i",       "ich", "ja",    "jak",
          "jako",  "je",      "jego", "jej",  "jest", "jeszcze", "juz", "ktora", "ktore",
          "ktory", "ktorych", "lub",  "ma",   "mu",   "na",      "nad", "nam",   "nas",
          "nie",   "niz",     "o",    "od",   "oraz", "po",      "pod", "przez", "przy",
          "sa",    "sie",     "tak",  "tam",  "te",   "tego",    "tej", "to",    "tu",
          "ty",    "u",       "w",    "we",   "wiec", "z",       "za",  "ze",    "zeby"}) {
      words->add(word);
    }
    return words;
  }();
  return *stopper;
}

Xapian::Query any_of(const std::vector<std::string>& terms) {
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// The words of a query's text, each the lemma-key terms (Z…) it matches in body text.
using WordTerms = std::vector<std::vector<std::string>>;

// What the text part of a query looks for, to find places and mark words.
struct QueryWords {
  std::set<std::string> lemma_keys;          // from Z terms
  std::set<std::string> folded_forms;        // folded words as typed
  std::vector<std::string> folded_prefixes;  // from trailing-* wildcards
  WordTerms body_words;                      // words that can match inside places
};

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// The parser's operators (upper case only, as Xapian reads them); NEAR/3 is a word and a number.
bool is_operator(std::string_view word) {
  for (const char* name : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"}) {
    if (word == name) return true;
  }
  return false;
}

// Xapian's parser rejects a query made only of "-word" exclusions and then parses it again with
// every operator taken as a plain character, so "-pomoc" would find the items that hold "pomoc".
// Such a query is written with NOT instead, which FLAG_PURE_NOT reads as "all items but these".
// Returns the text unchanged when some part of it is not an exclusion.
std::string exclusions_as_not(const std::string& text) {
  std::vector<std::string> parts;  // split at spaces outside quotes and parentheses
  std::string part;
  bool quoted = false;
  int depth = 0;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '(') ++depth;
    if (!quoted && c == ')' && depth > 0) --depth;
    if (!quoted && depth == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      if (!part.empty()) parts.push_back(std::move(part));
      part.clear();
    } else {
      part.push_back(c);
    }
  }
  if (!part.empty()) parts.push_back(std::move(part));
  if (parts.empty()) return text;
  std::string rewritten;
  for (const std::string& excluded : parts) {
    if (excluded.size() < 2 || excluded[0] != '-' || excluded[1] == '-') return text;
    rewritten.append(rewritten.empty() ? "NOT " : " NOT ").append(excluded, 1);
  }
  return rewritten;
}

}  // namespace

struct Searcher::Impl {
  Impl(const std::vector<std::string>& paths, const Vocabulary& vocabulary)
      : vocabulary(vocabulary),
        campaign_processor(new VocabularyFieldProcessor(schema::kCampaign, &this->vocabulary)),
        project_processor(new VocabularyFieldProcessor(schema::kProject, nullptr)),
        year_processor(new Xapian::NumberRangeProcessor(schema::kSlotYear, "year:")) {
    if (paths.empty()) throw std::invalid_argument("no database to search");
    for (const std::string& path : paths) db.add_database(Xapian::Database(path));
    helper = std::make_unique<HelperReader>(paths);
    parser.set_database(db);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    parser.set_stopper(&polish_stop_words());
    parser.set_default_op(Xapian::Query::OP_AND);
    parser.add_prefix("title", schema::kTitle);
    parser.add_boolean_prefix("campaign", campaign_processor.get());
    parser.add_boolean_prefix("project", project_processor.get());
    parser.add_boolean_prefix("type", schema::kType);
    parser.add_rangeprocessor(year_processor.get());
    parser.add_boolean_prefix("year", schema::kYear);
  }

  // `body_words` receives the lemma-key terms of each word that matches body text.
  Xapian::Query parse(const std::string& text, std::optional<std::string>* suggestion,
                      WordTerms* body_words) {
    unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                     Xapian::QueryParser::FLAG_PURE_NOT;
    // Diacritics are stripped before parsing, so that typed and folded forms meet
    // in the same terms; the exact forms are ranked separately (exact_form_boost).
    const std::string stripped = strip_diacritics(text);
    const std::string parsed = exclusions_as_not(stripped);
    // Xapian's spelling correction looks every word up in the spelling table, so it runs
    // only for a query that can get a suggestion at all; and a correction is shown in the
    // visitor's own words, which a rewritten query no longer is.
    const bool correct = suggestion && parsed == stripped && has_unknown_word(text);
    if (correct) flags |= Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
    Xapian::Query query;
    try {
      query = parser.parse_query(parsed, flags);
    } catch (const Xapian::QueryParserError& error) {
      throw QueryError("bad_query", "cannot parse the query: " + error.get_msg());
    }
    if (suggestion) {
      *suggestion = correct ? correction(text, parser.get_corrected_query_string()) : std::nullopt;
    }
    std::map<std::string, std::vector<std::string>> typed_forms;
    default_analyzer().tokenize(
        text, [&](const Token& token) { typed_forms[fold(token.text)].emplace_back(token.text); });
    return to_lemmas(query, typed_forms, body_words);
  }

  // Whether some word of the query is neither in the archive nor in the dictionary: only then
  // is a correction offered (such a word is not misspelt, however close it is to a commoner one).
  bool has_unknown_word(const std::string& text) {
    const Analyzer& analyzer = default_analyzer();
    bool unknown_word = false;
    analyzer.tokenize(text, [&](const Token& token) {
      std::string folded = fold(token.text);
      bool field_name = token.end < text.size() && text[token.end] == ':';
      if (field_name || unknown_word || is_operator(token.text) || db.term_exists(folded)) return;
      unknown_word =
          !analyzer.in_dictionary(token.text) && analyzer.restore_diacritics(folded).empty();
    });
    return unknown_word;
  }

  // Xapian's spelling correction of a query with an unknown word, with each corrected word in
  // its commonest written form.
  std::optional<std::string> correction(const std::string& text, const std::string& corrected) {
    if (corrected.empty()) return std::nullopt;
    std::string shown;
    size_t copied = 0;
    default_analyzer().tokenize(corrected, [&](const Token& token) {
      shown.append(corrected, copied, token.begin - copied);
      shown += written_form(fold(token.text)).value_or(std::string(token.text));
      copied = token.end;
    });
    shown.append(corrected, copied);
    if (fold(shown) == fold(text)) return std::nullopt;
    return shown;
  }

  // The commonest exact form of a folded word in the archive ("spolecznej" → "społecznej").
  std::optional<std::string> written_form(const std::string& folded) {
    const std::string prefix = schema::exact_form_term(folded, "");
    std::optional<std::string> best;
    Xapian::doccount best_count = 0;
    for (auto it = db.allterms_begin(prefix); it != db.allterms_end(prefix); ++it) {
      if (it.get_termfreq() > best_count) {
        best_count = it.get_termfreq();
        best = (*it).substr(prefix.size());
      }
    }
    return best;
  }

  // The parser leaves words as typed (folded); each becomes the synonym set of
  // its lemma keys, so every inflected form matches, in phrases too.
  Xapian::Query to_lemmas(const Xapian::Query& query,
                          const std::map<std::string, std::vector<std::string>>& typed_forms,
                          WordTerms* body_words, bool in_phrase = false) {
    Xapian::Query::op type = query.get_type();
    if (type == Xapian::Query::LEAF_TERM) {
      const std::string term = *query.get_terms_begin();
      size_t prefix_length = 0;
      while (prefix_length < term.size() && term[prefix_length] >= 'A' &&
             term[prefix_length] <= 'Z') {
        ++prefix_length;
      }
      std::string prefix = term.substr(0, prefix_length);
      if (!prefix.empty() && prefix != schema::kTitle) return query;  // a boolean filter
      std::vector<Xapian::Query> keys;
      std::vector<std::string> terms;
      for (const std::string& key : word_keys(term.substr(prefix_length), typed_forms)) {
        terms.push_back(schema::kLemma + prefix + key);
        keys.emplace_back(terms.back());
      }
      if (prefix.empty() && body_words) body_words->push_back(std::move(terms));
      // Xapian 1.4 allows OR, not SYNONYM, inside phrases.
      return Xapian::Query(in_phrase ? Xapian::Query::OP_OR : Xapian::Query::OP_SYNONYM,
                           keys.begin(), keys.end());
    }
    size_t count = query.get_num_subqueries();
    // Wildcards, value ranges and match-all have no words to expand; the parser
    // scales weight only to make pure boolean filters weightless.
    if (count == 0 || type == Xapian::Query::OP_SCALE_WEIGHT) return query;
    std::vector<Xapian::Query> parts;
    bool positional = type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR;
    for (size_t i = 0; i < count; ++i) {
      parts.push_back(to_lemmas(query.get_subquery(i), typed_forms, body_words, positional));
    }
    // The parser makes phrases as wide as their word count and NEAR 10 wide.
    Xapian::termcount window = type == Xapian::Query::OP_PHRASE ? count
                               : type == Xapian::Query::OP_NEAR ? 10
                                                                : 0;
    return Xapian::Query(type, parts.begin(), parts.end(), window);
  }

  // Lemma keys for a query word typed as `folded` (diacritics stripped): from the
  // forms the visitor typed, the forms of it found in the index, and, when neither
  // is a dictionary word, the dictionary words that lost their diacritics.
  std::vector<std::string> word_keys(const std::string& folded,
                                     const std::map<std::string, std::vector<std::string>>& typed) {
    const Analyzer& analyzer = default_analyzer();
    std::vector<std::string> forms{folded};
    if (auto it = typed.find(folded); it != typed.end()) {
      forms.insert(forms.end(), it->second.begin(), it->second.end());
    }
    const std::string indexed = schema::exact_form_term(folded, "");
    size_t seen = 0;
    for (auto it = db.allterms_begin(indexed); it != db.allterms_end(indexed) && seen < 32;
         ++it, ++seen) {
      forms.push_back((*it).substr(indexed.size()));
    }
    bool known = false;
    for (const std::string& form : forms) known = known || analyzer.in_dictionary(form);
    if (!known) {
      for (std::string& form : analyzer.restore_diacritics(folded))
        forms.push_back(std::move(form));
    }
    std::vector<std::string> keys;
    for (const std::string& form : forms) {
      for (const std::string& key : analyzer.lemmas(form)) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
      }
    }
    return keys;
  }

  QueryWords query_words(const std::string& text, const Xapian::Query& query,
                         WordTerms body_words) {
    QueryWords words;
    words.body_words = std::move(body_words);
    const std::string lemma_title = std::string(schema::kLemma) + schema::kTitle;
    for (auto it = query.get_unique_terms_begin(); it != query.get_unique_terms_end(); ++it) {
      const std::string& term = *it;
      if (term.empty()) continue;
      if (starts_with(term, lemma_title)) {
        words.lemma_keys.insert(term.substr(lemma_title.size()));
      } else if (starts_with(term, schema::kLemma)) {
        words.lemma_keys.insert(term.substr(1));
      }
    }
    default_analyzer().tokenize(text, [&](const Token& token) {
      std::string folded = fold(token.text);
      bool wildcard = token.end < text.size() && text[token.end] == '*';
      if (wildcard) {
        words.folded_prefixes.push_back(folded);
      } else if (folded != "and" && folded != "or" && folded != "not") {
        words.folded_forms.insert(folded);
      }
    });
    return words;
  }

  // Ranks the same form as typed above the same letters without diacritics, and
  // both above other forms of the word: they add weight without changing what matches.
  Xapian::Query exact_form_boost(const std::string& text) {
    std::vector<Xapian::Query> boosts;
    default_analyzer().tokenize(text, [&](const Token& token) {
      std::string folded = fold(token.text);
      boosts.emplace_back(folded);
      boosts.emplace_back(schema::exact_form_term(folded, lower(token.text)));
    });
    return Xapian::Query(Xapian::Query::OP_OR, boosts.begin(), boosts.end());
  }

  Xapian::Enquire enquire_for(const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    return enquire;
  }

  // Both handles open and reopen together, so that they read the same revision.
  bool reopen() {
    const bool helper_reopened = helper->reopen();
    return db.reopen() || helper_reopened;
  }

  Vocabulary vocabulary;
  Xapian::Database db;
  std::unique_ptr<HelperReader> helper;
  Xapian::QueryParser parser;
  std::unique_ptr<VocabularyFieldProcessor> campaign_processor;
  std::unique_ptr<VocabularyFieldProcessor> project_processor;
  std::unique_ptr<Xapian::NumberRangeProcessor> year_processor;
};

namespace {

struct FieldFilters {
  std::optional<Xapian::Query> type, campaign, project, year;
};

FieldFilters field_filters(const SearchRequest& request, const Vocabulary& vocabulary) {
  FieldFilters filters;
  auto terms_for = [](const char* prefix, const std::vector<std::string>& values, auto key) {
    std::vector<std::string> terms;
    for (const std::string& value : values) terms.push_back(boolean_term(prefix, key(value)));
    return any_of(terms);
  };
  if (!request.types.empty()) {
    filters.type = terms_for(schema::kType, request.types, [](const std::string& v) { return v; });
  }
  if (!request.campaigns.empty()) {
    filters.campaign = terms_for(schema::kCampaign, request.campaigns, [&](const std::string& v) {
      return Vocabulary::key(vocabulary.match(v).value_or(v));
    });
  }
  if (!request.projects.empty()) {
    filters.project = terms_for(schema::kProject, request.projects, Vocabulary::key);
  }
  std::vector<Xapian::Query> year_parts;
  if (!request.years.empty()) {
    std::vector<std::string> years;
    for (int year : request.years) years.push_back(std::to_string(year));
    year_parts.push_back(terms_for(schema::kYear, years, [](const std::string& v) { return v; }));
  }
  if (request.year_from || request.year_to) {
    Xapian::Query range;
    std::string from = Xapian::sortable_serialise(request.year_from.value_or(0));
    std::string to = Xapian::sortable_serialise(request.year_to.value_or(9999));
    year_parts.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kSlotYear, from, to);
  }
  if (!year_parts.empty()) {
    filters.year = Xapian::Query(Xapian::Query::OP_AND, year_parts.begin(), year_parts.end());
  }
  return filters;
}

Xapian::Query filtered(Xapian::Query query,
                       const std::vector<const std::optional<Xapian::Query>*>& filters) {
  for (const auto* filter : filters) {
    if (*filter) query = Xapian::Query(Xapian::Query::OP_FILTER, query, **filter);
  }
  return query;
}

enum FacetField { kTypeField, kCampaignField, kYearField, kProjectField, kFacetFieldCount };

// Facet counts from match spies on kSlotFacets.
class FacetCounter {
 public:
  // Adds what `spy` counted: every field's values, or only those of `field`.
  void add(const Xapian::ValueCountMatchSpy& spy, std::optional<FacetField> field = std::nullopt) {
    auto wanted = [&](FacetField f) { return !field || *field == f; };
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
      const schema::FacetFields fields = schema::load_facet_fields(*it);
      const std::size_t count = it.get_termfreq();
      if (wanted(kTypeField)) counts_[kTypeField][fields.type] += count;
      if (wanted(kCampaignField)) {
        for (const std::string& campaign : fields.campaigns)
          counts_[kCampaignField][campaign] += count;
      }
      if (wanted(kYearField) && !fields.year.empty()) counts_[kYearField][fields.year] += count;
      if (wanted(kProjectField) && !fields.project.empty())
        counts_[kProjectField][fields.project] += count;
    }
  }

  // Years in order, other values by count.
  Facets facets() const {
    auto year_order = [](const FacetValue& a, const FacetValue& b) {
      return std::atoi(a.value.c_str()) < std::atoi(b.value.c_str());
    };
    auto count_order = [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; };
    return {sorted(counts_[kTypeField], count_order), sorted(counts_[kCampaignField], count_order),
            sorted(counts_[kYearField], year_order), sorted(counts_[kProjectField], count_order)};
  }

 private:
  template <typename Order>
  static std::vector<FacetValue> sorted(const std::map<std::string, std::size_t>& counts,
                                        Order order) {
    std::vector<FacetValue> values;
    for (const auto& [value, count] : counts) values.push_back({value, count});
    std::stable_sort(values.begin(), values.end(), order);
    if (values.size() > kMaxFacetValues) values.resize(kMaxFacetValues);
    return values;
  }

  std::map<std::string, std::size_t> counts_[kFacetFieldCount];
};

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

// The indexes of `docids` in ascending docid order.
std::vector<size_t> docid_order(const std::vector<Xapian::docid>& docids) {
  std::vector<size_t> order(docids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return docids[a] < docids[b]; });
  return order;
}

// A place of a hit holding some of the query's words.
struct PlaceMatch {
  size_t place = 0;              // which of the item's places, in the order they were stored
  std::uint64_t words = 0;       // which of the query's words it holds (one bit each)
  std::vector<size_t> ordinals;  // the matching words, counted from the place's first word
  size_t densest = 0;            // see densest_window
  size_t densest_count = 0;

  // More of the query's words first, then more of them close together (a phrase, all words
  // in a sentence), then more matches, then the earlier place.
  bool ranks_above(const PlaceMatch& other) const {
    int held = __builtin_popcountll(words), other_held = __builtin_popcountll(other.words);
    if (held != other_held) return held > other_held;
    if (densest_count != other.densest_count) return densest_count > other.densest_count;
    if (ordinals.size() != other.ordinals.size()) return ordinals.size() > other.ordinals.size();
    return place < other.place;
  }
};

// A hit's positions of the query's words (position, word), sorted, grouped by the places
// that `starts` (each place's first position) delimit; the best kLocationsPerHit places.
std::vector<PlaceMatch> best_places(std::vector<std::pair<Xapian::termpos, unsigned>> positions,
                                    const std::vector<Xapian::termpos>& starts) {
  std::sort(positions.begin(), positions.end());
  std::vector<PlaceMatch> places;
  for (const auto& [position, word] : positions) {
    auto after = std::upper_bound(starts.begin(), starts.end(), position);
    if (after == starts.begin()) continue;  // the item's own fields, before its places
    const size_t place = static_cast<size_t>(after - starts.begin()) - 1;
    const size_t ordinal = position - starts[place];
    if (places.empty() || places.back().place != place) places.push_back({place, 0, {}, 0, 0});
    PlaceMatch& match = places.back();
    if (word < 64) match.words |= std::uint64_t{1} << word;
    if (match.ordinals.empty() || match.ordinals.back() != ordinal)
      match.ordinals.push_back(ordinal);
  }
  for (PlaceMatch& match : places) {
    std::tie(match.densest, match.densest_count) = densest_window(match.ordinals);
  }
  const size_t kept = std::min(places.size(), kLocationsPerHit);
  std::partial_sort(places.begin(), places.begin() + static_cast<std::ptrdiff_t>(kept),
                    places.end(),
                    [](const PlaceMatch& a, const PlaceMatch& b) { return a.ranks_above(b); });
  places.resize(kept);
  return places;
}

// The snippet of a place: its densest window, from a few words before its first match.
std::string place_snippet(const Highlighter& highlighter, const schema::StoredSegment& stored,
                          const PlaceMatch& match) {
  if (match.ordinals.empty()) return highlighter.snippet(stored.segment.text);
  const size_t first_word = match.ordinals[match.densest];
  const size_t start_word = first_word > kContextBefore ? first_word - kContextBefore : 0;
  return highlighter.snippet_of(stored.segment.text, stored.words, start_word, match.ordinals,
                                kWindowWords);
}

// The places of the hits' matches, from the positions of the query's words in the hits' own
// documents: no second search. Positions are read term by term in docid order, and segments
// in docid order, the orders in which Xapian stores them, so that consecutive reads share
// blocks. A word with a trailing * matches the hit's own terms that begin so.
// `docids` are the hits' docids in `db`, `place_starts` their items' (HitFields::place_starts);
// only the hits numbered in `which` (ascending by docid) are placed.
void add_locations(const Xapian::Database& db, const std::vector<Xapian::docid>& docids,
                   const std::vector<std::vector<Xapian::termpos>>& place_starts,
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
    PlaceMatch match;
  };
  // The n-th place's segment is the document n + 1 after its item's in the item's shard, which
  // is n + 1 times the number of shards further on in `db` (Xapian interleaves shards' docids).
  const Xapian::docid shards = static_cast<Xapian::docid>(db.size());
  std::vector<Chosen> chosen;
  for (HitPositions& hit : by_docid) {
    if (hit.positions.empty()) continue;
    for (PlaceMatch& match : best_places(std::move(hit.positions), place_starts[hit.hit])) {
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
    const PlaceMatch& match = chosen[i].match;
    const size_t words_needed =
        match.ordinals.empty() ? 0 : match.ordinals[match.densest] + kWindowWords + 1;
    const schema::StoredSegment stored = schema::load_segment(
        db.get_document(chosen[i].segment, Xapian::DOC_ASSUME_VALID), words_needed);
    // Not the item's segment: an index that breaks the schema's order shows no wrong place.
    if (stored.item_id != hits[chosen[i].hit].item.id) continue;
    Location& location = locations[i].emplace();
    location.page = stored.segment.page;
    location.t = stored.segment.start_s;
    location.end = stored.segment.end_s;
    location.snippet = place_snippet(highlighter, stored, match);
  }
  for (size_t i = 0; i < chosen.size(); ++i) {
    if (locations[i]) hits[chosen[i].hit].locations.push_back(std::move(*locations[i]));
  }
}

Item stored_item(const Xapian::Document& document) {
  return item_from_json(nlohmann::json::parse(document.get_data()));
}

}  // namespace

Searcher::Searcher(const std::vector<std::string>& databases, const Vocabulary& campaigns)
    : impl_(std::make_shared<Impl>(databases, campaigns)) {
  // An empty database (no commit yet) has no version; anything else must be ours.
  std::string version = impl_->db.get_metadata(schema::kSchemaVersionKey);
  if (!version.empty() && version != std::to_string(schema::kSchemaVersion)) {
    throw std::runtime_error("the index has schema version " + version + ", this program reads " +
                             std::to_string(schema::kSchemaVersion) +
                             ": import the collection into a new index");
  }
}

bool Searcher::reopen() { return impl_->reopen(); }

// Xapian may throw DatabaseModifiedError when the indexer commits during a long
// read; the answer is to reopen (`index`: Searcher::Impl) and try again.
template <typename Index, typename Fn>
static auto with_reopen(Index& index, Fn fn) {
  for (int attempt = 0;; ++attempt) {
    try {
      return fn();
    } catch (const Xapian::DatabaseModifiedError&) {
      if (attempt >= 2) throw;
      index.reopen();
    }
  }
}

SearchResult Searcher::search(const SearchRequest& request) {
  if (request.page < 1) throw QueryError("bad_parameter", "page must be 1 or more");
  if (request.per_page < 1 || request.per_page > kMaxPerPage) {
    throw QueryError("bad_parameter", "per_page must be between 1 and 100");
  }
  return with_reopen(*impl_, [&] {
    Impl& impl = *impl_;
    SearchResult result;
    Xapian::Query text_query;
    bool has_text = false;
    std::optional<std::string> suggestion;
    WordTerms body_words;
    if (request.q.find_first_not_of(" \t\r\n") != std::string::npos) {
      text_query = impl.parse(request.q, &suggestion, &body_words);
      has_text = !text_query.empty();
    }
    result.suggestion = suggestion;

    // The items matching the text, less those matching `excluded`. Xapian 1.4 applies an
    // AND_NOT before checking phrases only when it sits inside an AND-like query, as here.
    auto items_matching = [&](const Xapian::Query& excluded) {
      auto less_excluded = [&](const Xapian::Query& query) {
        if (excluded.empty()) return query;
        return Xapian::Query(Xapian::Query::OP_AND_NOT, query, excluded);
      };
      Xapian::Query items(schema::kItemDoc);
      if (!has_text) return less_excluded(items);
      return Xapian::Query(Xapian::Query::OP_FILTER, less_excluded(text_query), items);
    };
    Xapian::Query matched = items_matching(Xapian::Query());
    Xapian::Query ranked = matched;
    if (has_text) {
      ranked =
          Xapian::Query(Xapian::Query::OP_AND_MAYBE, matched, impl.exact_form_boost(request.q));
    }
    FieldFilters filters = field_filters(request, impl.vocabulary);
    Xapian::Query main =
        filtered(ranked, {&filters.type, &filters.campaign, &filters.project, &filters.year});

    Xapian::Enquire enquire = impl.enquire_for(main);
    SortOrder sort = request.sort;
    if (!has_text && sort == SortOrder::relevance) sort = SortOrder::newest;
    if (sort != SortOrder::relevance) {
      enquire.set_sort_by_value_then_relevance(schema::kSlotDate, sort == SortOrder::newest);
    }
    const Xapian::doccount all = impl.db.get_doccount();

    // Multi-select facets: a field's counts ignore that field's own filter. A spy on the main
    // pass counts every field over the documents inside all filters; for a filtered field, a
    // pass over the documents outside its own filter (inside the others') adds the rest of its
    // counts, so no document is matched, nor its phrase checked, twice for one field. Those
    // passes run on the helper's thread meanwhile, from queries handed over serialised: a
    // Xapian::Query counts its references without atomics, so two threads must not share one.
    struct OutsidePass {
      FacetField field;
      std::string query;
      Xapian::ValueCountMatchSpy spy{schema::kSlotFacets};
    };
    std::deque<OutsidePass> outside;
    if (request.facets) {
      const std::optional<Xapian::Query>* field_filters[kFacetFieldCount];
      field_filters[kTypeField] = &filters.type;
      field_filters[kCampaignField] = &filters.campaign;
      field_filters[kYearField] = &filters.year;
      field_filters[kProjectField] = &filters.project;
      for (FacetField field : {kTypeField, kCampaignField, kYearField, kProjectField}) {
        if (!*field_filters[field]) continue;
        std::vector<const std::optional<Xapian::Query>*> others;
        for (const auto* other : field_filters) {
          if (other != field_filters[field]) others.push_back(other);
        }
        outside.emplace_back().field = field;
        outside.back().query = filtered(items_matching(**field_filters[field]), others).serialise();
      }
    }
    std::optional<HelperReader::Task> counting;
    if (!outside.empty()) {
      counting.emplace(*impl.helper, [&outside, all](const Xapian::Database& db) {
        for (OutsidePass& pass : outside) {
          Xapian::Enquire count(db);
          count.set_query(Xapian::Query::unserialise(pass.query));
          // Counting needs no weights: Xapian then skips scoring and the ranking-only boosts.
          count.set_weighting_scheme(Xapian::BoolWeight());
          count.add_matchspy(&pass.spy);
          count.get_mset(0, 0, all);
        }
      });
    }
    Xapian::ValueCountMatchSpy inside(schema::kSlotFacets);
    if (request.facets) enquire.add_matchspy(&inside);
    Xapian::doccount offset = static_cast<Xapian::doccount>((request.page - 1) * request.per_page);
    Xapian::MSet mset = enquire.get_mset(offset, request.per_page, all);
    result.total = mset.get_matches_estimated();
    if (counting) counting->join();
    if (request.facets) {
      FacetCounter counter;
      counter.add(inside);
      for (const OutsidePass& pass : outside) counter.add(pass.spy, pass.field);
      result.facets = counter.facets();
    }

    QueryWords words;
    if (has_text) words = impl.query_words(request.q, text_query, std::move(body_words));
    Highlighter highlighter(default_analyzer(), words.lemma_keys, words.folded_forms,
                            words.folded_prefixes);
    std::vector<Xapian::docid> docids;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      docids.push_back(*it);
      Hit hit;
      hit.score = has_text ? it.get_percent() / 100.0 : 1.0;
      result.hits.push_back(std::move(hit));
    }
    // Hit fields read in docid order, the order of their value chunks, so neighbours share blocks.
    std::vector<std::vector<Xapian::termpos>> place_starts(docids.size());
    for (size_t i : docid_order(docids)) {
      schema::HitFields fields = schema::load_hit_fields(
          impl.db.get_document(docids[i], Xapian::DOC_ASSUME_VALID).get_value(schema::kSlotHit));
      result.hits[i].item = std::move(fields.item);
      place_starts[i] = std::move(fields.place_starts);
    }
    if (has_text && request.snippets) {
      // About half the hits (the higher docids) are placed on the helper's thread meanwhile; it
      // starts later, by about one hit's work (waking it takes ~50 µs), so it takes one fewer.
      const std::vector<size_t> order = docid_order(docids);
      const auto split = static_cast<std::ptrdiff_t>(std::min(order.size(), order.size() / 2 + 1));
      const std::vector<size_t> lower(order.begin(), order.begin() + split);
      const std::vector<size_t> higher(order.begin() + split, order.end());
      std::optional<HelperReader::Task> helper;
      if (!higher.empty()) {
        helper.emplace(*impl.helper, [&](const Xapian::Database& db) {
          add_locations(db, docids, place_starts, higher, words, highlighter, result.hits);
        });
      }
      add_locations(impl.db, docids, place_starts, lower, words, highlighter, result.hits);
      if (helper) helper->join();
    }
    if (request.snippets) {
      for (Hit& hit : result.hits) {
        if (!hit.locations.empty()) {
          hit.snippet = hit.locations.front().snippet;
        } else {
          hit.snippet = highlighter.snippet(hit.item.description.empty() ? hit.item.title
                                                                         : hit.item.description);
        }
      }
    }
    return result;
  });
}

Facets Searcher::facets() {
  SearchRequest request;
  request.per_page = 1;
  request.snippets = false;
  return search(request).facets;
}

std::optional<Item> Searcher::item_by_id(const std::string& id) {
  return with_reopen(*impl_, [&]() -> std::optional<Item> {
    std::string term = boolean_term(schema::kId, id);
    auto it = impl_->db.postlist_begin(term);
    if (it == impl_->db.postlist_end(term)) return std::nullopt;
    return stored_item(impl_->db.get_document(*it));
  });
}

std::optional<Item> Searcher::item_by_slug(const std::string& slug) {
  return with_reopen(*impl_, [&]() -> std::optional<Item> {
    std::string term = boolean_term(schema::kSlug, slug);
    auto it = impl_->db.postlist_begin(term);
    if (it == impl_->db.postlist_end(term)) return std::nullopt;
    return stored_item(impl_->db.get_document(*it));
  });
}

std::vector<Segment> Searcher::segments(const std::string& item_id) {
  return with_reopen(*impl_, [&] {
    std::vector<Segment> segments;
    const std::string term = boolean_term(schema::kParent, item_id);
    for (auto it = impl_->db.postlist_begin(term); it != impl_->db.postlist_end(term); ++it) {
      segments.push_back(schema::load_segment(impl_->db.get_document(*it), 0).segment);
    }
    std::stable_sort(segments.begin(), segments.end(), [](const Segment& a, const Segment& b) {
      if (a.page != b.page) return a.page < b.page;
      return a.start_s < b.start_s;
    });
    return segments;
  });
}

std::size_t Searcher::item_count() {
  return with_reopen(*impl_, [&] { return impl_->db.get_termfreq(schema::kItemDoc); });
}

std::vector<std::string> Searcher::suggest(const std::string& prefix, std::size_t limit) {
  return with_reopen(*impl_, [&] {
    std::vector<std::string> out;
    std::set<std::string> seen;
    auto add = [&](const std::string& text) {
      if (out.size() < limit && seen.insert(fold(text)).second) out.push_back(text);
    };
    std::string folded_prefix = Vocabulary::key(prefix);
    if (folded_prefix.empty()) return out;
    for (const std::string& campaign : impl_->vocabulary.canonical_names()) {
      if (starts_with(Vocabulary::key(campaign), folded_prefix)) add(campaign);
    }
    // Titles: every typed word, the last one as a prefix.
    std::vector<std::string> typed;
    default_analyzer().tokenize(prefix,
                                [&](const Token& token) { typed.push_back(fold(token.text)); });
    if (typed.empty()) return out;
    const std::string title_prefix = schema::kTitle;
    std::vector<Xapian::Query> parts;
    for (size_t i = 0; i + 1 < typed.size(); ++i) parts.emplace_back(title_prefix + typed[i]);
    parts.emplace_back(Xapian::Query::OP_WILDCARD, title_prefix + typed.back());
    Xapian::Query titles(Xapian::Query::OP_AND, parts.begin(), parts.end());
    titles = Xapian::Query(Xapian::Query::OP_FILTER, titles, Xapian::Query(schema::kItemDoc));
    Xapian::MSet mset =
        impl_->enquire_for(titles).get_mset(0, static_cast<Xapian::doccount>(limit));
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      add(it.get_document().get_value(schema::kSlotTitle));
    }
    // Frequent words: the exact forms (with their diacritics) of words starting so.
    if (typed.size() == 1 && typed.back().size() >= 2) {
      const std::string exact_prefix = schema::kExactForm + typed.back();
      std::vector<std::pair<Xapian::doccount, std::string>> forms;
      size_t scanned = 0;
      for (auto it = impl_->db.allterms_begin(exact_prefix);
           it != impl_->db.allterms_end(exact_prefix) && scanned < 5000; ++it, ++scanned) {
        const std::string& term = *it;
        size_t separator = term.find(schema::kExactFormSeparator);
        if (separator == std::string::npos) continue;
        forms.emplace_back(it.get_termfreq(), term.substr(separator + 1));
      }
      std::stable_sort(forms.begin(), forms.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      for (const auto& form : forms) add(form.second);
    }
    return out;
  });
}

}  // namespace mediateka
