// Acronyms and synonyms for query expansion: "PCPR" also finds "Powiatowe Centrum Pomocy
// Rodzinie" in any inflected form, and back. The shipped list of Polish social-policy names
// (archive/text/acronyms.tsv, compiled in) merged with a librarian's CSV file ([search] synonyms).
// The query rewriter (query_rewriter.h) asks which spans of a query name an entry and adds the
// other forms as phrases of lemmas; see docs/search-quality.md "Acronyms and full names".
#pragma once

#include <cstddef>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mediateka {

// A list that cannot be read: "FILE:LINE: what is wrong".
struct SynonymError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a query was expanded with: the words as typed, and what else they were searched as.
struct Expansion {
  std::string from;             // "PCPR"
  std::vector<std::string> to;  // {"powiatowe centrum pomocy rodzinie"}
};

// One way of writing a name.
struct SynonymForm {
  std::string text;                            // as shown: full names in lower case
  std::vector<std::string> words;              // as written, one per word
  std::vector<std::string> folded;             // each word folded (analyzer.h)
  std::vector<std::vector<std::string>> keys;  // each word's lemma keys
  bool acronym = false;                        // matched by its letters alone, not by lemmas
  // Also an ordinary word in another language ("POWER"): expanded from only when typed in
  // capitals, with Polish letters, or beside a Polish context word.
  bool foreign = false;
  // The term the writer indexes wherever a form of the entry is written (schema::name_term):
  // entries of the shipped list only; a librarian's change without a reindex.
  std::string name_term;
};

// A span of a query that names an entry, and the other forms it is searched as.
struct SynonymMatch {
  std::size_t begin = 0, end = 0;                // byte offsets of the span in the query text
  std::size_t first_word = 0, word_count = 0;    // the span's words (Analyzer::tokenize order)
  std::vector<const SynonymForm*> alternatives;  // other forms of every matching entry
  std::vector<std::string> name_terms;           // of the matching entries that have one
};

// A word of a text matched against the list's forms.
struct NameWord {
  std::string_view text;           // as written
  std::size_t begin = 0, end = 0;  // byte offsets in the text
  std::string folded;
  std::vector<std::string> keys;  // lemma keys, when `keys_known`
  bool keys_known = false;
  bool plain = true;  // may be part of a name (a query's quoted words, fields... may not)
};

class Synonyms {
 public:
  // The shipped list alone (archive/text/acronyms.tsv). Built once; thread-safe to share.
  static std::shared_ptr<const Synonyms> shipped();
  // Reads a list in the shipped format (TSV: acronyms, full names, note; see acronyms.tsv).
  // Throws SynonymError naming `name` and the line.
  static std::shared_ptr<const Synonyms> from_tsv(std::string_view text, const std::string& name);
  // The shipped list and a librarian's CSV (`term,equivalent`, multi-word both sides; UTF-8,
  // with or without BOM, or Windows-1250 as Polish Excel writes it; ',' or ';' separated;
  // quoted fields as in RFC 4180; an optional header line "term,equivalent"; a line with more
  // fields makes them all equivalent). Throws SynonymError naming `name` and the line.
  static std::shared_ptr<const Synonyms> with_librarian(std::string_view csv,
                                                        const std::string& name);

  // The lemma keys a query word matches, as the rewriter computes them (index forms included).
  using WordKeys = std::function<std::vector<std::string>(std::string_view word)>;
  // The spans of `text` that name an entry, leftmost longest first, not overlapping: runs of
  // plain words (outside quotes, not a field's name or value, not excluded, not a wildcard, no
  // operator) whose words match a form's words: an acronym by its letters, any other form by
  // lemma keys (`keys_of`) or letters. None when the text uses NEAR or ADJ. At most `limit`.
  std::vector<SynonymMatch> find(std::string_view text, const WordKeys& keys_of,
                                 std::size_t limit = 8) const;

  // For the writer: calls `found(first word, name term)` for each name of the shipped list
  // written in `words` (the first `count` of them, tokens of `text` with their keys known), by
  // the same rules as find(); names do not overlap.
  void find_names(std::string_view text, std::vector<NameWord>& words, std::size_t count,
                  const std::function<void(std::size_t, const std::string&)>& found) const;

  // Identifies the shipped list and how its names are indexed: an index whose databases were
  // written with the same fingerprint has the name terms of every item (schema::kNamesKey).
  static const std::string& names_fingerprint();

  std::size_t entry_count() const { return entries_.size(); }

 private:
  struct Entry {
    std::vector<SynonymForm> forms;
  };
  void add(Entry entry);
  static std::shared_ptr<Synonyms> parse_tsv(std::string_view text, const std::string& name);
  static SynonymForm make_form(std::string_view written, bool acronym, bool foreign);
  // The longest forms written from words[i] on (their length, 0 when none), as (entry, form).
  std::size_t longest_at(std::string_view text, std::vector<NameWord>& words, std::size_t count,
                         std::size_t i, const WordKeys* keys_of,
                         std::vector<std::pair<std::size_t, std::size_t>>* matched) const;

  std::vector<Entry> entries_;
  // First word (folded, and each lemma key of a non-acronym's first word) → (entry, form).
  std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> by_first_;
  // Lemma keys that make a word Polish context for a foreign acronym.
  std::unordered_set<std::string> context_keys_;
};

// The shipped list merged with a librarian's file, read again when the file changes.
// Thread-safe.
class SynonymSource {
 public:
  // An empty path: the shipped list alone. Otherwise reads the file now and throws
  // SynonymError when it cannot be read or parsed; a missing file counts as empty (a librarian
  // may create it later) and is read once it appears.
  explicit SynonymSource(std::string path = "");

  // The list to search with now.
  std::shared_ptr<const Synonyms> current() const;
  // Reads the file again when its modification time or size changed. Returns true when the list
  // changed. A file that cannot be read or parsed leaves the list as it was; error() says why
  // until a good version is read.
  bool reload_if_changed();
  std::string error() const;
  const std::string& path() const { return path_; }

 private:
  struct Stamp {
    bool exists = false;
    std::time_t mtime = 0;
    long long mtime_ns = 0;
    unsigned long long size = 0;
    bool operator==(const Stamp& other) const {
      return exists == other.exists && mtime == other.mtime && mtime_ns == other.mtime_ns &&
             size == other.size;
    }
  };
  Stamp stamp() const;
  std::shared_ptr<const Synonyms> load() const;

  const std::string path_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Synonyms> current_;
  Stamp stamp_;
  std::string error_;
};

}  // namespace mediateka
