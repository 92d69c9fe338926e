#include "item_places.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "archive/places/gazetteer.h"
#include "archive/places/place_finder.h"
#include "archive/text/analyzer.h"
#include "archive/text/vocabulary.h"

namespace mediateka::indexer {
namespace {

std::optional<std::size_t> home_of(const PlaceSettings& settings) {
  if (settings.home.empty()) return std::nullopt;
  return Gazetteer::instance().wojewodztwo_named(settings.home);
}

// One finder per home województwo, built on first use and shared by the import's threads.
const PlaceFinder& finder_for(std::optional<std::size_t> home) {
  static std::mutex mutex;
  static std::map<std::optional<std::size_t>, std::unique_ptr<PlaceFinder>> finders;
  std::lock_guard<std::mutex> lock(mutex);
  std::unique_ptr<PlaceFinder>& finder = finders[home];
  if (!finder)
    finder = std::make_unique<PlaceFinder>(Gazetteer::instance(), default_analyzer(), home);
  return *finder;
}

// The kind a name the gazetteer does not know seems to be of, by its first word.
PlaceKind kind_as_written(const std::string& written) {
  const std::string key = Vocabulary::key(written);
  if (key.rfind("gmin", 0) == 0) return PlaceKind::gmina;
  if (key.rfind("woj", 0) == 0) return PlaceKind::wojewodztwo;
  return PlaceKind::powiat;
}

void add_place(std::vector<Place>& places, Place place) {
  auto same = [&](const Place& p) {
    return Vocabulary::key(p.name) == Vocabulary::key(place.name);
  };
  if (std::none_of(places.begin(), places.end(), same)) places.push_back(std::move(place));
}

}  // namespace

std::vector<Place> manifest_places(const std::vector<std::string>& written,
                                   const PlaceSettings& settings,
                                   std::vector<std::string>& warnings) {
  const Gazetteer& gazetteer = Gazetteer::instance();
  std::vector<Place> places;
  for (const std::string& name : written) {
    const PlaceMatch match = gazetteer.match(name);
    PlaceContext context;
    context.wojewodztwo = match.wojewodztwo;
    context.gmina_type = match.gmina_type;
    context.home = home_of(settings);
    if (auto place = resolve_place(gazetteer, match.candidates, context)) {
      const PlaceEntry& entry = gazetteer.entry(*place);
      add_place(places, {entry.canonical, entry.kind, false});
      continue;
    }
    if (match.candidates.empty()) {
      warnings.push_back("unknown place '" + name +
                         "' (kept as written, not published until corrected)");
    } else {
      std::string which;
      for (std::size_t candidate : match.candidates)
        which += (which.empty() ? "" : ", ") + gazetteer.entry(candidate).canonical;
      warnings.push_back("ambiguous place '" + name +
                         "' (kept as written, not published until corrected): it may be " + which);
    }
    add_place(places, {name, kind_as_written(name), false, true});
  }
  return places;
}

std::vector<Place> item_places(const Item& item, const std::vector<std::string>& written,
                               const PlaceSettings& settings, std::vector<std::string>& warnings) {
  std::vector<Place> places = manifest_places(written, settings, warnings);
  if (!settings.infer) return places;
  std::string text = item.title;
  for (const std::string* field : {&item.description, &item.series, &item.project}) {
    if (!field->empty()) text += "\n" + *field;
  }
  for (const Segment& segment : item.segments) text += "\n" + segment.text;
  const Gazetteer& gazetteer = Gazetteer::instance();
  for (std::size_t found : finder_for(home_of(settings)).find(text)) {
    const PlaceEntry& entry = gazetteer.entry(found);
    add_place(places, {entry.canonical, entry.kind, true});
  }
  return places;
}

}  // namespace mediateka::indexer
