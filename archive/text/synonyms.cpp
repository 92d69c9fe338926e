#include "archive/text/synonyms.h"

#include <sys/stat.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "archive/index/schema.h"
#include "archive/text/analyzer.h"
#include "archive/text/utf8.h"

namespace mediateka {

extern const char kAcronymsTsv[];

namespace {

std::string trimmed(std::string_view text) {
  const char* space = " \t\r\n";
  const size_t first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return "";
  const size_t last = text.find_last_not_of(space);
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t at = text.find(separator, start);
    parts.push_back(trimmed(text.substr(start, at == std::string_view::npos ? at : at - start)));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
  }
  return lines;
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Every letter upper case, and at least two of them ("POWER", "ŚDS"; not "Power", "A").
bool in_capitals(std::string_view word) {
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  int letters = 0;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    const UChar32 c = text.char32At(i);
    if (!u_isalpha(c)) continue;
    if (!u_isUUppercase(c)) return false;
    ++letters;
  }
  return letters >= 2;
}

bool is_operator(std::string_view word) {
  for (const char* name : {"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"}) {
    if (word == name) return true;
  }
  return false;
}

bool intersects(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const std::string& key : a) {
    if (std::find(b.begin(), b.end(), key) != b.end()) return true;
  }
  return false;
}

// Words that make a neighbour of a foreign acronym Polish social-policy context, besides the
// words of the list's full names.
constexpr const char* kContextWords[] = {
    "projekt",   "program", "gmina",     "powiat",         "miasto",    "województwo",
    "uczestnik", "nabór",   "konkurs",   "dofinansowanie", "wsparcie",  "beneficjent",
    "wniosek",   "dotacja", "dyrektor",  "kierownik",      "pracownik", "socjalny",
    "środki",    "unijny",  "europejski"};

// A CSV line's fields (RFC 4180 quoting, on one line). Nullopt for an unclosed quote.
std::optional<std::vector<std::string>> csv_fields(std::string_view line, char separator) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == separator) {
      fields.push_back(trimmed(field));
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  if (quoted) return std::nullopt;
  fields.push_back(trimmed(field));
  return fields;
}

// The separator of a librarian's file: ';' when its first record has one and no ',' outside
// quotes (Polish Excel's "CSV (rozdzielany przecinkami)"), else ','.
char csv_separator(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    const std::string text = trimmed(line);
    if (text.empty() || text[0] == '#') continue;
    bool quoted = false, comma = false, semicolon = false;
    for (char c : text) {
      if (c == '"') quoted = !quoted;
      if (!quoted && c == ',') comma = true;
      if (!quoted && c == ';') semicolon = true;
    }
    return semicolon && !comma ? ';' : ',';
  }
  return ',';
}

}  // namespace

SynonymForm Synonyms::make_form(std::string_view written, bool acronym, bool foreign) {
  const Analyzer& analyzer = default_analyzer();
  SynonymForm form;
  form.acronym = acronym;
  form.foreign = foreign;
  form.text = acronym ? std::string(written) : lower(written);
  analyzer.tokenize(written, [&](const Token& token) {
    form.words.emplace_back(token.text);
    form.folded.push_back(fold(token.text));
    form.keys.push_back(analyzer.lemmas(token.text));
  });
  return form;
}

void Synonyms::add(Entry entry) {
  // Forms with the same words (letters, case and diacritics aside) are one form.
  std::vector<SynonymForm> forms;
  for (SynonymForm& form : entry.forms) {
    auto same = std::find_if(forms.begin(), forms.end(),
                             [&](const SynonymForm& kept) { return kept.folded == form.folded; });
    if (same == forms.end()) {
      forms.push_back(std::move(form));
    } else {
      same->foreign = same->foreign || form.foreign;
    }
  }
  entry.forms = std::move(forms);
  const size_t index = entries_.size();
  for (size_t f = 0; f < entry.forms.size(); ++f) {
    const SynonymForm& form = entry.forms[f];
    std::set<std::string> firsts{form.folded.front()};
    if (!form.acronym) {
      firsts.insert(form.keys.front().begin(), form.keys.front().end());
      for (const auto& keys : form.keys) {
        for (const std::string& key : keys) {
          if (key.size() >= 4) context_keys_.insert(key);
        }
      }
    }
    for (const std::string& first : firsts) by_first_[first].emplace_back(index, f);
  }
  entries_.push_back(std::move(entry));
}

std::shared_ptr<const Synonyms> Synonyms::from_tsv(std::string_view text, const std::string& name) {
  return parse_tsv(text, name);
}

std::shared_ptr<Synonyms> Synonyms::parse_tsv(std::string_view text, const std::string& name) {
  auto synonyms = std::make_shared<Synonyms>();
  const std::vector<std::string> lines = lines_of(text);
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string line = trimmed(lines[n]);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = name + ":" + std::to_string(n + 1) + ": ";
    const std::vector<std::string> columns = split(lines[n], '\t');
    if (columns.size() < 2 || columns[0].empty() || columns[1].empty()) {
      throw SynonymError(where + "expected acronyms, a tab and full names");
    }
    Entry entry;
    for (std::string acronym : split(columns[0], '|')) {
      const bool foreign = !acronym.empty() && acronym.back() == '*';
      if (foreign) acronym.pop_back();
      entry.forms.push_back(make_form(acronym, true, foreign));
    }
    for (const std::string& full_name : split(columns[1], '|')) {
      entry.forms.push_back(make_form(full_name, false, false));
    }
    for (const SynonymForm& form : entry.forms) {
      if (form.words.empty()) throw SynonymError(where + "a variant without a word");
    }
    synonyms->add(std::move(entry));
  }
  const Analyzer& analyzer = default_analyzer();
  for (const char* word : kContextWords) {
    for (const std::string& key : analyzer.lemmas(word)) synonyms->context_keys_.insert(key);
  }
  return synonyms;
}

std::shared_ptr<const Synonyms> Synonyms::shipped() {
  static const std::shared_ptr<const Synonyms> list = [] {
    std::shared_ptr<Synonyms> shipped = parse_tsv(kAcronymsTsv, "acronyms.tsv");
    for (size_t e = 0; e < shipped->entries_.size(); ++e) {
      for (SynonymForm& form : shipped->entries_[e].forms) form.name_term = schema::name_term(e);
    }
    return shipped;
  }();
  return list;
}

std::shared_ptr<const Synonyms> Synonyms::with_librarian(std::string_view csv,
                                                         const std::string& name) {
  auto synonyms = std::make_shared<Synonyms>(*shipped());
  std::string text(csv);
  if (starts_with(text, "\xEF\xBB\xBF")) text.erase(0, 3);
  if (!is_valid_utf8(text)) {  // Polish Excel's own CSV
    const icu::UnicodeString decoded(text.data(), static_cast<int32_t>(text.size()),
                                     "windows-1250");
    text.clear();
    decoded.toUTF8String(text);
  }
  const std::vector<std::string> lines = lines_of(text);
  const char separator = csv_separator(lines);
  bool first_record = true;
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string line = trimmed(lines[n]);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = name + ":" + std::to_string(n + 1) + ": ";
    const auto fields = csv_fields(line, separator);
    if (!fields) throw SynonymError(where + "a quote is not closed");
    const bool header = first_record && fields->size() == 2 && fold((*fields)[0]) == "term" &&
                        fold((*fields)[1]) == "equivalent";
    first_record = false;
    if (header) continue;
    if (fields->size() < 2) {
      throw SynonymError(where + "expected a term, '" + std::string(1, separator) +
                         "' and its equivalent, got \"" + line + "\"");
    }
    Entry entry;
    for (size_t i = 0; i < fields->size(); ++i) {
      const std::string& field = (*fields)[i];
      // A single word in capitals is an acronym: matched by its letters.
      size_t words = 0;
      default_analyzer().tokenize(field, [&](const Token&) { ++words; });
      if (words == 0) {
        throw SynonymError(where + "field " + std::to_string(i + 1) + " has no word");
      }
      entry.forms.push_back(make_form(field, words == 1 && in_capitals(field), false));
    }
    synonyms->add(std::move(entry));
  }
  return synonyms;
}

namespace {

// A word that makes a foreign acronym beside it Polish: Polish letters, or a word of the list's
// full names or of the context words.
bool polish_context(const NameWord& word, const std::vector<std::string>& keys,
                    const std::unordered_set<std::string>& context_keys) {
  if (!is_ascii(word.text)) return true;
  return std::any_of(keys.begin(), keys.end(),
                     [&](const std::string& key) { return context_keys.count(key) > 0; });
}

const std::vector<std::string>& keys_of_word(NameWord& word, const Synonyms::WordKeys* keys_of) {
  if (!word.keys_known) {
    word.keys = (*keys_of)(word.text);
    word.keys_known = true;
  }
  return word.keys;
}

}  // namespace

size_t Synonyms::longest_at(std::string_view text, std::vector<NameWord>& words, size_t count,
                            size_t i, const WordKeys* keys_of,
                            std::vector<std::pair<size_t, size_t>>* matched) const {
  static const std::string separators = " \t\r\n-,/";
  matched->clear();
  if (!words[i].plain) return 0;
  std::vector<const std::vector<std::pair<size_t, size_t>>*> lists;
  auto add_candidates = [&](const std::string& first) {
    auto found = by_first_.find(first);
    if (found != by_first_.end()) lists.push_back(&found->second);
  };
  add_candidates(words[i].folded);
  for (const std::string& key : keys_of_word(words[i], keys_of)) add_candidates(key);
  size_t best = 0;
  for (const auto* list : lists) {
    for (const auto& [e, f] : *list) {
      const SynonymForm& form = entries_[e].forms[f];
      const size_t n = form.words.size();
      if (n < best || i + n > count) continue;
      if (std::find(matched->begin(), matched->end(), std::make_pair(e, f)) != matched->end()) {
        continue;
      }
      bool fits = true;
      for (size_t j = 0; j < n && fits; ++j) {
        NameWord& word = words[i + j];
        if (!word.plain) fits = false;
        if (fits && j > 0) {
          const size_t gap_begin = words[i + j - 1].end;
          const std::string_view gap = text.substr(gap_begin, word.begin - gap_begin);
          fits = gap.find_first_not_of(separators) == std::string_view::npos;
        }
        if (fits) {
          fits = word.folded == form.folded[j] ||
                 (!form.acronym && intersects(keys_of_word(word, keys_of), form.keys[j]));
        }
      }
      if (fits && form.foreign) {
        bool polish = false;
        for (size_t j = 0; j < n && !polish; ++j) {
          polish = in_capitals(words[i + j].text) || !is_ascii(words[i + j].text);
        }
        auto context = [&](size_t k) {
          return k < count &&
                 polish_context(words[k], keys_of_word(words[k], keys_of), context_keys_);
        };
        fits = polish || (i > 0 && context(i - 1)) || context(i + n);
      }
      if (!fits) continue;
      if (n > best) {
        best = n;
        matched->clear();
      }
      matched->emplace_back(e, f);
    }
  }
  std::sort(matched->begin(), matched->end());  // the list's order
  return best;
}

std::vector<SynonymMatch> Synonyms::find(std::string_view text, const WordKeys& keys_of,
                                         size_t limit) const {
  std::vector<NameWord> words;
  bool positional = false;
  default_analyzer().tokenize(text, [&](const Token& token) {
    positional = positional || token.text == "NEAR" || token.text == "ADJ";
    NameWord word;
    word.text = token.text;
    word.begin = token.begin;
    word.end = token.end;
    word.folded = fold(token.text);
    words.push_back(std::move(word));
  });
  std::vector<SynonymMatch> matches;
  if (positional || entries_.empty()) return matches;
  // Which words are plain: outside quotes, no field's name or value, not excluded or required
  // (-word, +word), no wildcard, no operator.
  bool quoted = false;
  size_t scanned = 0;
  for (NameWord& word : words) {
    for (; scanned < word.begin; ++scanned) quoted = quoted != (text[scanned] == '"');
    const size_t begin = word.begin, end = word.end;
    const char before = begin > 0 ? text[begin - 1] : ' ';
    const char before_that = begin > 1 ? text[begin - 2] : ' ';
    const char after = end < text.size() ? text[end] : ' ';
    const bool marked = (before == '-' || before == '+') &&
                        (before_that == ' ' || before_that == '(' || before_that == '\t');
    word.plain = !quoted && before != ':' && !marked && after != ':' && after != '*' &&
                 !is_operator(word.text);
  }
  std::vector<std::pair<size_t, size_t>> matched;
  for (size_t i = 0; i < words.size() && matches.size() < limit;) {
    const size_t best = longest_at(text, words, words.size(), i, &keys_of, &matched);
    if (best == 0) {
      ++i;
      continue;
    }
    std::vector<std::string> typed;
    for (size_t j = i; j < i + best; ++j) typed.push_back(words[j].folded);
    SynonymMatch match;
    match.begin = words[i].begin;
    match.end = words[i + best - 1].end;
    match.first_word = i;
    match.word_count = best;
    std::vector<const std::vector<std::string>*> shown{&typed};
    for (const auto& [e, f] : matched) shown.push_back(&entries_[e].forms[f].folded);
    for (const auto& [e, f] : matched) {
      const std::string& term = entries_[e].forms[f].name_term;
      if (!term.empty() && std::find(match.name_terms.begin(), match.name_terms.end(), term) ==
                               match.name_terms.end()) {
        match.name_terms.push_back(term);
      }
      for (const SynonymForm& form : entries_[e].forms) {
        const bool seen = std::any_of(shown.begin(), shown.end(),
                                      [&](const auto* folded) { return *folded == form.folded; });
        if (seen) continue;
        shown.push_back(&form.folded);
        match.alternatives.push_back(&form);
      }
    }
    if (match.alternatives.empty()) {
      ++i;
      continue;
    }
    matches.push_back(std::move(match));
    i += best;
  }
  return matches;
}

void Synonyms::find_names(std::string_view text, std::vector<NameWord>& words, size_t count,
                          const std::function<void(size_t, const std::string&)>& found) const {
  std::vector<std::pair<size_t, size_t>> matched;
  std::vector<const std::string*> terms;
  for (size_t i = 0; i < count;) {
    const size_t best = longest_at(text, words, count, i, nullptr, &matched);
    if (best == 0) {
      ++i;
      continue;
    }
    terms.clear();
    for (const auto& [e, f] : matched) {
      const std::string& term = entries_[e].forms[f].name_term;
      if (term.empty()) continue;
      auto same = [&](const std::string* seen) { return *seen == term; };
      if (std::none_of(terms.begin(), terms.end(), same)) terms.push_back(&term);
    }
    for (const std::string* term : terms) found(i, *term);
    i += best;
  }
}

const std::string& Synonyms::names_fingerprint() {
  // FNV-1a of the list and of the way its names become terms: a change of either makes older
  // indexes fall back to searching names as phrases until they are rebuilt. Computed once: every
  // expanded query compares it with the index's.
  static const std::string fingerprint = [] {
    std::uint64_t hash = 14695981039346656037ull;
    for (const std::string_view part :
         {std::string_view("names-1:"), std::string_view(kAcronymsTsv)}) {
      for (const char c : part) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ull;
      }
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return std::string(text);
  }();
  return fingerprint;
}

SynonymSource::SynonymSource(std::string path) : path_(std::move(path)) {
  if (path_.empty()) {
    current_ = Synonyms::shipped();
    return;
  }
  stamp_ = stamp();
  current_ = load();
}

std::shared_ptr<const Synonyms> SynonymSource::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

std::string SynonymSource::error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

SynonymSource::Stamp SynonymSource::stamp() const {
  Stamp stamp;
  struct stat status {};
  if (::stat(path_.c_str(), &status) != 0) return stamp;
  stamp.exists = true;
  stamp.mtime = status.st_mtim.tv_sec;
  stamp.mtime_ns = status.st_mtim.tv_nsec;
  stamp.size = static_cast<unsigned long long>(status.st_size);
  return stamp;
}

std::shared_ptr<const Synonyms> SynonymSource::load() const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Synonyms::shipped();
    throw SynonymError(path_ + ": cannot read the synonyms: " + std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw SynonymError(path_ + ": cannot read the synonyms");
  return Synonyms::with_librarian(content.str(), path_);
}

bool SynonymSource::reload_if_changed() {
  if (path_.empty()) return false;
  const Stamp now = stamp();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (now == stamp_) return false;
  }
  std::shared_ptr<const Synonyms> loaded;
  std::string error;
  try {
    loaded = load();
  } catch (const SynonymError& failure) {
    error = failure.what();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  stamp_ = now;
  error_ = error;
  if (!loaded) return false;
  current_ = std::move(loaded);
  return true;
}

}  // namespace mediateka
