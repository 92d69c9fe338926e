#include "archive/places/gazetteer.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "archive/places/place_forms.h"
#include "archive/text/vocabulary.h"

namespace mediateka {

extern const char kPlacesTsv[];

namespace {

std::vector<std::string> split_words(const std::string& key) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < key.size()) {
    size_t end = key.find(' ', start);
    if (end == std::string::npos) end = key.size();
    if (end > start) words.push_back(key.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

std::string join_words(const std::vector<std::string>& words, size_t begin, size_t end) {
  std::string joined;
  for (size_t i = begin; i < end; ++i) {
    if (!joined.empty()) joined += ' ';
    joined += words[i];
  }
  return joined;
}

bool is_one_of(const std::string& word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool powiat_word(const std::string& w) { return place_head(w) == PlaceHead::powiat; }
bool gmina_word(const std::string& w) { return place_head(w) == PlaceHead::gmina; }
bool wojewodztwo_word(const std::string& w) { return place_head(w) == PlaceHead::wojewodztwo; }
bool city_word(const std::string& w) { return place_head(w) == PlaceHead::city; }

}  // namespace

PlaceHead place_head(const std::string& key) {
  if (is_one_of(key, {"powiat", "powiatu", "powiatowi", "powiatem", "powiecie", "powiaty",
                      "powiatow", "powiatom", "powiatami", "powiatach", "pow"}))
    return PlaceHead::powiat;
  if (is_one_of(
          key, {"gmina", "gminy", "gminie", "gmine", "gmin", "gminom", "gminami", "gminach", "gm"}))
    return PlaceHead::gmina;
  if (is_one_of(key, {"wojewodztwo", "wojewodztwa", "wojewodztwu", "wojewodztwem", "wojewodztwie",
                      "wojewodztw", "wojewodztwom", "wojewodztwami", "wojewodztwach", "woj"}))
    return PlaceHead::wojewodztwo;
  if (is_one_of(key, {"miasto", "miasta", "miastu", "miastem", "miescie", "m", "m st"}))
    return PlaceHead::city;
  return PlaceHead::none;
}

bool city_powiat_word(const std::string& key) {
  return is_one_of(key, {"miejski", "miejskiego", "miejskiemu", "miejskim", "grodzki", "grodzkiego",
                         "grodzkiemu", "grodzkim"});
}

std::string gmina_type_word(const std::string& key) {
  if (is_one_of(key, {"miejska", "miejskiej", "miejskie", "miejskich"})) return "miejska";
  if (is_one_of(key, {"wiejska", "wiejskiej", "wiejskie", "wiejskich"})) return "wiejska";
  if (key == "miejsko") return "miejsko-wiejska";  // "miejsko-wiejska": the next word follows
  return {};
}

Gazetteer::Gazetteer(std::string_view tsv) {
  std::map<std::string, std::size_t> by_code;
  size_t line_start = 0, line_number = 0;
  while (line_start < tsv.size()) {
    size_t line_end = tsv.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = tsv.size();
    std::string_view line = tsv.substr(line_start, line_end - line_start);
    line_start = line_end + 1;
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    const size_t tab1 = line.find('\t');
    const size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) {
      throw std::runtime_error("places: line " + std::to_string(line_number) +
                               ": expected CODE<TAB>KIND<TAB>NAME");
    }
    PlaceEntry entry;
    entry.code = std::string(line.substr(0, tab1));
    const std::string kind(line.substr(tab1 + 1, tab2 - tab1 - 1));
    entry.name = std::string(line.substr(tab2 + 1));
    if (kind == "wojewodztwo" && entry.code.size() == 2) {
      entry.kind = PlaceKind::wojewodztwo;
    } else if ((kind == "powiat" || kind == "miasto") && entry.code.size() == 4) {
      entry.city = kind == "miasto";
    } else if (kind.rfind("gmina-", 0) == 0 && entry.code.size() == 7) {
      entry.kind = PlaceKind::gmina;
      entry.gmina_type = kind.substr(6);
    } else {
      throw std::runtime_error("places: line " + std::to_string(line_number) +
                               ": unknown kind or code '" + kind + "' '" + entry.code + "'");
    }
    by_code[entry.code] = entries_.size();
    entries_.push_back(std::move(entry));
  }
  for (PlaceEntry& entry : entries_) {
    auto woj = by_code.find(entry.code.substr(0, 2));
    if (woj == by_code.end())
      throw std::runtime_error("places: no województwo for code " + entry.code);
    entry.wojewodztwo = woj->second;
    if (entry.kind == PlaceKind::gmina) {
      auto powiat = by_code.find(entry.code.substr(0, 4));
      if (powiat == by_code.end()) throw std::runtime_error("places: no powiat for " + entry.code);
      entry.powiat = powiat->second;
    }
  }
  name_places();
}

void Gazetteer::name_places() {
  // Names shared by more than one place of a kind get a qualifier (see the header).
  std::map<std::string, std::vector<std::size_t>> powiats, gminas;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const PlaceEntry& entry = entries_[i];
    if (entry.kind == PlaceKind::powiat && !entry.city) powiats[entry.name].push_back(i);
    if (entry.kind == PlaceKind::gmina) gminas[entry.name].push_back(i);
  }
  for (PlaceEntry& entry : entries_) {
    switch (entry.kind) {
      case PlaceKind::wojewodztwo:
        entry.canonical = "województwo " + entry.name;
        break;
      case PlaceKind::powiat:
        entry.canonical = entry.city ? entry.name : "powiat " + entry.name;
        if (!entry.city && powiats[entry.name].size() > 1)
          entry.canonical += " (" + entries_[entry.wojewodztwo].name + ")";
        break;
      case PlaceKind::gmina:
        entry.canonical = "gmina " + entry.name;
        break;
    }
  }
  for (const auto& [name, same] : gminas) {
    if (same.size() < 2) continue;
    std::set<std::string> types;
    for (std::size_t i : same) types.insert(entries_[i].gmina_type);
    for (std::size_t i : same) {
      PlaceEntry& entry = entries_[i];
      entry.canonical += types.size() == same.size()
                             ? " (" + entry.gmina_type + ")"
                             : " (" + entries_[*entry.powiat].canonical + ")";
    }
  }
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const PlaceEntry& entry = entries_[i];
    if (!by_canonical_.emplace(Vocabulary::key(entry.canonical), i).second)
      throw std::runtime_error("places: two places named " + entry.canonical);
    if (entry.kind == PlaceKind::gmina || entry.city) {
      add_key(nouns_, Vocabulary::key(entry.name), i);
    } else {
      for (const std::string& form : adjective_forms(entry.name))
        add_key(adjectives_, Vocabulary::key(form), i);
    }
  }
}

void Gazetteer::add_key(std::unordered_map<std::string, std::vector<std::size_t>>& index,
                        const std::string& key, std::size_t entry) {
  std::vector<std::size_t>& entries = index[key];
  if (std::find(entries.begin(), entries.end(), entry) == entries.end()) entries.push_back(entry);
  longest_words_ = std::max(longest_words_, split_words(key).size());
}

const Gazetteer& Gazetteer::instance() {
  static const Gazetteer gazetteer(kPlacesTsv);
  return gazetteer;
}

std::optional<std::size_t> Gazetteer::by_canonical(std::string_view name) const {
  auto found = by_canonical_.find(Vocabulary::key(name));
  if (found == by_canonical_.end()) return std::nullopt;
  return found->second;
}

const std::vector<std::size_t>* Gazetteer::adjective(std::string_view key) const {
  auto found = adjectives_.find(std::string(key));
  return found == adjectives_.end() ? nullptr : &found->second;
}

const std::vector<std::size_t>* Gazetteer::noun(std::string_view key) const {
  auto found = nouns_.find(std::string(key));
  return found == nouns_.end() ? nullptr : &found->second;
}

std::optional<std::size_t> Gazetteer::wojewodztwo_named(std::string_view name) const {
  std::vector<std::string> words = split_words(Vocabulary::key(name));
  if (!words.empty() && wojewodztwo_word(words.front())) words.erase(words.begin());
  if (const auto* found = adjective(join_words(words, 0, words.size()))) {
    for (std::size_t i : *found) {
      if (entries_[i].kind == PlaceKind::wojewodztwo) return i;
    }
  }
  return std::nullopt;
}

PlaceMatch Gazetteer::match(std::string_view written) const {
  PlaceMatch match;
  const std::string key = Vocabulary::key(written);
  if (auto exact = by_canonical(key)) {
    match.candidates.push_back(*exact);
    return match;
  }
  std::vector<std::string> words = split_words(key);
  if (words.size() > 1 && is_one_of(words.front(), {"w", "we", "na", "dla"}))
    words.erase(words.begin());
  // A województwo after the name: "grodziski, mazowieckie", "grodziski (woj. mazowieckie)".
  for (size_t n : {2, 1}) {
    if (words.size() <= n || (words.size() == n + 1 && wojewodztwo_word(words.front()))) continue;
    if (auto woj = wojewodztwo_named(join_words(words, words.size() - n, words.size()))) {
      match.wojewodztwo = woj;
      words.resize(words.size() - n);
      if (words.size() > 1 && wojewodztwo_word(words.back())) words.pop_back();
      break;
    }
  }
  enum class Wanted { any, wojewodztwo, powiat, city, gmina } wanted = Wanted::any;
  if (words.size() > 1) {
    const std::string& head = words.front();
    if (powiat_word(head)) {
      wanted = Wanted::powiat;
      words.erase(words.begin());
      if (words.size() > 1 && city_powiat_word(words.front())) {
        wanted = Wanted::city;
        words.erase(words.begin());
      }
    } else if (gmina_word(head)) {
      wanted = Wanted::gmina;
      words.erase(words.begin());
      while (words.size() > 1 &&
             (!gmina_type_word(words.front()).empty() || words.front() == "miejsko")) {
        match.gmina_type =
            words.front() == "miejsko" ? "miejsko-wiejska" : gmina_type_word(words.front());
        words.erase(words.begin());
        if (match.gmina_type == "miejsko-wiejska") break;
      }
    } else if (wojewodztwo_word(head)) {
      wanted = Wanted::wojewodztwo;
      words.erase(words.begin());
    } else if (city_word(head)) {
      wanted = Wanted::city;
      words.erase(words.begin());
      // "m. st. Warszawa", "miasto stołeczne Warszawa"
      if (words.size() > 1 && is_one_of(words.front(), {"st", "stoleczne", "stolecznego"}))
        words.erase(words.begin());
    }
  }
  const std::string rest = join_words(words, 0, words.size());
  std::vector<std::size_t> wojewodztwa, powiats, cities, gminas;
  if (const auto* found = adjective(rest)) {
    for (std::size_t i : *found)
      (entries_[i].kind == PlaceKind::wojewodztwo ? wojewodztwa : powiats).push_back(i);
  }
  if (const auto* found = noun(rest)) {
    for (std::size_t i : *found) (entries_[i].city ? cities : gminas).push_back(i);
  }
  switch (wanted) {
    case Wanted::wojewodztwo:
      match.candidates = wojewodztwa;
      break;
    case Wanted::powiat:
      match.candidates = powiats.empty() ? cities : powiats;
      break;
    case Wanted::gmina:
      match.candidates = gminas;
      break;
    case Wanted::city:
      // A city without powiat rights is its gmina miejska (or miejsko-wiejska).
      match.candidates = cities;
      if (cities.empty()) {
        for (std::size_t i : gminas) {
          if (entries_[i].gmina_type != "wiejska") match.candidates.push_back(i);
        }
      }
      break;
    case Wanted::any:
      for (auto* kind : {&wojewodztwa, &powiats, &cities, &gminas}) {
        if (!kind->empty()) {
          match.candidates = *kind;
          break;
        }
      }
      break;
  }
  return match;
}

std::optional<std::size_t> resolve_place(const Gazetteer& gazetteer,
                                         std::vector<std::size_t> candidates,
                                         const PlaceContext& context) {
  // Keeps the candidates that `keep` accepts, unless none would stay.
  auto narrow = [&](auto keep) {
    std::vector<std::size_t> kept;
    for (std::size_t i : candidates) {
      if (keep(gazetteer.entry(i))) kept.push_back(i);
    }
    if (!kept.empty()) candidates = std::move(kept);
  };
  if (candidates.size() > 1 && context.wojewodztwo)
    narrow([&](const PlaceEntry& e) { return e.wojewodztwo == *context.wojewodztwo; });
  if (candidates.size() > 1 && context.powiat)
    narrow([&](const PlaceEntry& e) { return e.powiat == context.powiat; });
  if (candidates.size() > 1) {
    const std::string type = context.gmina_type.empty() ? "wiejska" : context.gmina_type;
    narrow([&](const PlaceEntry& e) { return e.gmina_type == type; });
  }
  if (candidates.size() > 1 && context.home)
    narrow([&](const PlaceEntry& e) { return e.wojewodztwo == *context.home; });
  if (candidates.size() != 1) return std::nullopt;
  return candidates.front();
}

}  // namespace mediateka
