#include "archive/places/place_finder.h"

#include <algorithm>
#include <map>

#include "archive/text/vocabulary.h"

namespace mediateka {
namespace {

bool one_of(const std::string& word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// Words a list of places may hold between its names.
bool list_joiner(const std::string& key) {
  return one_of(key, {"i", "oraz", "a", "takze", "lub", "albo", "czy"});
}

// Case endings of nouns, after the stem (the name less a final vowel): Radom → Radomia,
// Radomiu, Radomiem; Warszawa → Warszawy, Warszawie, Warszawę (folded: "warszawe").
constexpr std::string_view kNounEndings[] = {"a",  "u", "ia", "iu",  "owi", "em", "iem", "e",
                                             "ie", "y", "i",  "ach", "ami", "om", "ow",  "o"};

std::string noun_stem(const std::string& key) {
  if (!key.empty() && std::string_view("aeioy").find(key.back()) != std::string_view::npos)
    return key.substr(0, key.size() - 1);
  return key;
}

bool capitalised(std::string_view word) {
  if (word.empty()) return false;
  size_t length = 1;
  while (length < word.size() && (static_cast<unsigned char>(word[length]) & 0xc0) == 0x80)
    ++length;
  return lower(word.substr(0, length)) != word.substr(0, length);
}

// Whether a word may open a head; saves folding every word of the text.
bool may_be_head(std::string_view word) {
  if (word.empty()) return false;
  const char first = static_cast<char>(word[0] | 0x20);
  return first == 'p' || first == 'g' || first == 'w' || first == 'm';
}

}  // namespace

struct PlaceFinder::Word {
  std::string_view text;
  size_t begin = 0, end = 0;
  mutable std::string key;  // Vocabulary::key, made on first use
  mutable bool keyed = false;
  const std::string& folded() const {
    if (!keyed) key = Vocabulary::key(text), keyed = true;
    return key;
  }
};

struct PlaceFinder::Mention {
  std::vector<std::size_t> candidates;
  size_t word = 0;
  std::optional<std::size_t> wojewodztwo;  // in parentheses after the name
  std::string gmina_type;
};

PlaceFinder::PlaceFinder(const Gazetteer& gazetteer, const Analyzer& analyzer,
                         std::optional<std::size_t> home)
    : gazetteer_(gazetteer), analyzer_(analyzer), home_(home) {
  for (std::size_t i = 0; i < gazetteer.entries().size(); ++i) {
    const PlaceEntry& entry = gazetteer.entry(i);
    if (entry.kind != PlaceKind::gmina && !entry.city) continue;
    NounLemmas lemmas{i, {}};
    analyzer.tokenize(entry.name, [&](const Token& token) {
      lemmas.words.push_back(analyzer.lemmas(token.text));
    });
    if (lemmas.words.empty()) continue;
    for (const std::string& first : lemmas.words.front()) nouns_by_lemma_[first].push_back(lemmas);
    const std::string key = Vocabulary::key(entry.name);
    if (key.find(' ') == std::string::npos && key.size() >= 4)
      nouns_by_stem_[noun_stem(key)].push_back(i);
  }
}

std::vector<std::size_t> PlaceFinder::nouns_at(const std::vector<Word>& words, std::size_t at,
                                               std::size_t& length) const {
  // The longest name as written first ("Nowe Miasto Lubawskie"), then by lemmas ("Płocku").
  for (size_t n = std::min(gazetteer_.longest_name_words(), words.size() - at); n >= 1; --n) {
    std::string key;
    for (size_t i = at; i < at + n; ++i) key += (i > at ? " " : "") + words[i].folded();
    if (const auto* found = gazetteer_.noun(key)) {
      length = n;
      return *found;
    }
  }
  std::vector<std::size_t> found;
  length = 0;
  for (const std::string& lemma : analyzer_.lemmas(words[at].text)) {
    auto named = nouns_by_lemma_.find(lemma);
    if (named == nouns_by_lemma_.end()) continue;
    for (const NounLemmas& noun : named->second) {
      if (at + noun.words.size() > words.size() || noun.words.size() < length) continue;
      bool all = true;
      for (size_t w = 1; w < noun.words.size() && all; ++w) {
        const auto& text_lemmas = analyzer_.lemmas(words[at + w].text);
        all = std::any_of(text_lemmas.begin(), text_lemmas.end(), [&](const std::string& l) {
          return std::find(noun.words[w].begin(), noun.words[w].end(), l) != noun.words[w].end();
        });
      }
      if (!all) continue;
      if (noun.words.size() > length) found.clear(), length = noun.words.size();
      if (std::find(found.begin(), found.end(), noun.entry) == found.end())
        found.push_back(noun.entry);
    }
  }
  if (!found.empty()) return found;
  const std::string& key = words[at].folded();
  for (std::string_view ending : kNounEndings) {
    if (key.size() <= ending.size() ||
        key.compare(key.size() - ending.size(), ending.size(), ending) != 0)
      continue;
    auto named = nouns_by_stem_.find(key.substr(0, key.size() - ending.size()));
    if (named == nouns_by_stem_.end()) continue;
    for (std::size_t entry : named->second) {
      if (std::find(found.begin(), found.end(), entry) == found.end()) found.push_back(entry);
    }
    length = 1;
  }
  return found;
}

std::vector<std::size_t> PlaceFinder::find(std::string_view text) const {
  std::vector<Word> words;
  analyzer_.tokenize(text, [&](const Token& token) {
    words.push_back({token.text, token.begin, token.end, {}, false});
  });
  std::vector<Mention> mentions;
  // What stands between word i - 1 and word i.
  auto gap = [&](size_t i) {
    const size_t from = i == 0 ? 0 : words[i - 1].end;
    return text.substr(from, words[i].begin - from);
  };
  for (size_t i = 0; i < words.size(); ++i) {
    if (!may_be_head(words[i].text)) continue;
    PlaceHead head = place_head(words[i].folded());
    if (head == PlaceHead::none) continue;
    bool city_powiat = false;
    size_t j = i + 1;
    std::string gmina_type;
    if (head == PlaceHead::city && j < words.size() &&
        one_of(words[j].folded(), {"st", "stoleczne", "stolecznego"}))
      ++j;  // "m. st. Warszawa", "miasto stołeczne Warszawa"
    if (head == PlaceHead::powiat && j < words.size() && city_powiat_word(words[j].folded())) {
      city_powiat = true;  // "powiat miejski Płock"
      ++j;
    }
    if (head == PlaceHead::gmina) {
      for (std::string type;
           j < words.size() && !(type = gmina_type_word(words[j].folded())).empty(); ++j) {
        if (gmina_type != "miejsko-wiejska") gmina_type = type;  // else its second word
      }
    }
    // The list after the head: names, joiners, and parenthesised remarks, up to a sentence end.
    int depth = 0;
    bool after_name = false;
    const size_t first = j;
    for (; j < words.size(); ++j) {
      // A full stop outside parentheses ends the sentence, and so the list.
      bool full_stop = false;
      for (char c : gap(j)) {
        depth = std::max(0, depth + (c == '(' ? 1 : c == ')' ? -1 : 0));
        full_stop |= c == '.' && depth == 0;
      }
      if (j > first && full_stop) break;
      if (depth > 0) {
        // "(mazowieckie)", "(woj. mazowieckie)": the previous name's województwo.
        if (auto woj = gazetteer_.wojewodztwo_named(words[j].folded());
            woj && after_name && !mentions.empty() && !words[j].folded().empty()) {
          mentions.back().wojewodztwo = woj;
        }
        continue;
      }
      size_t length = 0;
      std::vector<std::size_t> named;
      if (!city_powiat && (head == PlaceHead::powiat || head == PlaceHead::wojewodztwo)) {
        for (size_t n = std::min(gazetteer_.longest_name_words(), words.size() - j);
             n >= 1 && named.empty(); --n) {
          std::string key;
          for (size_t k = j; k < j + n; ++k) key += (k > j ? " " : "") + words[k].folded();
          if (const auto* found = gazetteer_.adjective(key)) {
            for (std::size_t e : *found) {
              const bool woj = gazetteer_.entry(e).kind == PlaceKind::wojewodztwo;
              if (woj == (head == PlaceHead::wojewodztwo)) named.push_back(e);
            }
            length = n;
          }
        }
      } else if (capitalised(words[j].text)) {
        for (std::size_t e : nouns_at(words, j, length)) {
          const PlaceEntry& entry = gazetteer_.entry(e);
          const bool wanted =
              head == PlaceHead::gmina
                  ? entry.kind == PlaceKind::gmina
                  : entry.city || (head == PlaceHead::city && entry.gmina_type != "wiejska");
          if (wanted) named.push_back(e);
        }
        // A city is itself; a gmina of its name is wanted only when no city has it.
        if (std::any_of(named.begin(), named.end(),
                        [&](std::size_t e) { return gazetteer_.entry(e).city; }))
          named.erase(std::remove_if(named.begin(), named.end(),
                                     [&](std::size_t e) { return !gazetteer_.entry(e).city; }),
                      named.end());
      }
      if (!named.empty()) {
        mentions.push_back({std::move(named), j, std::nullopt, gmina_type});
        j += length - 1;
        after_name = true;
      } else if (after_name && list_joiner(words[j].folded())) {
        after_name = false;
      } else {
        break;
      }
    }
    i = std::max(i, j > 0 ? j - 1 : 0);
  }
  // Context for the ambiguous: the województwa named and those of the places already sure.
  std::map<std::size_t, size_t> votes;
  std::vector<std::optional<std::size_t>> resolved(mentions.size());
  std::vector<std::pair<size_t, std::size_t>> wojewodztwa;  // word, entry
  for (size_t m = 0; m < mentions.size(); ++m) {
    if (mentions[m].candidates.size() != 1) continue;
    resolved[m] = mentions[m].candidates.front();
    const PlaceEntry& entry = gazetteer_.entry(*resolved[m]);
    ++votes[entry.wojewodztwo];
    if (entry.kind == PlaceKind::wojewodztwo)
      wojewodztwa.push_back({mentions[m].word, *resolved[m]});
  }
  std::optional<std::size_t> most;
  for (const auto& [woj, count] : votes) {
    if (!most || count > votes[*most]) most = woj;
  }
  for (size_t m = 0; m < mentions.size(); ++m) {
    if (resolved[m]) continue;
    PlaceContext context;
    context.gmina_type = mentions[m].gmina_type;
    context.home = home_;
    context.wojewodztwo = mentions[m].wojewodztwo;
    size_t nearest = kContextWords + 1;
    std::optional<std::size_t> near;
    for (const auto& [word, woj] : wojewodztwa) {
      const size_t at = mentions[m].word;
      const size_t distance = word > at ? word - at : at - word;
      if (distance < nearest) nearest = distance, near = woj;
    }
    if (!context.wojewodztwo) context.wojewodztwo = near ? near : most;
    resolved[m] = resolve_place(gazetteer_, mentions[m].candidates, context);
  }
  std::vector<std::size_t> places;
  for (const auto& place : resolved) {
    if (place && std::find(places.begin(), places.end(), *place) == places.end())
      places.push_back(*place);
  }
  return places;
}

}  // namespace mediateka
