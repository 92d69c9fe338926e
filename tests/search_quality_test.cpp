// Search quality in Polish: recall and precision of the archive's searcher on a
// generated corpus, for queries typed as in the documents, without diacritics, and
// in other inflected forms; with plain Xapian (no Polish analysis) as the baseline.
// Method and results: docs/search-quality.md.
//
// The corpus is generated from tests/fixtures/polish/{lexicon,templates}.txt with a
// fixed seed. The generator knows the lemma of every word it writes, so relevance is
// judged from its tables alone, never through mediateka::Analyzer: a document is
// relevant to a query when, for every lemma of the query, it holds some form of it.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "archive/index_writer.h"
#include "archive/searcher.h"

namespace mediateka {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kSeed = 20240601;
constexpr int kDocuments = 320;
constexpr double kRecallTarget = 0.97;
constexpr double kPrecisionTarget = 0.95;

// ---------------------------------------------------------------------------
// Text helpers, independent of archive/analyzer.

std::string to_lower(const std::string& text) {
  std::string out;
  for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
    Xapian::Unicode::append_utf8(out, Xapian::Unicode::tolower(*it));
  }
  return out;
}

std::string capitalise(const std::string& text) {
  std::string out;
  bool first = true;
  for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
    Xapian::Unicode::append_utf8(out, first ? Xapian::Unicode::toupper(*it) : *it);
    first = false;
  }
  return out;
}

// What a visitor without a Polish keyboard types: the nine Polish letters lose
// their diacritics.
std::string without_diacritics(const std::string& text) {
  static const std::map<unsigned, char> kPlain = {
      {U'ą', 'a'}, {U'ć', 'c'}, {U'ę', 'e'}, {U'ł', 'l'}, {U'ń', 'n'}, {U'ó', 'o'},
      {U'ś', 's'}, {U'ź', 'z'}, {U'ż', 'z'}, {U'Ą', 'A'}, {U'Ć', 'C'}, {U'Ę', 'E'},
      {U'Ł', 'L'}, {U'Ń', 'N'}, {U'Ó', 'O'}, {U'Ś', 'S'}, {U'Ź', 'Z'}, {U'Ż', 'Z'}};
  std::string out;
  for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
    auto plain = kPlain.find(*it);
    if (plain != kPlain.end()) {
      out.push_back(plain->second);
    } else {
      Xapian::Unicode::append_utf8(out, *it);
    }
  }
  return out;
}

// Lower-case words (letters only) of a text.
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) {
    if (Xapian::Unicode::is_wordchar(*it)) {
      Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(*it));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

std::vector<std::string> fixture_lines(const std::string& name) {
  fs::path path = fs::path(MEDIATEKA_SOURCE_DIR) / "tests" / "fixtures" / "polish" / name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

// ---------------------------------------------------------------------------
// The lexicon: noun phrases in six cases, each word tied to its lemma.

enum Case { kNom, kGen, kDat, kAcc, kIns, kLoc, kCases };

struct Phrase {
  char category = 0;
  bool plural = false;
  std::vector<std::string> lemmas;  // one per word
  std::string forms[kCases];
  std::string preposition;  // places: of the locative ("na", "w")
};

struct Lexicon {
  std::map<char, std::vector<Phrase>> phrases;
  std::map<std::string, std::set<std::string>> lemmas_of_form;  // lower-case word → lemmas

  void add_form(const std::string& form, const std::vector<std::string>& lemmas) {
    std::vector<std::string> words = words_of(form);
    if (words.size() != lemmas.size()) {
      throw std::runtime_error("lexicon: \"" + form + "\" does not have one word per lemma");
    }
    for (size_t i = 0; i < words.size(); ++i) lemmas_of_form[words[i]].insert(lemmas[i]);
  }
};

Lexicon load_lexicon() {
  Lexicon lexicon;
  for (const std::string& line : fixture_lines("lexicon.txt")) {
    std::vector<std::string> fields = split(line, '|');
    if (fields.size() == 3 && fields[0] == "+") {
      for (const std::string& form : words_of(fields[2])) lexicon.add_form(form, {fields[1]});
      continue;
    }
    if (fields.size() != 9 && fields.size() != 10) {
      throw std::runtime_error("lexicon: bad line: " + line);
    }
    Phrase phrase;
    phrase.category = fields[0].at(0);
    phrase.plural = fields[1] == "pl";
    std::istringstream lemmas(fields[2]);
    for (std::string lemma; lemmas >> lemma;) phrase.lemmas.push_back(lemma);
    for (int c = 0; c < kCases; ++c) {
      phrase.forms[c] = fields[3 + c];
      lexicon.add_form(phrase.forms[c], phrase.lemmas);
    }
    if (fields.size() == 10) phrase.preposition = fields[9];
    lexicon.phrases[phrase.category].push_back(std::move(phrase));
  }
  return lexicon;
}

// ---------------------------------------------------------------------------
// Templates and the generated corpus.

struct Part {
  enum Kind { text, slot, verb } kind = text;
  std::string literal;           // text
  char category = 0;             // slot
  int grammatical_case = kNom;   // slot; -1 for a place with its preposition
  std::string singular, plural;  // verb
};

using Template = std::vector<Part>;

Template parse_template(const std::string& line) {
  static const std::map<std::string, int> kCaseNames = {{"nom", kNom}, {"gen", kGen}, {"dat", kDat},
                                                        {"acc", kAcc}, {"ins", kIns}, {"loc", kLoc},
                                                        {"in", -1}};
  Template parts;
  size_t i = 0;
  while (i < line.size()) {
    Part part;
    if (line[i] == '{' || line[i] == '[') {
      size_t close = line.find(line[i] == '{' ? '}' : ']', i);
      if (close == std::string::npos) throw std::runtime_error("template: unclosed: " + line);
      std::string inside = line.substr(i + 1, close - i - 1);
      if (line[i] == '{') {
        part.kind = Part::slot;
        part.category = inside.at(0);
        part.grammatical_case = kCaseNames.at(inside.substr(2));
      } else {
        part.kind = Part::verb;
        std::vector<std::string> forms = split(inside, '|');
        part.singular = forms.at(0);
        part.plural = forms.at(1);
      }
      i = close + 1;
    } else {
      size_t next = line.find_first_of("{[", i);
      if (next == std::string::npos) next = line.size();
      part.literal = line.substr(i, next - i);
      i = next;
    }
    parts.push_back(std::move(part));
  }
  return parts;
}

struct Document {
  std::string text;
  std::set<std::string> lemmas;  // of every lexicon word it holds
  std::set<std::string> words;   // lower-case words as written
};

struct Corpus {
  Lexicon lexicon;
  std::vector<Template> templates;
  std::vector<Document> documents;
};

Corpus generate_corpus() {
  Corpus corpus;
  corpus.lexicon = load_lexicon();
  for (const std::string& line : fixture_lines("templates.txt")) {
    corpus.templates.push_back(parse_template(line));
  }
  std::mt19937 random(kSeed);
  auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
  for (int d = 0; d < kDocuments; ++d) {
    Document document;
    size_t sentences = 2 + pick(4);
    for (size_t s = 0; s < sentences; ++s) {
      const Template& sentence = corpus.templates[pick(corpus.templates.size())];
      std::vector<const Phrase*> chosen;
      bool plural = false;
      for (const Part& part : sentence) {
        if (part.kind != Part::slot) continue;
        const std::vector<Phrase>& options = corpus.lexicon.phrases.at(part.category);
        chosen.push_back(&options[pick(options.size())]);
        if (part.grammatical_case == kNom) plural = chosen.back()->plural;
        document.lemmas.insert(chosen.back()->lemmas.begin(), chosen.back()->lemmas.end());
      }
      std::string text;
      size_t slot = 0;
      for (const Part& part : sentence) {
        if (part.kind == Part::text) {
          text += part.literal;
        } else if (part.kind == Part::verb) {
          text += plural ? part.plural : part.singular;
        } else {
          const Phrase& phrase = *chosen[slot++];
          text += part.grammatical_case < 0 ? phrase.preposition + " " + phrase.forms[kLoc]
                                            : phrase.forms[part.grammatical_case];
        }
      }
      if (!document.text.empty()) document.text += ' ';
      document.text += capitalise(text);
    }
    for (std::string& word : words_of(document.text)) document.words.insert(std::move(word));
    corpus.documents.push_back(std::move(document));
  }
  return corpus;
}

const std::string kTitlePrefix = "Dokument ";
std::string title_of(size_t document) { return kTitlePrefix + std::to_string(document); }

// ---------------------------------------------------------------------------
// Queries: a form as written in the documents, and another form of the same words.

struct QueryPair {
  const char* exact;
  const char* other;
};

const QueryPair kQueries[] = {
    {"pomocy społecznej", "pomoc społeczna"},
    {"ośrodka pomocy społecznej", "ośrodek pomoc społeczna"},
    {"wolontariuszy Łodzi", "wolontariusz Łódź"},
    {"rodzinom wielodzietnym", "rodzina wielodzietna"},
    {"osób niepełnosprawnych", "osoba niepełnosprawna"},
    {"Mazowszu seniorów", "Mazowsze senior"},
    {"spółdzielni socjalnej", "spółdzielnie socjalne"},
    {"ekonomią społeczną", "ekonomia społeczna"},
    {"ubóstwa energetycznego", "ubóstwo energetyczne"},
    {"wykluczeniu społecznym", "wykluczenie społeczne"},
    {"niepełnosprawnością intelektualną", "niepełnosprawność intelektualna"},
    {"seniorów", "senior"},
    {"uchodźcom", "uchodźca"},
    {"młodzieży wiejskiej", "młodzież wiejska"},
    {"samotnej matce", "samotna matka"},
    {"pracownikiem socjalnym", "pracownicy socjalni"},
    {"asystentowi rodziny", "asystent rodzina"},
    {"Krakowie", "Kraków"},
    {"Białymstoku", "Białystok"},
    {"Wielkopolsce", "Wielkopolska"},
    {"Śląsku", "Śląsk"},
    {"Gdańsku seniorom", "Gdańsk senior"},
    {"Poznaniu", "Poznań"},
    {"świadczeń rodzinnych", "świadczenie rodzinne"},
    {"aktywizacją zawodową", "aktywizacja zawodowa"},
    {"fundacji charytatywnej", "fundacja charytatywna"},
    {"organizacjom pozarządowym", "organizacja pozarządowa"},
    {"wolontariacie", "wolontariat"},
    {"bezdomności", "bezdomność"},
    {"opiece wytchnieniowej", "opieka wytchnieniowa"},
    {"osobom bezdomnym Warszawie", "osoba bezdomna Warszawa"},
    {"małymi dziećmi", "małe dziecko"},
    {"gminie wiejskiej", "gmina wiejska"},
    {"mieszkaniu chronionym", "mieszkania chronione"},
    {"województwie łódzkim", "województwo łódzkie"},
    {"koordynatorką wolontariuszy", "koordynatorka wolontariusz"},
    {"przedsiębiorstwem społecznym", "przedsiębiorstwa społeczne"},
    {"bezrobotnych mieszkańców", "bezrobotni mieszkańcy"},
    {"wsparcia rodziny", "wsparciem rodzin"},
    {"uchodźców Lublinie", "uchodźca Lublin"},
    {"mieszkaniu", "mieszkanie"},
    {"stowarzyszeniu lokalnym", "stowarzyszenia lokalne"},
};

struct Query {
  std::string text;
  std::set<std::string> lemmas;
  std::set<size_t> relevant;
};

enum Group { kExact, kNoDiacritics, kOtherForm, kGroups };
const char* const kGroupNames[kGroups] = {"(a) exact forms", "(b) without diacritics",
                                          "(c) other forms"};

// Engines: a query in, the documents found out, best first.
using Engine = std::function<std::vector<size_t>(const std::string&)>;

struct Score {
  double recall = 0;
  double precision = 0;      // P@10
  double precision_all = 0;  // over everything retrieved (not held to a target)
  size_t found = 0;
};

Score score(const Query& query, const std::vector<size_t>& found) {
  Score score;
  score.found = found.size();
  size_t hits = 0;
  for (size_t document : found) hits += query.relevant.count(document);
  score.recall = static_cast<double>(hits) / query.relevant.size();
  score.precision_all = found.empty() ? 0.0 : static_cast<double>(hits) / found.size();
  // Precision in the top 10; over the documents retrieved when fewer than 10 are relevant.
  size_t k = query.relevant.size() >= 10 ? 10 : std::min<size_t>(10, found.size());
  size_t top_hits = 0;
  for (size_t i = 0; i < std::min(k, found.size()); ++i) top_hits += query.relevant.count(found[i]);
  score.precision = k == 0 ? 0.0 : static_cast<double>(top_hits) / k;
  return score;
}

struct Figures {
  size_t queries = 0;
  double recall = 0;     // mean over queries
  double precision = 0;  // mean P@10 over queries
  double precision_all = 0;
};

Figures summary(const std::vector<Query>& queries, const std::vector<Score>& scores) {
  Figures figures;
  for (size_t i = 0; i < queries.size(); ++i) {
    figures.recall += scores[i].recall;
    figures.precision += scores[i].precision;
    figures.precision_all += scores[i].precision_all;
    ++figures.queries;
  }
  if (figures.queries > 0) {
    figures.recall /= figures.queries;
    figures.precision /= figures.queries;
    figures.precision_all /= figures.queries;
  }
  return figures;
}

// printf's widths count bytes; Polish letters take two.
std::string padded(const std::string& text, size_t width) {
  size_t length = 0;
  for (Xapian::Utf8Iterator it(text); it != Xapian::Utf8Iterator(); ++it) ++length;
  return text + std::string(width > length ? width - length : 0, ' ');
}

class SearchQuality : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new Corpus(generate_corpus());
    root_ = new fs::path(fs::temp_directory_path() /
                         ("mediateka-quality-" + std::to_string(std::random_device{}())));
    // The archive's own index.
    {
      IndexWriter writer((*root_ / "mediateka").string());
      for (size_t d = 0; d < corpus_->documents.size(); ++d) {
        Item item;
        item.title = title_of(d);
        item.language = "pl";
        item.source.file = "/quality/" + std::to_string(d) + ".txt";
        item.segments.push_back(Segment{1, 0, 0, corpus_->documents[d].text});
        writer.put(item);
      }
      writer.commit();
    }
    // The baseline: plain Xapian, no stemmer, no Polish analysis.
    {
      Xapian::WritableDatabase db((*root_ / "plain").string(), Xapian::DB_CREATE_OR_OVERWRITE);
      Xapian::TermGenerator generator;
      for (size_t d = 0; d < corpus_->documents.size(); ++d) {
        Xapian::Document document;
        generator.set_document(document);
        generator.index_text(title_of(d));
        generator.increase_termpos();
        generator.index_text(corpus_->documents[d].text);
        document.set_data(std::to_string(d));
        db.add_document(document);
      }
      db.commit();
    }
  }

  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
    delete corpus_;
  }

  static Corpus* corpus_;
  static fs::path* root_;
};

Corpus* SearchQuality::corpus_ = nullptr;
fs::path* SearchQuality::root_ = nullptr;

TEST_F(SearchQuality, CorpusIsWhatTheJudgmentAssumes) {
  const Lexicon& lexicon = corpus_->lexicon;
  // Fixed words of templates hold no lexicon form: a document's lemmas come from its phrases only.
  for (const Template& sentence : corpus_->templates) {
    for (const Part& part : sentence) {
      std::vector<std::string> words =
          words_of(part.literal + " " + part.singular + " " + part.plural);
      for (const std::string& word : words) {
        EXPECT_EQ(lexicon.lemmas_of_form.count(word), 0u) << "template word: " << word;
      }
    }
  }
  for (const auto& [form, lemmas] : lexicon.lemmas_of_form) {
    EXPECT_EQ(lemmas.size(), 1u) << "ambiguous lexicon form: " << form;
  }
  size_t bytes = 0;
  for (const Document& document : corpus_->documents) bytes += document.text.size();
  std::printf("corpus: %zu documents, %zu templates, %.1f KB of text\n", corpus_->documents.size(),
              corpus_->templates.size(), bytes / 1024.0);
  std::printf("sample: %s\n", corpus_->documents[0].text.c_str());
}

TEST_F(SearchQuality, RecallAndPrecisionPerGroup) {
  const Lexicon& lexicon = corpus_->lexicon;
  std::set<std::string> corpus_words;
  for (const Document& document : corpus_->documents) {
    corpus_words.insert(document.words.begin(), document.words.end());
  }
  auto make_query = [&](const std::string& text, const std::string& as_in_lexicon) {
    Query query;
    query.text = text;
    for (const std::string& word : words_of(as_in_lexicon)) {
      auto lemmas = lexicon.lemmas_of_form.find(word);
      if (lemmas == lexicon.lemmas_of_form.end()) {
        ADD_FAILURE() << "query word not in the lexicon: " << word;
        continue;
      }
      query.lemmas.insert(lemmas->second.begin(), lemmas->second.end());
    }
    for (size_t d = 0; d < corpus_->documents.size(); ++d) {
      const std::set<std::string>& held = corpus_->documents[d].lemmas;
      if (std::includes(held.begin(), held.end(), query.lemmas.begin(), query.lemmas.end())) {
        query.relevant.insert(d);
      }
    }
    EXPECT_FALSE(query.relevant.empty()) << "no relevant document for " << text;
    return query;
  };
  std::vector<Query> groups[kGroups];
  for (const QueryPair& pair : kQueries) {
    for (const std::string& word : words_of(pair.exact)) {
      EXPECT_TRUE(corpus_words.count(word)) << "exact query word not in the corpus: " << word;
    }
    groups[kExact].push_back(make_query(pair.exact, pair.exact));
    std::string plain = without_diacritics(pair.exact);
    if (plain != pair.exact) groups[kNoDiacritics].push_back(make_query(plain, pair.exact));
    groups[kOtherForm].push_back(make_query(pair.other, pair.other));
    EXPECT_NE(to_lower(pair.exact), to_lower(pair.other));
  }
  if (HasFailure()) return;

  Vocabulary vocabulary;
  Searcher searcher({(*root_ / "mediateka").string()}, vocabulary);
  Engine mediateka = [&](const std::string& q) {
    std::vector<size_t> found;
    SearchRequest request;
    request.q = q;
    request.per_page = 100;
    request.facets = false;
    request.snippets = false;
    for (;; ++request.page) {
      SearchResult result = searcher.search(request);
      for (const Hit& hit : result.hits) {
        found.push_back(std::stoul(hit.item.title.substr(kTitlePrefix.size())));
      }
      if (result.hits.empty() || found.size() >= result.total) break;
    }
    return found;
  };
  Xapian::Database plain_db((*root_ / "plain").string());
  Engine plain = [&](const std::string& q) {
    Xapian::QueryParser parser;
    parser.set_database(plain_db);
    parser.set_default_op(Xapian::Query::OP_AND);
    parser.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
    Xapian::Enquire enquire(plain_db);
    enquire.set_query(parser.parse_query(q));
    Xapian::MSet mset = enquire.get_mset(0, plain_db.get_doccount());
    std::vector<size_t> found;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      found.push_back(std::stoul(it.get_document().get_data()));
    }
    return found;
  };

  std::vector<Score> ours[kGroups], baseline[kGroups];
  for (int g = 0; g < kGroups; ++g) {
    for (const Query& query : groups[g]) {
      ours[g].push_back(score(query, mediateka(query.text)));
      baseline[g].push_back(score(query, plain(query.text)));
    }
  }
  {
    std::printf("%s %7s | %-25s | %-25s\n", padded("", 24).c_str(), "", "mediateka",
                "plain Xapian");
    std::printf("%s %7s | %6s %6s %11s | %6s %6s %11s\n", padded("group", 24).c_str(), "queries",
                "recall", "P@10", "P(all hits)", "recall", "P@10", "P(all hits)");
    for (int g = 0; g < kGroups; ++g) {
      Figures our = summary(groups[g], ours[g]);
      Figures base = summary(groups[g], baseline[g]);
      std::printf("%s %7zu | %6.3f %6.3f %11.3f | %6.3f %6.3f %11.3f\n",
                  padded(kGroupNames[g], 24).c_str(), our.queries, our.recall, our.precision,
                  our.precision_all, base.recall, base.precision, base.precision_all);
    }
  }
  bool verbose = std::getenv("MEDIATEKA_QUALITY_VERBOSE") != nullptr;
  std::printf("\n%s:\n", verbose ? "Every query" : "Queries below 1.0 for mediateka");
  for (int g = 0; g < kGroups; ++g) {
    for (size_t i = 0; i < groups[g].size(); ++i) {
      for (bool is_ours : {true, false}) {
        const Score& result = (is_ours ? ours : baseline)[g][i];
        bool perfect = result.recall == 1 && result.precision == 1;
        if (!verbose && (!is_ours || perfect)) continue;
        const Query& query = groups[g][i];
        std::printf("  %s %-22s %s relevant %3zu found %3zu recall %.2f P@10 %.2f\n",
                    is_ours ? "mediateka" : "plain    ", kGroupNames[g],
                    padded(query.text, 34).c_str(), query.relevant.size(), result.found,
                    result.recall, result.precision);
      }
    }
  }
  std::printf("\n");
  for (int g = 0; g < kGroups; ++g) {
    Figures our = summary(groups[g], ours[g]);
    ASSERT_GE(our.queries, 20u) << kGroupNames[g];
    EXPECT_GE(our.recall, kRecallTarget) << kGroupNames[g];
    EXPECT_GE(our.precision, kPrecisionTarget) << kGroupNames[g];
  }
}

}  // namespace
}  // namespace mediateka
