// The gazetteer: every województwo and powiat of Poland and the gminas of mazowieckie and
// warmińsko-mazurskie, from GUS's TERYT register TERC (archive/places/places.tsv, compiled into the
// programs so that the indexer and the server always agree on the names; see docs/places.md).
//
// Every place has a canonical name, unique in the gazetteer and the one items, filters and
// facets use: "województwo mazowieckie", "powiat wyszkowski", "Płock" (a city with powiat
// rights), "gmina Wyszków". A powiat adjective shared by two województwa names its województwo
// in both ("powiat grodziski (mazowieckie)", "powiat grodziski (wielkopolskie)"); a gmina name
// shared within the gazetteer adds its kind, then its powiat ("gmina Płońsk (wiejska)").
// Thread safety: a Gazetteer is immutable once built; const methods may run on any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "archive/item.h"

namespace mediateka {

// The kind of place a word announces, by its Vocabulary::key, in every case and number:
// "powiecie", "powiatach", "pow" a powiat; "gminy" a gmina; "województwa", "woj" a województwo;
// "miasta", "m", "m st" a city.
enum class PlaceHead { none, powiat, gmina, wojewodztwo, city };
PlaceHead place_head(const std::string& key);
// "miejski", "grodzkim": after a powiat word, a city with powiat rights follows.
bool city_powiat_word(const std::string& key);
// After a gmina word: "miejska", "wiejskiej", "miejsko" (of "miejsko-wiejska") → the gmina type
// ("miejska", "wiejska", "miejsko-wiejska"); "" for another word.
std::string gmina_type_word(const std::string& key);

struct PlaceEntry {
  std::string code;  // TERC: "14" województwo, "1435" powiat, "1435053" gmina
  PlaceKind kind = PlaceKind::powiat;
  bool city = false;       // a city with powiat rights ("miasto na prawach powiatu")
  std::string gmina_type;  // "miejska", "wiejska", "miejsko-wiejska"; empty for others
  std::string name;        // as TERC writes it: "mazowieckie", "wyszkowski", "Płock", "Wyszków"
  std::string canonical;
  std::size_t wojewodztwo = 0;        // the entry of its województwo (its own for one)
  std::optional<std::size_t> powiat;  // a gmina's powiat
};

// What a written name may mean.
struct PlaceMatch {
  std::vector<std::size_t> candidates;     // entries; several when the name is ambiguous
  std::optional<std::size_t> wojewodztwo;  // a województwo written after the name
  std::string gmina_type;                  // "miejska", "wiejska" when written
};

class Gazetteer {
 public:
  // Reads the TSV format of archive/places/places.tsv. Throws std::runtime_error on a malformed
  // line.
  explicit Gazetteer(std::string_view tsv);
  // The compiled-in gazetteer.
  static const Gazetteer& instance();

  const std::vector<PlaceEntry>& entries() const { return entries_; }
  const PlaceEntry& entry(std::size_t index) const { return entries_[index]; }
  // The entry whose canonical name `name` is, ignoring case, diacritics and punctuation.
  std::optional<std::size_t> by_canonical(std::string_view name) const;
  // The województwo named by its adjective in any case ("mazowieckim"), with or without
  // "województwo" before it.
  std::optional<std::size_t> wojewodztwo_named(std::string_view name) const;

  // The places a name as a librarian writes it may mean, regardless of case, diacritics and
  // inflection: a canonical name, "powiat wyszkowski", "w powiecie wyszkowskim", "wyszkowski",
  // "gmina Wyszków", "Wyszków", "m. Płock", "Płock", "mazowieckie", "woj. mazowieckie", or any
  // of them followed by a województwo ("grodziski, mazowieckie", "grodziski (mazowieckie)").
  // Without a kind word, a województwo is preferred to a powiat, a powiat to a gmina.
  PlaceMatch match(std::string_view written) const;

  // The entries of powiats (kind powiat, not cities) or województwa that the folded words `key`
  // (Vocabulary::key of an inflected adjective: "warszawskim zachodnim") name; null if none.
  const std::vector<std::size_t>* adjective(std::string_view key) const;
  // The entries of cities with powiat rights and gminas whose name's key is `key` ("plock").
  const std::vector<std::size_t>* noun(std::string_view key) const;
  // The most words an adjective or a noun name has.
  std::size_t longest_name_words() const { return longest_words_; }

 private:
  void add_key(std::unordered_map<std::string, std::vector<std::size_t>>& index,
               const std::string& key, std::size_t entry);
  void name_places();

  std::vector<PlaceEntry> entries_;
  std::unordered_map<std::string, std::size_t> by_canonical_;
  std::unordered_map<std::string, std::vector<std::size_t>> adjectives_;
  std::unordered_map<std::string, std::vector<std::size_t>> nouns_;
  std::size_t longest_words_ = 1;
};

// How to choose among a name's candidates.
struct PlaceContext {
  std::optional<std::size_t> wojewodztwo;  // named with the place
  std::optional<std::size_t> powiat;       // named with a gmina
  std::string gmina_type;                  // "miejska", "wiejska" when the words said so
  std::optional<std::size_t> home;         // the configured home województwo ([places] home)
};

// Picks one of `candidates`: the only one; else those in the context's województwo, those in
// its powiat; among gminas of one name, the one of the type said, else a gmina wiejska (a
// city's own gmina is called "miasto X"); else those in the home województwo. Nullopt when
// still ambiguous or nothing matched.
std::optional<std::size_t> resolve_place(const Gazetteer& gazetteer,
                                         std::vector<std::size_t> candidates,
                                         const PlaceContext& context);

}  // namespace mediateka
