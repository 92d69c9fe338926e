// Query rewriting for the Searcher (internal to archive/): a visitor's text parsed into lemma
// terms with its filters, the spelling checked, and what the text looks for, to find places
// and mark words. Not thread-safe, like the database it reads.
#pragma once

#include <xapian.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "archive/text/synonyms.h"
#include "archive/text/vocabulary.h"

namespace mediateka {

// The words of a query's text, each the lemma-key terms (Z…) it matches in body text.
using WordTerms = std::vector<std::vector<std::string>>;

// What the text part of a query looks for, to find places and mark words.
struct QueryWords {
  std::set<std::string> lemma_keys;          // from Z terms
  std::set<std::string> folded_forms;        // folded words as typed
  std::vector<std::string> folded_prefixes;  // from trailing-* wildcards
  WordTerms body_words;                      // words that can match inside places
};

class VocabularyFieldProcessor;

class QueryRewriter {
 public:
  // `db` and `vocabulary` must outlive the rewriter.
  QueryRewriter(const Xapian::Database& db, const Vocabulary& vocabulary);
  ~QueryRewriter();
  QueryRewriter(const QueryRewriter&) = delete;
  QueryRewriter& operator=(const QueryRewriter&) = delete;

  // The query of a visitor's text, every word the synonym set of its lemma keys. Throws
  // QueryError("bad_query") for text the parser rejects. `suggestion`, when given, receives a
  // spelling correction (or nullopt): the text with each word the archive does not know
  // replaced by the archive's nearest word in the form closest to the typed one, everything
  // else as typed (whether it finds enough to be offered is the Searcher's to check);
  // `body_words` the lemma-key terms of each word that matches body text. `visible` says
  // whether a term is in an item the visitor may see: words found only in restricted items
  // count as unknown, and are never a correction's form.
  // With `synonyms`, a span of the text that names an entry (an acronym, a full name) also
  // matches the entry's other forms, each a phrase of lemmas ranked below the form typed;
  // `expanded` then receives what was added (no spelling correction is offered for such a
  // query). A text that names no entry is parsed exactly as without `synonyms`.
  using TermVisible = std::function<bool(const std::string& term)>;
  Xapian::Query parse(const std::string& text, const TermVisible& visible,
                      std::optional<std::string>* suggestion, WordTerms* body_words,
                      const Synonyms* synonyms = nullptr,
                      std::vector<Expansion>* expanded = nullptr);

  // What `query`, parsed from `text`, looks for.
  QueryWords query_words(const std::string& text, const Xapian::Query& query,
                         WordTerms body_words) const;

  // Ranks the same form as typed above the same letters without diacritics, and
  // both above other forms of the word: they add weight without changing what matches.
  Xapian::Query exact_form_boost(const std::string& text) const;

 private:
  using TypedForms = std::map<std::string, std::vector<std::string>>;
  std::optional<std::string> correction(const std::string& text, const TypedForms& typed,
                                        const TermVisible& visible) const;
  bool unknown_word(std::string_view word, const std::string& folded, const TypedForms& typed,
                    const TermVisible& visible) const;
  std::optional<std::string> corrected_word(const std::string& folded, const TypedForms& typed,
                                            const TermVisible& visible) const;
  std::optional<std::string> written_form(const std::string& folded,
                                          const TermVisible& visible) const;
  Xapian::Query to_lemmas(const Xapian::Query& query,
                          const std::map<std::string, std::vector<std::string>>& typed_forms,
                          WordTerms* body_words, bool in_phrase = false) const;
  std::vector<std::string> word_keys(
      const std::string& folded,
      const std::map<std::string, std::vector<std::string>>& typed) const;
  Xapian::Query expanded_query(const std::string& text, const std::vector<SynonymMatch>& matches,
                               const std::map<std::string, std::vector<std::string>>& typed_forms,
                               WordTerms* body_words, std::vector<Expansion>* expanded);

  const Xapian::Database& db_;
  Xapian::QueryParser parser_;
  std::unique_ptr<VocabularyFieldProcessor> campaign_processor_;
  std::unique_ptr<VocabularyFieldProcessor> project_processor_;
  std::unique_ptr<Xapian::NumberRangeProcessor> year_processor_;
  // During parse(): the lemma keys of each folded word (as word_keys() gives them for this
  // text), and the queries that stand for expanded spans of it (by their placeholder term).
  mutable std::unordered_map<std::string, std::vector<std::string>> keys_memo_;
  const std::map<std::string, Xapian::Query>* placeholders_ = nullptr;
};

}  // namespace mediateka
