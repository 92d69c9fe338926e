// libFuzzer target: the query syntax (archive/search/query_rewriter.h QueryRewriter::parse and what
// the query looks for), over a tiny temporary database made once per process.
#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "archive/search/query_rewriter.h"
#include "archive/searcher.h"
#include "archive/text/vocabulary.h"

namespace {

// A temporary folder, removed at exit (the in-memory backend keeps no spelling table).
char rewriter_folder[] = "/tmp/mediateka-fuzz-XXXXXX";

std::string rewriter_database() {
  if (!mkdtemp(rewriter_folder)) std::abort();
  std::atexit([] { std::filesystem::remove_all(rewriter_folder); });
  return std::string(rewriter_folder) + "/db";
}

struct Fixture {
  Xapian::WritableDatabase db{rewriter_database(), Xapian::DB_CREATE_OR_OPEN};
  mediateka::Vocabulary vocabulary;
  std::optional<mediateka::QueryRewriter> rewriter;

  Fixture() {
    Xapian::Document document;
    for (const char* term : {"KI", "pomocy", "pomoc", "Zpomoc", "spoleczna", "Zspołeczny",
                             "Espoleczna\x1fspołeczna", "rodzina", "Zrodzina", "XCrodzina"})
      document.add_term(term);
    db.add_document(document);
    for (const char* word : {"pomoc", "pomocy", "społeczna", "rodzina", "wykluczenie"})
      db.add_spelling(word);
    db.commit();
    vocabulary.add("Rodzina", {"Rodzina 500+"});
    vocabulary.add("Aktywni");
    rewriter.emplace(db, vocabulary);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto visible = [](const std::string& term) { return term.size() % 3 != 0; };
  try {
    std::optional<std::string> suggestion;
    mediateka::WordTerms body_words;
    const Xapian::Query query = fixture.rewriter->parse(text, visible, &suggestion, &body_words);
    (void)fixture.rewriter->query_words(text, query, std::move(body_words));
    (void)fixture.rewriter->exact_form_boost(text);
  } catch (const mediateka::QueryError&) {
  }
  return 0;
}
