// Text analysis shared by indexing, query parsing, snippets and highlighting,
// so that the three always agree on what a word is and what it matches.
//
// A word becomes:
//   - its exact form: lower case, diacritics kept ("społecznej");
//   - its search key: lower case, every diacritic folded ("spolecznej");
//   - its lemma keys: folded dictionary lemmas ("spoleczny"), see docs/search-quality.md.
// Thread safety: const methods may be called from several threads at once.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mediateka {

// Lower case with every diacritic removed; ł → l, ß → ss. UTF-8 in and out.
std::string fold(std::string_view text);
// Whether `text` begins with `prefix` (bytes compared).
inline bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}
// Case kept, every diacritic removed: "Łódź" → "Lodz".
std::string strip_diacritics(std::string_view text);
// Lower case, diacritics kept.
std::string lower(std::string_view text);

// Where a word stands in a text: byte offsets of its first byte and one past its last.
struct WordSpan {
  size_t begin = 0;
  size_t end = 0;
};

struct Token {
  std::string_view text;  // the word as written in the input
  size_t begin = 0;       // byte offsets in the input
  size_t end = 0;
  unsigned position = 0;  // ordinal of the word, counting from 0
};

class Analyzer {
 public:
  // Uses the Polish dictionary (hunspell-pl's pl_PL.aff and .dic) in `dictionary_folder`, read at
  // the first word looked up in it. Throws std::runtime_error when it is missing, unless
  // lemmatisation_off().
  explicit Analyzer(const std::string& dictionary_folder = "/usr/share/hunspell");
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Calls `sink` for each word of `text`, in order, for at most `max_words` words.
  void tokenize(std::string_view text, const std::function<void(const Token&)>& sink,
                size_t max_words = static_cast<size_t>(-1)) const;

  // Folded lemma keys of a word, at least one. Input is a single word as tokenize()
  // yields it, diacritics as written. Every dictionary lemma is a key (ambiguous
  // words keep all); a negated word keeps its "nie"; a word the dictionary lacks
  // gets its folded form with one common ending stripped. The reference stays
  // valid until the next call on the same thread.
  const std::vector<std::string>& lemmas(std::string_view word) const;

  // Dictionary words that fold to `folded` ("zrodel" → "źródeł"), trying at most
  // `max_candidates` spellings. For query words typed without diacritics.
  std::vector<std::string> restore_diacritics(std::string_view folded,
                                              size_t max_candidates = 512) const;
  bool in_dictionary(std::string_view word) const;
  bool has_dictionary() const;
  // Whether MEDIATEKA_NO_DICTIONARY=1 asks to run without the dictionary (no lemmas).
  static bool lemmatisation_off();

 private:
  struct Impl;
  Impl* impl_;
};

// The process-wide analyzer (the dictionary is loaded once, on first use). Throws as the
// constructor does, on every call, while the dictionary is missing.
const Analyzer& default_analyzer();
// For a program's start-up, so that a missing dictionary stops it at once with a clear
// message rather than costing recall silently: loads the default analyzer (throwing
// std::runtime_error as above) and returns the warning to log when it runs without the
// dictionary on purpose, else "".
std::string load_default_analyzer();

}  // namespace mediateka
