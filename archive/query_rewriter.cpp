#include "query_rewriter.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "analyzer.h"
#include "schema.h"
#include "searcher.h"

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
  unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                   Xapian::QueryParser::FLAG_PURE_NOT;
  // Diacritics are stripped before parsing, so that typed and folded forms meet
  // in the same terms; the exact forms are ranked separately (exact_form_boost).
  const std::string stripped = strip_diacritics(text);
  const std::string parsed = exclusions_as_not(stripped);
  // Xapian's spelling correction looks every word up in the spelling table, so it runs
  // only for a query that can get a suggestion at all; and a correction is shown in the
  // visitor's own words, which a rewritten query no longer is.
  const bool correct = suggestion && parsed == stripped && has_unknown_word(text, visible);
  if (correct) flags |= Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
  Xapian::Query query;
  try {
    query = parser_.parse_query(parsed, flags);
  } catch (const Xapian::QueryParserError& error) {
    throw QueryError("bad_query", "cannot parse the query: " + error.get_msg());
  }
  if (suggestion) {
    *suggestion =
        correct ? correction(text, parser_.get_corrected_query_string(), visible) : std::nullopt;
  }
  std::map<std::string, std::vector<std::string>> typed_forms;
  default_analyzer().tokenize(
      text, [&](const Token& token) { typed_forms[fold(token.text)].emplace_back(token.text); });
  return to_lemmas(query, typed_forms, body_words);
}

// Whether some word of the query is neither in the archive nor in the dictionary: only then
// is a correction offered (such a word is not misspelt, however close it is to a commoner one).
bool QueryRewriter::has_unknown_word(const std::string& text, const TermVisible& visible) const {
  const Analyzer& analyzer = default_analyzer();
  bool unknown_word = false;
  analyzer.tokenize(text, [&](const Token& token) {
    std::string folded = fold(token.text);
    bool field_name = token.end < text.size() && text[token.end] == ':';
    if (field_name || unknown_word || is_operator(token.text) || visible(folded)) return;
    unknown_word =
        !analyzer.in_dictionary(token.text) && analyzer.restore_diacritics(folded).empty();
  });
  return unknown_word;
}

// Xapian's spelling correction of a query with an unknown word, with each corrected word in
// its commonest written form.
std::optional<std::string> QueryRewriter::correction(const std::string& text,
                                                     const std::string& corrected,
                                                     const TermVisible& visible) const {
  if (corrected.empty()) return std::nullopt;
  std::string shown;
  size_t copied = 0;
  default_analyzer().tokenize(corrected, [&](const Token& token) {
    shown.append(corrected, copied, token.begin - copied);
    shown += written_form(fold(token.text), visible).value_or(std::string(token.text));
    copied = token.end;
  });
  shown.append(corrected, copied);
  if (fold(shown) == fold(text)) return std::nullopt;
  return shown;
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
    std::vector<Xapian::Query> parts;
    try {
      Xapian::Query as_typed =
          to_lemmas(parser_.parse_query(strip_diacritics(span), flags), typed, body_words);
      if (match.word_count > 1) {
        // A name typed in full ranks the documents that hold it as a phrase above those
        // holding its words apart.
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
    for (const SynonymForm* form : match.alternatives) {
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
        std::vector<Xapian::Query> key_queries;
        Xapian::termcount occurrences = 0;
        for (const std::string& key : keys) {
          terms.push_back(schema::kLemma + key);
          key_queries.emplace_back(terms.back());
          occurrences += db_.get_collection_freq(terms.back());
        }
        if (body_words) body_words->push_back(std::move(terms));
        words.emplace_back(Xapian::Query::OP_OR, key_queries.begin(), key_queries.end());
        word_sets.emplace_back(Xapian::Query::OP_SYNONYM, key_queries.begin(), key_queries.end());
        weights.push_back(occurrences);
      }
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
      shown.to.push_back(form->text);
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
