#include "analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <xapian.h>

#include <array>
#include <memory>
#include <mutex>

namespace mediateka {
namespace {

// Folding table for U+0000..U+024F (Basic Latin to Latin Extended-B), where
// every letter of Polish and its neighbours lives. Built once with ICU's
// Latin-ASCII transliteration, then used without ICU on the hot path.
constexpr char32_t kFoldTableSize = 0x250;

class FoldTable {
 public:
  FoldTable() {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> to_ascii(
        icu::Transliterator::createInstance("Latin-ASCII", UTRANS_FORWARD, status));
    for (char32_t c = 0; c < kFoldTableSize; ++c) {
      std::string stripped;
      if (c < 0x80 || !U_SUCCESS(status)) {
        append_utf8(stripped, c);
      } else {
        icu::UnicodeString text(static_cast<UChar32>(c));
        to_ascii->transliterate(text);
        text.toUTF8String(stripped);
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

  static void append_utf8(std::string& out, char32_t c) {
    char buffer[4];
    out.append(buffer, Xapian::Unicode::nonascii_to_utf8(c, buffer));
  }

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

struct Analyzer::Impl {
  std::unique_ptr<icu::BreakIterator> prototype;
  std::mutex prototype_mutex;

  std::unique_ptr<icu::BreakIterator> word_breaker() {
    std::lock_guard<std::mutex> lock(prototype_mutex);
    return std::unique_ptr<icu::BreakIterator>(prototype->clone());
  }
};

Analyzer::Analyzer() : impl_(new Impl) {
  UErrorCode status = U_ZERO_ERROR;
  impl_->prototype.reset(icu::BreakIterator::createWordInstance(icu::Locale("pl"), status));
  if (U_FAILURE(status)) {
    delete impl_;
    throw std::runtime_error("ICU word break iterator unavailable");
  }
  fold_table();
}

Analyzer::~Analyzer() { delete impl_; }

void Analyzer::tokenize(std::string_view text,
                        const std::function<void(const Token&)>& sink) const {
  if (text.empty()) return;
  // A break iterator per thread: ICU iterators are not thread-safe, cloning is cheap.
  thread_local std::unique_ptr<icu::BreakIterator> breaker;
  if (!breaker) breaker = impl_->word_breaker();

  UErrorCode status = U_ZERO_ERROR;
  UText* utext = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return;
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
    ++token.position;
  }
  // Detach the iterator from the text before closing it.
  breaker->setText(icu::UnicodeString());
  utext_close(utext);
}

std::vector<std::string> Analyzer::lemmas(std::string_view word) const {
  return {fold(word)};
}

const Analyzer& default_analyzer() {
  static const Analyzer analyzer;
  return analyzer;
}

}  // namespace mediateka
