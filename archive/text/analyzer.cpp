#include "archive/text/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

#include "archive/text/polish_dictionary.h"

namespace mediateka {
namespace {

// Folding table for U+0000..U+024F (Basic Latin to Latin Extended-B), where
// every letter of Polish and its neighbours lives, used without ICU on the hot path.
constexpr char32_t kFoldTableSize = 0x250;

// What ICU's Latin-ASCII transliteration makes of U+0080..U+024F (nullptr: the character
// itself), written out because making that transliterator costs ~20 ms of CPU at every start
// of a program (its registry), more than a whole no-change re-import should.
// tests/indexer_librarian_test.cpp (StartUpCost) checks this table against ICU's.
constexpr const char* kLatinAscii[kFoldTableSize - 0x80] = {nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            " ",
                                                            "!",
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            "(C)",
                                                            nullptr,
                                                            "<<",
                                                            nullptr,
                                                            "-",
                                                            "(R)",
                                                            nullptr,
                                                            nullptr,
                                                            "+/-",
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            ">>",
                                                            " 1/4",
                                                            " 1/2",
                                                            " 3/4",
                                                            "?",
                                                            "A",
                                                            "A",
                                                            "A",
                                                            "A",
                                                            "A",
                                                            "A",
                                                            "AE",
                                                            "C",
                                                            "E",
                                                            "E",
                                                            "E",
                                                            "E",
                                                            "I",
                                                            "I",
                                                            "I",
                                                            "I",
                                                            "D",
                                                            "N",
                                                            "O",
                                                            "O",
                                                            "O",
                                                            "O",
                                                            "O",
                                                            "*",
                                                            "O",
                                                            "U",
                                                            "U",
                                                            "U",
                                                            "U",
                                                            "Y",
                                                            "TH",
                                                            "ss",
                                                            "a",
                                                            "a",
                                                            "a",
                                                            "a",
                                                            "a",
                                                            "a",
                                                            "ae",
                                                            "c",
                                                            "e",
                                                            "e",
                                                            "e",
                                                            "e",
                                                            "i",
                                                            "i",
                                                            "i",
                                                            "i",
                                                            "d",
                                                            "n",
                                                            "o",
                                                            "o",
                                                            "o",
                                                            "o",
                                                            "o",
                                                            "/",
                                                            "o",
                                                            "u",
                                                            "u",
                                                            "u",
                                                            "u",
                                                            "y",
                                                            "th",
                                                            "y",
                                                            "A",
                                                            "a",
                                                            "A",
                                                            "a",
                                                            "A",
                                                            "a",
                                                            "C",
                                                            "c",
                                                            "C",
                                                            "c",
                                                            "C",
                                                            "c",
                                                            "C",
                                                            "c",
                                                            "D",
                                                            "d",
                                                            "D",
                                                            "d",
                                                            "E",
                                                            "e",
                                                            "E",
                                                            "e",
                                                            "E",
                                                            "e",
                                                            "E",
                                                            "e",
                                                            "E",
                                                            "e",
                                                            "G",
                                                            "g",
                                                            "G",
                                                            "g",
                                                            "G",
                                                            "g",
                                                            "G",
                                                            "g",
                                                            "H",
                                                            "h",
                                                            "H",
                                                            "h",
                                                            "I",
                                                            "i",
                                                            "I",
                                                            "i",
                                                            "I",
                                                            "i",
                                                            "I",
                                                            "i",
                                                            "I",
                                                            "i",
                                                            "IJ",
                                                            "ij",
                                                            "J",
                                                            "j",
                                                            "K",
                                                            "k",
                                                            "q",
                                                            "L",
                                                            "l",
                                                            "L",
                                                            "l",
                                                            "L",
                                                            "l",
                                                            "L",
                                                            "l",
                                                            "L",
                                                            "l",
                                                            "N",
                                                            "n",
                                                            "N",
                                                            "n",
                                                            "N",
                                                            "n",
                                                            "'n",
                                                            "N",
                                                            "n",
                                                            "O",
                                                            "o",
                                                            "O",
                                                            "o",
                                                            "O",
                                                            "o",
                                                            "OE",
                                                            "oe",
                                                            "R",
                                                            "r",
                                                            "R",
                                                            "r",
                                                            "R",
                                                            "r",
                                                            "S",
                                                            "s",
                                                            "S",
                                                            "s",
                                                            "S",
                                                            "s",
                                                            "S",
                                                            "s",
                                                            "T",
                                                            "t",
                                                            "T",
                                                            "t",
                                                            "T",
                                                            "t",
                                                            "U",
                                                            "u",
                                                            "U",
                                                            "u",
                                                            "U",
                                                            "u",
                                                            "U",
                                                            "u",
                                                            "U",
                                                            "u",
                                                            "U",
                                                            "u",
                                                            "W",
                                                            "w",
                                                            "Y",
                                                            "y",
                                                            "Y",
                                                            "Z",
                                                            "z",
                                                            "Z",
                                                            "z",
                                                            "Z",
                                                            "z",
                                                            "s",
                                                            "b",
                                                            "B",
                                                            "B",
                                                            "b",
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            "C",
                                                            "c",
                                                            "D",
                                                            "D",
                                                            "D",
                                                            "d",
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            "E",
                                                            "F",
                                                            "f",
                                                            "G",
                                                            nullptr,
                                                            "hv",
                                                            "I",
                                                            "I",
                                                            "K",
                                                            "k",
                                                            "l",
                                                            nullptr,
                                                            nullptr,
                                                            "N",
                                                            "n",
                                                            nullptr,
                                                            "O",
                                                            "o",
                                                            "OI",
                                                            "oi",
                                                            "P",
                                                            "p",
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            "t",
                                                            "T",
                                                            "t",
                                                            "T",
                                                            "U",
                                                            "u",
                                                            nullptr,
                                                            "V",
                                                            "Y",
                                                            "y",
                                                            "Z",
                                                            "z",
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            nullptr,
                                                            "DZ",
                                                            "Dz",
                                                            "dz",
                                                            "LJ",
                                                            "Lj",
                                                            "lj",
                                                            "NJ",
                                                            "Nj",
                                                            "nj",
                                                            "A",
                                                            "a",
                                                            "I",
                                                            "i",
                                                            "O",
                                                            "o",
                                                            "U",
                                                            "u",
                                                            "U",
                                                            "u",
                                                            "U",
                                                            "u",
                                                            "U",
                                                            "u",
                                                            "U",
                                                            "u",
                                                            nullptr,
                                                            "A",
                                                            "a",
                                                            "A",
                                                            "a",
                                                            "AE",
                                                            "ae",
                                                            "G",
                                                            "g",
                                                            "G",
                                                            "g",
                                                            "K",
                                                            "k",
                                                            "O",
                                                            "o",
                                                            "O",
                                                            "o",
                                                            "\xc6"
                                                            "\xb7"
                                                            "",
                                                            "\xca"
                                                            "\x92"
                                                            "",
                                                            "j",
                                                            "DZ",
                                                            "Dz",
                                                            "dz",
                                                            "G",
                                                            "g",
                                                            nullptr,
                                                            nullptr,
                                                            "N",
                                                            "n",
                                                            "A",
                                                            "a",
                                                            "AE",
                                                            "ae",
                                                            "O",
                                                            "o",
                                                            "A",
                                                            "a",
                                                            "A",
                                                            "a",
                                                            "E",
                                                            "e",
                                                            "E",
                                                            "e",
                                                            "I",
                                                            "i",
                                                            "I",
                                                            "i",
                                                            "O",
                                                            "o",
                                                            "O",
                                                            "o",
                                                            "R",
                                                            "r",
                                                            "R",
                                                            "r",
                                                            "U",
                                                            "u",
                                                            "U",
                                                            "u",
                                                            "S",
                                                            "s",
                                                            "T",
                                                            "t",
                                                            nullptr,
                                                            nullptr,
                                                            "H",
                                                            "h",
                                                            nullptr,
                                                            "d",
                                                            nullptr,
                                                            nullptr,
                                                            "Z",
                                                            "z",
                                                            "A",
                                                            "a",
                                                            "E",
                                                            "e",
                                                            "O",
                                                            "o",
                                                            "O",
                                                            "o",
                                                            "O",
                                                            "o",
                                                            "O",
                                                            "o",
                                                            "Y",
                                                            "y",
                                                            "l",
                                                            "n",
                                                            "t",
                                                            "j",
                                                            "db",
                                                            "qp",
                                                            "A",
                                                            "C",
                                                            "c",
                                                            "L",
                                                            "T",
                                                            "s",
                                                            "z",
                                                            nullptr,
                                                            nullptr,
                                                            "B",
                                                            "U",
                                                            nullptr,
                                                            "E",
                                                            "e",
                                                            "J",
                                                            "j",
                                                            nullptr,
                                                            nullptr,
                                                            "R",
                                                            "r",
                                                            "Y",
                                                            "y"};

class FoldTable {
 public:
  FoldTable() {
    for (char32_t c = 0; c < kFoldTableSize; ++c) {
      std::string stripped;
      if (c < 0x80 || !kLatinAscii[c - 0x80]) {
        append_utf8(stripped, c);
      } else {
        stripped = kLatinAscii[c - 0x80];
      }
      stripped_[c] = stripped;
      std::string folded;
      for (char ch : stripped) {
        folded.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch);
      }
      folded_[c] = folded;
    }
  }
  const std::string& folded(char32_t c) const { return folded_[c]; }
  const std::string& stripped(char32_t c) const { return stripped_[c]; }

  static void append_utf8(std::string& out, char32_t c) { Xapian::Unicode::append_utf8(out, c); }

 private:
  std::array<std::string, kFoldTableSize> folded_;
  std::array<std::string, kFoldTableSize> stripped_;
};

const FoldTable& fold_table() {
  static const FoldTable table;
  return table;
}

template <typename Map>
std::string map_codepoints(std::string_view text, bool lower_ascii, Map map) {
  std::string out;
  out.reserve(text.size());
  for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
    char32_t c = *it;
    if (c < 0x80) {
      bool upper = c >= 'A' && c <= 'Z';
      out.push_back(static_cast<char>(upper && lower_ascii ? c + 32 : c));
    } else {
      map(out, c);
    }
  }
  return out;
}

}  // namespace

std::string fold(std::string_view text) {
  const FoldTable& table = fold_table();
  return map_codepoints(text, true, [&](std::string& out, char32_t c) {
    if (c < kFoldTableSize) {
      out += table.folded(c);
    } else {
      FoldTable::append_utf8(out, Xapian::Unicode::tolower(c));
    }
  });
}

std::string strip_diacritics(std::string_view text) {
  const FoldTable& table = fold_table();
  return map_codepoints(text, false, [&](std::string& out, char32_t c) {
    if (c < kFoldTableSize) {
      out += table.stripped(c);
    } else {
      FoldTable::append_utf8(out, c);
    }
  });
}

std::string lower(std::string_view text) {
  return map_codepoints(text, true, [](std::string& out, char32_t c) {
    FoldTable::append_utf8(out, Xapian::Unicode::tolower(c));
  });
}

namespace {

bool has_digit(std::string_view word) {
  for (char c : word) {
    if (c >= '0' && c <= '9') return true;
  }
  return false;
}

// For words the dictionary lacks (names, new words): strip one common inflectional
// ending of the folded form, so that "kooperacji" and "kooperacja" meet in "kooperacj".
std::string light_stem(const std::string& folded) {
  static constexpr std::string_view kEndings[] = {
      "owie", "ami", "ach", "ego", "emu", "ymi", "imi", "ych", "ich", "iej", "owi",
      "om",   "ow",  "ej",  "em",  "ie",  "a",   "e",   "i",   "o",   "u",   "y"};
  constexpr size_t kMinStem = 4;
  for (std::string_view ending : kEndings) {
    if (folded.size() >= ending.size() + kMinStem &&
        folded.compare(folded.size() - ending.size(), ending.size(), ending) == 0) {
      return folded.substr(0, folded.size() - ending.size());
    }
  }
  return folded;
}

// hunspell-pl lists some irregular forms as words of their own, unlinked to their
// lemma; the commonest in this archive's subject are linked here (folded forms).
const std::unordered_map<std::string, std::string>& irregular_lemmas() {
  static const std::unordered_map<std::string, std::string> table = {
      {"dzieci", "dziecko"},           {"dzieciom", "dziecko"},      {"dziecmi", "dziecko"},
      {"dzieciach", "dziecko"},        {"bialystok", "bialystok"},   {"bialegostoku", "bialystok"},
      {"bialemustokowi", "bialystok"}, {"bialymstoku", "bialystok"}, {"ludzie", "czlowiek"},
      {"ludzi", "czlowiek"},           {"ludziom", "czlowiek"},      {"ludzmi", "czlowiek"},
      {"ludziach", "czlowiek"},
  };
  return table;
}

}  // namespace

namespace {

// Lemma keys of the words seen so far by any thread, so that threads analysing side by side
// ask the dictionary (slow, and one thread at a time) once per word between them. Answers
// are copied out, so clearing it when full invalidates nothing. An archive's vocabulary grows with
// it, so the cache is bounded well below the dictionary's size.
class SharedLemmaCache {
 public:
  static constexpr size_t kMaxWords = 200000;

  bool find(const std::string& word, std::vector<std::string>& keys) const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    auto found = lemmas_.find(word);
    if (found == lemmas_.end()) return false;
    keys = found->second;
    return true;
  }
  void insert(const std::string& word, const std::vector<std::string>& keys) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    if (lemmas_.size() >= kMaxWords) lemmas_.clear();
    lemmas_.emplace(word, keys);
  }

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::vector<std::string>> lemmas_;
};

}  // namespace

struct Analyzer::Impl {
  std::unique_ptr<icu::BreakIterator> prototype;
  std::mutex prototype_mutex;
  std::unique_ptr<PolishDictionary> dictionary;  // null when hunspell-pl is missing
  SharedLemmaCache shared_lemmas;

  std::vector<std::string> compute_lemmas(std::string_view word) const {
    std::string folded = fold(word);
    if (has_digit(folded) || !dictionary) return {folded};
    std::vector<std::string> keys;
    for (const std::string& stem : dictionary->stems(lower(word))) {
      std::string key = fold(stem);
      // Hunspell often offers the positive word for a negated one
      // (niepełnosprawnych → pełnosprawny): keep the negation, or meaning is lost.
      if (starts_with(folded, "nie") && !starts_with(key, "nie")) key = "nie" + key;
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
    }
    if (auto irregular = irregular_lemmas().find(folded); irregular != irregular_lemmas().end()) {
      if (std::find(keys.begin(), keys.end(), irregular->second) == keys.end()) {
        keys.push_back(irregular->second);
      }
    }
    if (keys.empty()) keys.push_back(light_stem(folded));
    return keys;
  }

  std::vector<std::string> restore_uncached(std::string_view folded, size_t max_candidates) const;

  std::unique_ptr<icu::BreakIterator> word_breaker() {
    std::lock_guard<std::mutex> lock(prototype_mutex);
    return std::unique_ptr<icu::BreakIterator>(prototype->clone());
  }
};

Analyzer::Analyzer(const std::string& dictionary_folder) : impl_(new Impl) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->prototype.reset(icu::BreakIterator::createWordInstance(icu::Locale("pl"), status));
  if (U_FAILURE(status)) {
    delete impl_;
    throw std::runtime_error("ICU word break iterator unavailable");
  }
  fold_table();
  // MEDIATEKA_NO_DICTIONARY=1 turns lemmatisation off, for the benchmark that measures what it
  // costs (docs/performance.md): the one way to run without the dictionary, and an explicit one.
  if (lemmatisation_off()) return;
  // Without the dictionary every word would be its own light-stemmed lemma: search would still
  // answer, quietly finding fewer inflected forms, and an index written so would stay poorer
  // after the package came back. Hence an error, not a fallback.
  try {
    impl_->dictionary = std::make_unique<PolishDictionary>(dictionary_folder);
  } catch (const std::exception& error) {
    delete impl_;
    throw std::runtime_error(std::string(error.what()) +
                             "; without it Polish words are not lemmatised (set "
                             "MEDIATEKA_NO_DICTIONARY=1 to run so on purpose)");
  }
}

bool Analyzer::lemmatisation_off() {
  const char* no_dictionary = std::getenv("MEDIATEKA_NO_DICTIONARY");
  return no_dictionary && std::string(no_dictionary) == "1";
}

Analyzer::~Analyzer() { delete impl_; }

void Analyzer::tokenize(std::string_view text, const std::function<void(const Token&)>& sink,
                        size_t max_words) const {
  if (text.empty() || max_words == 0) return;
  // A break iterator per thread: ICU iterators are not thread-safe, cloning is cheap.
  thread_local std::unique_ptr<icu::BreakIterator> breaker;
  if (!breaker) breaker = impl_->word_breaker();

  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return;
  // Detaches the iterator from the text and closes it, also when `sink` throws (a search's sink
  // may meet a shard that stopped answering).
  struct OpenText {
    icu::BreakIterator& breaker;
    UText* text;
    ~OpenText() {
      breaker.setText(icu::UnicodeString());
      utext_close(text);
    }
  } open_text{*breaker, utext};
  breaker->setText(utext, status);
  Token token;
  int32_t begin = breaker->first();
  for (int32_t end = breaker->next(); end != icu::BreakIterator::DONE;
       begin = end, end = breaker->next()) {
    int32_t rule = breaker->getRuleStatus();
    // Letters, numbers, kana and ideographs are words; spaces and punctuation are not.
    if (rule < UBRK_WORD_NUMBER) continue;
    token.begin = static_cast<size_t>(begin);
    token.end = static_cast<size_t>(end);
    token.text = text.substr(token.begin, token.end - token.begin);
    sink(token);
    if (++token.position >= max_words) break;
  }
}

const std::vector<std::string>& Analyzer::lemmas(std::string_view word) const {
  // Words repeat a lot: a per-thread cache in front of the shared one makes the dictionary a
  // one-time cost per word, and most look-ups lock nothing. It holds the frequent words only: as a
  // copy of the whole shared cache in every thread, the caches grew ~1.4 KB a source imported
  // (heaptrack: 11 MB at 5,000 sources, 33 MB at 20,000).
  constexpr size_t kMaxThreadWords = 20000;
  struct Cache {
    const Impl* owner = nullptr;
    std::unordered_map<std::string, std::vector<std::string>> lemmas;
  };
  thread_local Cache cache;
  if (cache.owner != impl_ || cache.lemmas.size() >= kMaxThreadWords) {
    cache.lemmas.clear();
    cache.owner = impl_;
  }
  std::string key(word);
  auto found = cache.lemmas.find(key);
  if (found != cache.lemmas.end()) return found->second;
  std::vector<std::string> keys;
  if (!impl_->shared_lemmas.find(key, keys)) {
    keys = impl_->compute_lemmas(word);
    impl_->shared_lemmas.insert(key, keys);
  }
  return cache.lemmas.emplace(std::move(key), std::move(keys)).first->second;
}

bool Analyzer::has_dictionary() const { return impl_->dictionary != nullptr; }

namespace {

// A per-thread memo of a dictionary question, bounded like the lemma cache.
template <typename Value>
struct QueryMemo {
  const void* owner = nullptr;
  std::unordered_map<std::string, Value> answers;

  template <typename Compute>
  const Value& get(const void* asker, std::string_view key, Compute compute) {
    constexpr size_t kMaxEntries = 100000;
    if (owner != asker || answers.size() >= kMaxEntries) {
      answers.clear();
      owner = asker;
    }
    std::string text(key);
    auto found = answers.find(text);
    if (found != answers.end()) return found->second;
    return answers.emplace(std::move(text), compute()).first->second;
  }
};

}  // namespace

bool Analyzer::in_dictionary(std::string_view word) const {
  if (!impl_->dictionary) return false;
  thread_local QueryMemo<bool> memo;
  return memo.get(impl_, word, [&] { return impl_->dictionary->knows(lower(word)); });
}

std::vector<std::string> Analyzer::restore_diacritics(std::string_view folded,
                                                      size_t max_candidates) const {
  if (!impl_->dictionary || folded.empty() || folded.size() > 40) return {};
  thread_local QueryMemo<std::vector<std::string>> memo;
  return memo.get(impl_, std::string(folded) + '/' + std::to_string(max_candidates),
                  [&] { return impl_->restore_uncached(folded, max_candidates); });
}

std::vector<std::string> Analyzer::Impl::restore_uncached(std::string_view folded,
                                                          size_t max_candidates) const {
  std::vector<std::string> words;
  // Each of these letters may have lost a diacritic; try the variants the
  // dictionary accepts, breadth-first, within a budget.
  static const std::unordered_map<char, std::vector<std::string>> kVariants = {
      {'a', {"ą"}}, {'c', {"ć"}}, {'e', {"ę"}}, {'l', {"ł"}},
      {'n', {"ń"}}, {'o', {"ó"}}, {'s', {"ś"}}, {'z', {"ź", "ż"}}};
  std::vector<std::string> candidates{""};
  for (char c : folded) {
    std::vector<std::string> next;
    auto variants = kVariants.find(c);
    for (const std::string& prefix : candidates) {
      next.push_back(prefix + c);
      if (variants == kVariants.end()) continue;
      for (const std::string& variant : variants->second) next.push_back(prefix + variant);
    }
    if (next.size() > max_candidates) return words;
    candidates = std::move(next);
  }
  // Asked capitalised, which Hunspell accepts for common words and proper nouns alike: a place
  // typed without its diacritics ("ostroleka") is then "Ostrołęka", as a common word ("zrodel")
  // is "źródeł".
  for (const std::string& candidate : candidates) {
    if (candidate == folded) continue;
    std::string capitalised;
    Xapian::Utf8Iterator it(candidate);
    Xapian::Unicode::append_utf8(capitalised, Xapian::Unicode::toupper(*it));
    ++it;
    capitalised.append(candidate, candidate.size() - it.left(), std::string::npos);
    if (dictionary->knows(capitalised)) words.push_back(candidate);
  }
  return words;
}

const Analyzer& default_analyzer() {
  static const Analyzer analyzer;
  return analyzer;
}

std::string load_default_analyzer() {
  if (default_analyzer().has_dictionary()) return {};
  return "MEDIATEKA_NO_DICTIONARY=1: Polish lemmatisation is off, so inflected forms of a word "
         "do not find each other";
}

}  // namespace mediateka
