#include "archive/places/place_forms.h"

#include <algorithm>

namespace mediateka {
namespace {

// The endings of a declined adjective after its stem: soft stems (-ki, -gi, -ni: "wyszkowsk-i")
// keep an "i" before the ending, hard ones (-y: "now-y") have none. In the order of
// adjective_forms' list, nominative first.
constexpr std::string_view kSoftEndings[] = {"i",   "iego", "iemu", "im",  "ie",
                                             "iej", "ą",    "ich",  "imi", "a"};
constexpr std::string_view kHardEndings[] = {"y",  "ego", "emu", "ym",  "e",
                                             "ej", "ą",   "ych", "ymi", "a"};

bool ends_with(std::string_view text, std::string_view end) {
  return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

// One word's forms, in the order of the endings; the word alone when it does not decline.
std::vector<std::string> word_forms(std::string_view word) {
  std::string_view stem;
  bool soft = true;
  if (ends_with(word, "ie")) {
    stem = word.substr(0, word.size() - 2);  // neuter "mazowieckie"
  } else if (ends_with(word, "i")) {
    stem = word.substr(0, word.size() - 1);
  } else if (ends_with(word, "y")) {
    stem = word.substr(0, word.size() - 1), soft = false;
  } else if (ends_with(word, "e")) {
    stem = word.substr(0, word.size() - 1), soft = false;  // neuter "nowe"
  } else {
    return {std::string(word)};
  }
  std::vector<std::string> forms;
  for (std::string_view ending : soft ? kSoftEndings : kHardEndings) {
    forms.push_back(std::string(stem) + std::string(ending));
  }
  return forms;
}

}  // namespace

std::vector<std::string> adjective_forms(std::string_view nominative) {
  std::vector<std::vector<std::string>> words;
  size_t start = 0;
  while (start < nominative.size()) {
    size_t end = nominative.find(' ', start);
    if (end == std::string_view::npos) end = nominative.size();
    if (end > start) words.push_back(word_forms(nominative.substr(start, end - start)));
    start = end + 1;
  }
  std::vector<std::string> forms;
  size_t count = 0;
  for (const auto& word : words) count = std::max(count, word.size());
  for (size_t i = 0; i < count; ++i) {
    std::string form;
    for (const auto& word : words) {
      if (!form.empty()) form += ' ';
      form += word[std::min(i, word.size() - 1)];
    }
    if (std::find(forms.begin(), forms.end(), form) == forms.end()) forms.push_back(form);
  }
  return forms;
}

}  // namespace mediateka
