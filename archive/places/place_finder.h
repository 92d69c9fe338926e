// Finds the places an item's text names: "w powiecie wyszkowskim", "Powiat Płocki", "gmina
// Wyszków", "miasto Płock", "województwa mazowieckiego", and every element of a list after one
// such word ("w powiatach: lipskim, siedleckim, warszawskim zachodnim oraz wyszkowskim (od 2010
// roku); grodziskim"). A place counts only after a word naming its kind (powiat, gmina, miasto,
// województwo, in any case and number), so "Wyszków" the town and "płocki" in "Teatr Płocki"
// name nothing. Ambiguous names are resolved by resolve_place (gazetteer.h) with, as context, a
// województwo named in parentheses after the name or within kContextWords words of it, else the
// województwo most of the text's other places lie in, else the home województwo; what stays
// ambiguous is left out. See docs/places.md for the rules and docs/search-quality.md for the
// measured precision.
// Thread safety: find() may run on several threads at once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "archive/places/gazetteer.h"
#include "archive/text/analyzer.h"

namespace mediateka {

class PlaceFinder {
 public:
  static constexpr std::size_t kContextWords = 30;

  // `home`: the configured home województwo ([places] home), an entry of `gazetteer`.
  PlaceFinder(const Gazetteer& gazetteer, const Analyzer& analyzer,
              std::optional<std::size_t> home = std::nullopt);

  // The gazetteer entries `text` names, each once, in the order of their first mention.
  std::vector<std::size_t> find(std::string_view text) const;

 private:
  struct Mention;
  struct Word;
  std::vector<std::size_t> nouns_at(const std::vector<Word>& words, std::size_t at,
                                    std::size_t& length) const;

  const Gazetteer& gazetteer_;
  const Analyzer& analyzer_;
  std::optional<std::size_t> home_;
  // Cities and gminas by the lemma keys of their first word, for inflected names ("Płocku",
  // "Nowym Mieście Lubawskim"); each with the lemma keys of every word of its name.
  struct NounLemmas {
    std::size_t entry;
    std::vector<std::vector<std::string>> words;
  };
  std::unordered_map<std::string, std::vector<NounLemmas>> nouns_by_lemma_;
  // One-word names the dictionary does not decline ("Radom"), by their stem (the key less a
  // final vowel): a word that is the stem plus a common case ending ("radomia") names them.
  std::unordered_map<std::string, std::vector<std::size_t>> nouns_by_stem_;
};

}  // namespace mediateka
