// Debian's hunspell-pl dictionary behind a small, thread-safe interface.
// Internal to archive/: the Analyzer is its only user.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

class Hunspell;

namespace mediateka {

class PolishDictionary {
 public:
  // Finds pl_PL.aff and pl_PL.dic in `folder`; throws std::runtime_error when absent. They are
  // read (~0.3 s) at the first word asked, so a program that analyses nothing (a no-change
  // re-import) never pays for them.
  explicit PolishDictionary(const std::string& folder = "/usr/share/hunspell");
  ~PolishDictionary();

  // Dictionary lemmas of a lower-case UTF-8 word, as lower-case UTF-8; tries the
  // capitalised form too, for proper nouns ("mazowszu" → "mazowsze"). Empty when unknown.
  std::vector<std::string> stems(std::string_view word) const;
  // Whether the dictionary accepts the word as written (lower case or capitalised).
  bool knows(std::string_view word) const;

 private:
  // Reads the dictionary and the ISO-8859-2 table once; the first caller does it for all.
  void load() const;
  // The dictionary speaks ISO-8859-2; words it cannot represent are unknown.
  bool to_latin2(std::string_view utf8, std::string& out) const;
  std::string from_latin2(const std::string& latin2) const;

  std::string aff_, dic_;
  mutable std::once_flag loaded_;
  mutable std::unique_ptr<Hunspell> hunspell_;
  mutable std::mutex mutex_;  // Hunspell is not thread-safe
  mutable char32_t latin2_to_unicode_[256];
};

}  // namespace mediateka
