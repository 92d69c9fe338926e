#include "archive/text/polish_dictionary.h"

#include <unicode/ucnv.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <hunspell/hunspell.hxx>
#include <iterator>
#include <stdexcept>

namespace mediateka {

PolishDictionary::PolishDictionary(const std::string& folder)
    : aff_(folder + "/pl_PL.aff"), dic_(folder + "/pl_PL.dic") {
  if (!std::filesystem::exists(aff_) || !std::filesystem::exists(dic_)) {
    throw std::runtime_error("Polish dictionary not found in " + folder +
                             " (install the hunspell-pl package)");
  }
}

void PolishDictionary::load() const {
  std::call_once(loaded_, [this] {
    hunspell_ = std::make_unique<Hunspell>(aff_.c_str(), dic_.c_str());
    std::fill(std::begin(latin2_to_unicode_), std::end(latin2_to_unicode_), 0xFFFD);
    UErrorCode status = U_ZERO_ERROR;
    UConverter* converter = ucnv_open("ISO-8859-2", &status);
    if (U_FAILURE(status)) return;  // every non-ASCII word is then unknown
    for (int byte = 0; byte < 256; ++byte) {
      char in = static_cast<char>(byte);
      const char* source = &in;
      UChar32 c = ucnv_getNextUChar(converter, &source, source + 1, &status);
      latin2_to_unicode_[byte] = U_SUCCESS(status) ? static_cast<char32_t>(c) : 0xFFFD;
      status = U_ZERO_ERROR;
      ucnv_reset(converter);
    }
    ucnv_close(converter);
  });
}

PolishDictionary::~PolishDictionary() = default;

bool PolishDictionary::to_latin2(std::string_view utf8, std::string& out) const {
  out.clear();
  for (Xapian::Utf8Iterator it(utf8.data(), utf8.size()); it != Xapian::Utf8Iterator(); ++it) {
    char32_t c = *it;
    if (c < 0xA0) {
      out.push_back(static_cast<char>(c));
      continue;
    }
    int byte = 0xA0;
    while (byte < 256 && latin2_to_unicode_[byte] != c) ++byte;
    if (byte == 256) return false;
    out.push_back(static_cast<char>(byte));
  }
  return true;
}

std::string PolishDictionary::from_latin2(const std::string& latin2) const {
  std::string out;
  for (unsigned char byte : latin2) {
    Xapian::Unicode::append_utf8(out, latin2_to_unicode_[byte]);
  }
  return out;
}

std::vector<std::string> PolishDictionary::stems(std::string_view word) const {
  load();
  std::string latin2;
  if (word.empty() || !to_latin2(word, latin2)) return {};
  // Proper nouns are stored capitalised, and many of their forms are common words too
  // ("Gdańsku" / "po gdańsku", "Kraków" / "krak"), so the capitalised form is asked for:
  // Hunspell analyses a capitalised word as written and in lower case, which gives both
  // kinds of lemma in one analysis (two separate calls cost ~30 % more). ISO-8859-2
  // capitals of Polish letters sit at fixed offsets, so capitalise through Unicode.
  std::string capital;
  bool first = true;
  for (Xapian::Utf8Iterator it(word.data(), word.size()); it != Xapian::Utf8Iterator(); ++it) {
    Xapian::Unicode::append_utf8(capital, first ? Xapian::Unicode::toupper(*it) : *it);
    first = false;
  }
  std::string capital_latin2;
  const std::string& asked = to_latin2(capital, capital_latin2) ? capital_latin2 : latin2;
  std::vector<std::string> found;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    found = hunspell_->stem(asked);
  }
  std::vector<std::string> stems;
  for (const std::string& stem : found) {
    std::string utf8 = from_latin2(stem);
    std::string lowered;
    for (Xapian::Utf8Iterator it(utf8); it != Xapian::Utf8Iterator(); ++it) {
      Xapian::Unicode::append_utf8(lowered, Xapian::Unicode::tolower(*it));
    }
    stems.push_back(std::move(lowered));
  }
  return stems;
}

bool PolishDictionary::knows(std::string_view word) const {
  load();
  std::string latin2;
  if (word.empty() || !to_latin2(word, latin2)) return false;
  std::lock_guard<std::mutex> lock(mutex_);
  return hunspell_->spell(latin2);
}

}  // namespace mediateka
