#include "archive/search/query_rewriter.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <vector>

#include "archive/index/schema.h"
#include "archive/search_types.h"
#include "archive/text/analyzer.h"

namespace mediateka {

using schema::boolean_term;

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

namespace {

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

QueryRewriter::QueryRewriter(const Xapian::Database& db, const Vocabulary& vocabulary)
    : db_(db),
      campaign_processor_(new VocabularyFieldProcessor(schema::kCampaign, &vocabulary)),
      project_processor_(new VocabularyFieldProcessor(schema::kProject, nullptr)),
      year_processor_(new Xapian::NumberRangeProcessor(schema::kSlotYear, "year:")) {
  parser_.set_database(db);
  parser_.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
  parser_.set_stopper(&polish_stop_words());
  parser_.set_default_op(Xapian::Query::OP_AND);
  parser_.add_prefix("title", schema::kTitle);
  parser_.add_boolean_prefix("campaign", campaign_processor_.get());
  parser_.add_boolean_prefix("project", project_processor_.get());
  parser_.add_boolean_prefix("type", schema::kType);
  parser_.add_rangeprocessor(year_processor_.get());
  parser_.add_boolean_prefix("year", schema::kYear);
}

QueryRewriter::~QueryRewriter() = default;

Xapian::Query QueryRewriter::parse(const std::string& text, const TermVisible& visible,
                                   std::optional<std::string>* suggestion, WordTerms* body_words,
                                   const Synonyms* synonyms, std::vector<Expansion>* expanded) {
  keys_memo_.clear();
  if (synonyms) {
    std::map<std::string, std::vector<std::string>> typed_forms;
    default_analyzer().tokenize(
        text, [&](const Token& token) { typed_forms[fold(token.text)].emplace_back(token.text); });
    const std::vector<SynonymMatch> matches = synonyms->find(
        text, [&](std::string_view word) { return word_keys(fold(word), typed_forms); });
    if (!matches.empty()) {
      if (suggestion) *suggestion = std::nullopt;
      return expanded_query(text, matches, typed_forms, body_words, expanded);
    }
  }
  const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                         Xapian::QueryParser::FLAG_PURE_NOT;
  // Diacritics are stripped before parsing, so that typed and folded forms meet
  // in the same terms; the exact forms are ranked separately (exact_form_boost).
  const std::string stripped = strip_diacritics(text);
  const std::string parsed = exclusions_as_not(stripped);
  Xapian::Query query;
  try {
    query = parser_.parse_query(parsed, flags);
  } catch (const Xapian::QueryParserError& error) {
    throw QueryError("bad_query", "cannot parse the query: " + error.get_msg());
  }
  std::map<std::string, std::vector<std::string>> typed_forms;
  default_analyzer().tokenize(
      text, [&](const Token& token) { typed_forms[fold(token.text)].emplace_back(token.text); });
  // A correction is shown in the visitor's own words, which a rewritten query no longer is.
  if (suggestion) {
    *suggestion = parsed == stripped ? correction(text, typed_forms, visible) : std::nullopt;
  }
  return to_lemmas(query, typed_forms, body_words);
}

namespace {

std::u32string code_points(std::string_view word) {
  std::u32string letters;
  for (Xapian::Utf8Iterator it(word.data(), word.size()); it != Xapian::Utf8Iterator(); ++it) {
    letters.push_back(*it);
  }
  return letters;
}

std::string utf8(const std::u32string& letters) {
  std::string out;
  for (char32_t c : letters) Xapian::Unicode::append_utf8(out, c);
  return out;
}

// Insertions, deletions, substitutions and swaps of two neighbouring letters each count one
// (the optimal string alignment distance, as Xapian's spelling table counts them).
unsigned edit_distance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::vector<unsigned>> d(a.size() + 1, std::vector<unsigned>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<unsigned>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<unsigned>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// How many letters two words end with alike.
size_t common_ending(const std::u32string& a, const std::u32string& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[a.size() - 1 - n] == b[b.size() - 1 - n]) ++n;
  return n;
}

bool is_upper(char32_t c) {
  return Xapian::Unicode::get_category(c) == Xapian::Unicode::UPPERCASE_LETTER;
}

// `word` in the visitor's capitals: all of it when the typed word was all capitals, else its
// first letter when the typed word's was.
std::string in_case_of(std::string_view typed, const std::string& word) {
  const std::u32string letters = code_points(typed);
  if (letters.empty() || !is_upper(letters.front())) return word;
  const bool all = letters.size() > 1 && std::all_of(letters.begin(), letters.end(), is_upper);
  std::u32string shown = code_points(word);
  for (size_t i = 0; i < shown.size() && (all || i == 0); ++i) {
    shown[i] = Xapian::Unicode::toupper(shown[i]);
  }
  return utf8(shown);
}

bool has_digit(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

// The text with each word the archive does not know corrected (corrected_word), everything else
// byte for byte as typed; nullopt when no word was corrected. Field names, filter values (but
// title:'s words), operators and wildcards are left alone.
std::optional<std::string> QueryRewriter::correction(const std::string& text,
                                                     const TypedForms& typed,
                                                     const TermVisible& visible) const {
  std::string shown;
  size_t copied = 0;
  std::string field;  // the field name just before the current word, folded
  size_t field_end = std::string::npos;
  default_analyzer().tokenize(text, [&](const Token& token) {
    if (token.end < text.size() && text[token.end] == ':') {
      field = fold(token.text);
      field_end = token.end;
      return;
    }
    const bool field_value = field_end != std::string::npos && token.begin == field_end + 1;
    const bool wildcard = token.end < text.size() && text[token.end] == '*';
    if ((field_value && field != "title") || wildcard || is_operator(token.text)) return;
    const std::string folded = fold(token.text);
    if (!unknown_word(token.text, folded, typed, visible)) return;
    const std::optional<std::string> better = corrected_word(folded, typed, visible);
    if (!better) return;
    shown.append(text, copied, token.begin - copied);
    shown += in_case_of(token.text, *better);
    copied = token.end;
  });
  if (copied == 0) return std::nullopt;
  shown.append(text, copied);
  return shown;
}

// Whether the archive (what the visitor may see of it) does not know a word: neither the word
// (diacritics aside) nor any of its lemma keys occurs in it. A word of the dictionary, with or
// without its diacritics, is never taken for a typo, known to the archive or not. Numbers and
// words shorter than three letters are not corrected.
bool QueryRewriter::unknown_word(std::string_view word, const std::string& folded,
                                 const TypedForms& typed, const TermVisible& visible) const {
  if (code_points(folded).size() < 3 || has_digit(folded) || visible(folded)) return false;
  const Analyzer& analyzer = default_analyzer();
  if (analyzer.in_dictionary(word)) return false;
  // word_keys() is asked for the parsed query's words anyway, and remembers them.
  for (const std::string& key : word_keys(folded, typed)) {
    if (visible(schema::kLemma + key)) return false;
  }
  return analyzer.restore_diacritics(folded).empty();
}

// The correction of an unknown word, as the archive writes it: the spelling table's nearest word
// (at most 2 edits away, 1 for words of four letters or fewer), then, among the forms of that
// word's lemma found in the archive as near to the typed word, the one that ends most like it
// (the dictionary has no grammatical tags to generate the typed word's form from, so its ending
// stands for them: "spolecznj" → "społecznej", not the commoner "społeczna"), then the commonest.
std::optional<std::string> QueryRewriter::corrected_word(const std::string& folded,
                                                         const TypedForms& typed,
                                                         const TermVisible& visible) const {
  // How many terms next to the nearest word are looked at for other forms of its lemma.
  constexpr size_t kMostNeighbours = 400;
  const std::u32string letters = code_points(folded);
  const unsigned most_edits = letters.size() <= 4 ? 1 : 2;
  std::string nearest;
  try {
    nearest = db_.get_spelling_suggestion(folded, most_edits);
  } catch (const Xapian::UnimplementedError&) {
    return std::nullopt;  // a database without a spelling table
  }
  if (nearest.empty() || !visible(nearest)) return std::nullopt;
  const std::vector<std::string> lemmas = word_keys(nearest, typed);

  struct Candidate {
    unsigned edits;
    size_t ending;
    Xapian::doccount frequency;
    std::string term;
    bool better_than(const Candidate& other) const {
      if (edits != other.edits) return edits < other.edits;
      if (ending != other.ending) return ending > other.ending;
      if (frequency != other.frequency) return frequency > other.frequency;
      return term < other.term;
    }
  };
  const std::u32string nearest_letters = code_points(nearest);
  Candidate best{edit_distance(letters, nearest_letters), common_ending(letters, nearest_letters),
                 db_.get_termfreq(nearest), nearest};
  // The forms of a Polish word differ in their last letters: its neighbours in the term list.
  const size_t stem =
      std::max<size_t>(3, nearest_letters.size() > 3 ? nearest_letters.size() - 3 : 0);
  const std::string prefix = utf8(nearest_letters.substr(0, stem));
  size_t seen = 0;
  for (auto it = db_.allterms_begin(prefix);
       it != db_.allterms_end(prefix) && seen < kMostNeighbours; ++it, ++seen) {
    const std::string term = *it;
    if (term == nearest) continue;
    const std::u32string term_letters = code_points(term);
    Candidate candidate{edit_distance(letters, term_letters), common_ending(letters, term_letters),
                        it.get_termfreq(), term};
    if (candidate.edits > most_edits || !candidate.better_than(best)) continue;
    const std::vector<std::string> keys = word_keys(term, typed);
    const bool same_lemma = std::any_of(keys.begin(), keys.end(), [&](const std::string& key) {
      return std::find(lemmas.begin(), lemmas.end(), key) != lemmas.end();
    });
    if (same_lemma && visible(term)) best = std::move(candidate);
  }
  return written_form(best.term, visible).value_or(best.term);
}

// The commonest exact form of a folded word in the archive ("spolecznej" → "społecznej").
std::optional<std::string> QueryRewriter::written_form(const std::string& folded,
                                                       const TermVisible& visible) const {
  const std::string prefix = schema::exact_form_term(folded, "");
  std::optional<std::string> best;
  Xapian::doccount best_count = 0;
  for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
    if (it.get_termfreq() > best_count && visible(*it)) {
      best_count = it.get_termfreq();
      best = (*it).substr(prefix.size());
    }
  }
  return best;
}

// The parser leaves words as typed (folded); each becomes the synonym set of
// its lemma keys, so every inflected form matches, in phrases too.
Xapian::Query QueryRewriter::to_lemmas(
    const Xapian::Query& query, const std::map<std::string, std::vector<std::string>>& typed_forms,
    WordTerms* body_words, bool in_phrase) const {
  Xapian::Query::op type = query.get_type();
  if (type == Xapian::Query::LEAF_TERM) {
    const std::string term = *query.get_terms_begin();
    size_t prefix_length = 0;
    while (prefix_length < term.size() && term[prefix_length] >= 'A' &&
           term[prefix_length] <= 'Z') {
      ++prefix_length;
    }
    std::string prefix = term.substr(0, prefix_length);
    if (placeholders_) {  // an expanded span (expanded_query)
      auto placeholder = placeholders_->find(term.substr(prefix_length));
      if (placeholder != placeholders_->end()) return placeholder->second;
    }
    if (!prefix.empty() && prefix != schema::kTitle) return query;  // a boolean filter
    std::vector<Xapian::Query> keys;
    std::vector<std::string> terms;
    for (const std::string& key : word_keys(term.substr(prefix_length), typed_forms)) {
      terms.push_back(schema::kLemma + prefix + key);
      keys.emplace_back(terms.back());
    }
    if (prefix.empty() && body_words) body_words->push_back(std::move(terms));
    // Xapian 1.4 allows OR, not SYNONYM, inside phrases.
    return Xapian::Query(in_phrase ? Xapian::Query::OP_OR : Xapian::Query::OP_SYNONYM, keys.begin(),
                         keys.end());
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
std::vector<std::string> QueryRewriter::word_keys(
    const std::string& folded, const std::map<std::string, std::vector<std::string>>& typed) const {
  auto memo = keys_memo_.find(folded);
  if (memo != keys_memo_.end()) return memo->second;
  const Analyzer& analyzer = default_analyzer();
  std::vector<std::string> forms{folded};
  if (auto it = typed.find(folded); it != typed.end()) {
    forms.insert(forms.end(), it->second.begin(), it->second.end());
  }
  const std::string indexed = schema::exact_form_term(folded, "");
  size_t seen = 0;
  for (auto it = db_.allterms_begin(indexed); it != db_.allterms_end(indexed) && seen < 32;
       ++it, ++seen) {
    forms.push_back((*it).substr(indexed.size()));
  }
  bool known = false;
  for (const std::string& form : forms) known = known || analyzer.in_dictionary(form);
  if (!known) {
    for (std::string& form : analyzer.restore_diacritics(folded)) forms.push_back(std::move(form));
  }
  std::vector<std::string> keys;
  for (const std::string& form : forms) {
    for (const std::string& key : analyzer.lemmas(form)) {
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    }
  }
  keys_memo_.emplace(folded, keys);
  return keys;
}

// The query of a text with expanded spans: each span becomes the query of its own words (as
// parsed alone) OR its entry's other forms, each a phrase of lemma keys weighted below the
// typed form. The rest of the text is parsed as usual, a placeholder term standing for each
// span until to_lemmas() puts the span's query in its place.
Xapian::Query QueryRewriter::expanded_query(
    const std::string& text, const std::vector<SynonymMatch>& matches,
    const std::map<std::string, std::vector<std::string>>& typed_forms, WordTerms* body_words,
    std::vector<Expansion>* expanded) {
  // The weight of another form's words relative to the typed form's: documents with the typed
  // form rank first when otherwise equal (docs/search-quality.md).
  constexpr double kAlternativeWeight = 0.6;
  const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                         Xapian::QueryParser::FLAG_PURE_NOT;
  std::map<std::string, std::vector<std::string>> typed = typed_forms;
  for (const SynonymMatch& match : matches) {
    for (const SynonymForm* form : match.alternatives) {
      for (size_t j = 0; j < form->words.size(); ++j) {
        typed[form->folded[j]].push_back(form->words[j]);
      }
    }
  }
  const bool names_indexed = db_.get_metadata(schema::kNamesKey) == Synonyms::names_fingerprint();
  std::string rewritten;
  std::map<std::string, Xapian::Query> placeholders;
  size_t copied = 0;
  for (const SynonymMatch& match : matches) {
    // Out of the parser's way: a hyphen joining the span to a word would make a phrase of both.
    rewritten.append(text, copied, match.begin - copied);
    if (!rewritten.empty() && rewritten.back() == '-') rewritten.back() = ' ';
    const std::string placeholder = "zzsynonym" + std::to_string(placeholders.size()) + "zz";
    rewritten += " " + placeholder + " ";
    copied = match.end;
    if (copied < text.size() && text[copied] == '-') ++copied;

    std::string span = text.substr(match.begin, match.end - match.begin);
    Expansion shown{span, {}};
    std::replace(span.begin(), span.end(), '-', ' ');
    // The index's name terms stand for every form of the list's entries (schema::kName).
    std::vector<Xapian::Query> name_queries;
    if (names_indexed) {
      for (const std::string& term : match.name_terms) name_queries.emplace_back(term);
    }
    const Xapian::Query names(Xapian::Query::OP_OR, name_queries.begin(), name_queries.end());
    std::vector<Xapian::Query> parts;
    try {
      Xapian::Query as_typed =
          to_lemmas(parser_.parse_query(strip_diacritics(span), flags), typed, body_words);
      if (match.word_count > 1 && !name_queries.empty()) {
        // A name typed in full ranks the documents that name it above those holding its words
        // apart: as heavy as a word per word of the name, as a phrase of them would weigh.
        as_typed = Xapian::Query(Xapian::Query::OP_AND_MAYBE, as_typed,
                                 Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, names,
                                               static_cast<double>(match.word_count)));
      } else if (match.word_count > 1) {
        std::vector<Xapian::Query> words;
        default_analyzer().tokenize(span, [&](const Token& token) {
          std::vector<Xapian::Query> keys;
          for (const std::string& key : word_keys(fold(token.text), typed)) {
            keys.emplace_back(schema::kLemma + key);
          }
          words.emplace_back(Xapian::Query::OP_OR, keys.begin(), keys.end());
        });
        as_typed = Xapian::Query(Xapian::Query::OP_AND_MAYBE, as_typed,
                                 Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                                               static_cast<Xapian::termcount>(words.size())));
      }
      parts.push_back(std::move(as_typed));
    } catch (const Xapian::QueryParserError&) {
      // The span's own words as plain text cannot fail to parse; its other forms still count.
    }
    if (!name_queries.empty()) {
      parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, names, kAlternativeWeight);
    }
    for (const SynonymForm* form : match.alternatives) {
      shown.to.push_back(form->text);
      // A form found by its name term needs no query of its own; its words still mark
      // snippets and find places.
      const bool by_name = names_indexed && !form->name_term.empty();
      std::vector<Xapian::Query> words;        // each word: the OR of its keys (for phrases)
      std::vector<Xapian::Query> word_sets;    // each word: the synonym set of its keys
      std::vector<Xapian::termcount> weights;  // how often the word's keys occur in the archive
      const size_t count = form->words.size();
      for (size_t j = 0; j < count; ++j) {
        std::vector<std::string> keys = form->keys[j];
        for (std::string& key : word_keys(form->folded[j], typed)) {
          if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
        }
        std::vector<std::string> terms;
        for (const std::string& key : keys) terms.push_back(schema::kLemma + key);
        if (body_words) body_words->push_back(terms);
        if (by_name) continue;
        std::vector<Xapian::Query> key_queries;
        Xapian::termcount occurrences = 0;
        for (const std::string& term : terms) {
          key_queries.emplace_back(term);
          occurrences += db_.get_collection_freq(term);
        }
        words.emplace_back(Xapian::Query::OP_OR, key_queries.begin(), key_queries.end());
        word_sets.emplace_back(Xapian::Query::OP_SYNONYM, key_queries.begin(), key_queries.end());
        weights.push_back(occurrences);
      }
      if (by_name) continue;
      // A phrase of every word costs reading every word's positions in every candidate: the
      // words of names are common ("pomocy", "społecznej"), and checking them made an expanded
      // query several times slower (docs/performance.md). So only the two neighbouring words
      // that occur least are a phrase ("Powiatowe Centrum"), the others must only be there.
      Xapian::Query alternative = word_sets.front();
      if (count == 2) {
        alternative = Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(), 2);
      } else if (count > 2) {
        size_t pair = 0;
        for (size_t j = 1; j + 1 < count; ++j) {
          if (weights[j] + weights[j + 1] < weights[pair] + weights[pair + 1]) pair = j;
        }
        std::vector<Xapian::Query> all{Xapian::Query(Xapian::Query::OP_PHRASE, words.begin() + pair,
                                                     words.begin() + pair + 2, 2)};
        for (size_t j = 0; j < count; ++j) {
          if (j != pair && j != pair + 1) all.push_back(word_sets[j]);
        }
        alternative = Xapian::Query(Xapian::Query::OP_AND, all.begin(), all.end());
      }
      parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, alternative,
                         kAlternativeWeight / static_cast<double>(count));
    }
    placeholders.emplace(placeholder,
                         Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end()));
    if (expanded) expanded->push_back(std::move(shown));
  }
  rewritten.append(text, copied);
  Xapian::Query query;
  try {
    query = parser_.parse_query(strip_diacritics(rewritten), flags);
  } catch (const Xapian::QueryParserError& error) {
    throw QueryError("bad_query", "cannot parse the query: " + error.get_msg());
  }
  placeholders_ = &placeholders;
  Xapian::Query lemmas;
  try {
    lemmas = to_lemmas(query, typed, body_words);
  } catch (...) {
    placeholders_ = nullptr;
    throw;
  }
  placeholders_ = nullptr;
  return lemmas;
}

QueryWords QueryRewriter::query_words(const std::string& text, const Xapian::Query& query,
                                      WordTerms body_words) const {
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

Xapian::Query QueryRewriter::exact_form_boost(const std::string& text) const {
  std::vector<Xapian::Query> boosts;
  default_analyzer().tokenize(text, [&](const Token& token) {
    std::string folded = fold(token.text);
    boosts.emplace_back(folded);
    boosts.emplace_back(schema::exact_form_term(folded, lower(token.text)));
  });
  return Xapian::Query(Xapian::Query::OP_OR, boosts.begin(), boosts.end());
}

}  // namespace mediateka
