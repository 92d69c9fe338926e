// The gazetteer (archive/places/gazetteer.h): its counts, unique names, inflected forms and
// matching of names as librarians write them; and place inference (archive/places/place_finder.h),
// measured on a labelled sample of sentences (tests/fixtures/places/sentences.tsv).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "archive/places/gazetteer.h"
#include "archive/places/place_finder.h"
#include "archive/places/place_forms.h"
#include "archive/text/analyzer.h"
#include "archive/text/vocabulary.h"

namespace mediateka {
namespace {

const Gazetteer& gazetteer() { return Gazetteer::instance(); }

size_t count(PlaceKind kind, bool city, const std::string& woj_code = "") {
  size_t n = 0;
  for (const PlaceEntry& entry : gazetteer().entries()) {
    if (entry.kind == kind && entry.city == city && entry.code.rfind(woj_code, 0) == 0) ++n;
  }
  return n;
}

// The canonical name `written` resolves to, or "" (none or ambiguous), home mazowieckie.
std::string matched(const std::string& written, bool with_home = true) {
  const PlaceMatch match = gazetteer().match(written);
  PlaceContext context;
  context.wojewodztwo = match.wojewodztwo;
  context.gmina_type = match.gmina_type;
  if (with_home) context.home = gazetteer().wojewodztwo_named("mazowieckie");
  auto place = resolve_place(gazetteer(), match.candidates, context);
  return place ? gazetteer().entry(*place).canonical : std::string();
}

TEST(Gazetteer, HoldsEveryWojewodztwoAndPowiatOfTercAndTheGminasOfTwoWojewodztwa) {
  EXPECT_EQ(count(PlaceKind::wojewodztwo, false), 16u);
  EXPECT_EQ(count(PlaceKind::powiat, false), 314u);
  EXPECT_EQ(count(PlaceKind::powiat, true), 66u);
  // Mazowieckie has 314 gminas, warmińsko-mazurskie 116; the gminas of the cities with powiat
  // rights (5 and 2) are the cities themselves.
  EXPECT_EQ(count(PlaceKind::gmina, false, "14"), 314u - 5u);
  EXPECT_EQ(count(PlaceKind::gmina, false, "28"), 116u - 2u);
  EXPECT_EQ(count(PlaceKind::gmina, false), 314u - 5u + 116u - 2u);
}

TEST(Gazetteer, CanonicalNamesAreUniqueAndNameTheWojewodztwoOfASharedAdjective) {
  std::set<std::string> keys;
  for (const PlaceEntry& entry : gazetteer().entries()) {
    EXPECT_TRUE(keys.insert(Vocabulary::key(entry.canonical)).second) << entry.canonical;
  }
  for (const char* name : {"powiat grodziski (mazowieckie)",
                           "powiat grodziski (wielkopolskie)",
                           "powiat ostrowski (mazowieckie)",
                           "powiat ostrowski (wielkopolskie)",
                           "powiat nowodworski (mazowieckie)",
                           "powiat nowodworski (pomorskie)",
                           "powiat bielski (podlaskie)",
                           "powiat bielski (śląskie)",
                           "powiat brzeski (opolskie)",
                           "powiat brzeski (małopolskie)",
                           "powiat tomaszowski (lubelskie)",
                           "powiat średzki (dolnośląskie)",
                           "powiat świdnicki (lubelskie)",
                           "powiat krośnieński (lubuskie)",
                           "powiat opolski (opolskie)",
                           "powiat wyszkowski",
                           "powiat warszawski zachodni",
                           "Płock",
                           "Warszawa",
                           "Zielona Góra",
                           "województwo mazowieckie",
                           "województwo warmińsko-mazurskie",
                           "gmina Wyszków",
                           "gmina Płońsk (miejska)",
                           "gmina Płońsk (wiejska)",
                           "gmina Siedlce",
                           "Siedlce"}) {
    EXPECT_TRUE(gazetteer().by_canonical(name)) << name;
  }
  EXPECT_FALSE(gazetteer().by_canonical("powiat grodziski"));
}

TEST(Gazetteer, DeclinesAdjectivesByRule) {
  const std::vector<std::string> forms = adjective_forms("wyszkowski");
  for (const char* form : {"wyszkowski", "wyszkowskiego", "wyszkowskiemu", "wyszkowskim",
                           "wyszkowskie", "wyszkowskich", "wyszkowskimi"}) {
    EXPECT_NE(std::find(forms.begin(), forms.end(), form), forms.end()) << form;
  }
  const std::vector<std::string> two = adjective_forms("warszawski zachodni");
  EXPECT_NE(std::find(two.begin(), two.end(), "warszawskim zachodnim"), two.end());
  EXPECT_NE(std::find(two.begin(), two.end(), "warszawskiego zachodniego"), two.end());
  const std::vector<std::string> woj = adjective_forms("mazowieckie");
  EXPECT_EQ(woj.front(), "mazowiecki");
  EXPECT_NE(std::find(woj.begin(), woj.end(), "mazowieckiego"), woj.end());
  EXPECT_NE(std::find(woj.begin(), woj.end(), "mazowieckim"), woj.end());
  const std::vector<std::string> hard = adjective_forms("nowy");
  EXPECT_NE(std::find(hard.begin(), hard.end(), "nowego"), hard.end());
  EXPECT_NE(std::find(hard.begin(), hard.end(), "nowym"), hard.end());
  EXPECT_EQ(adjective_forms("Płock"), std::vector<std::string>{"Płock"});
}

TEST(Gazetteer, EveryPowiatIsFoundInTheCasesTextsUse) {
  for (const PlaceEntry& entry : gazetteer().entries()) {
    if (entry.kind != PlaceKind::powiat || entry.city) continue;
    for (const std::string& form : adjective_forms(entry.name)) {
      const auto* found = gazetteer().adjective(Vocabulary::key(form));
      ASSERT_NE(found, nullptr) << form;
      EXPECT_NE(std::find(found->begin(), found->end(),
                          static_cast<size_t>(&entry - gazetteer().entries().data())),
                found->end())
          << form;
    }
  }
}

TEST(Gazetteer, MatchesNamesRegardlessOfCaseDiacriticsAndInflection) {
  EXPECT_EQ(matched("powiat wyszkowski"), "powiat wyszkowski");
  EXPECT_EQ(matched("Powiat Wyszkowski"), "powiat wyszkowski");
  EXPECT_EQ(matched("w powiecie wyszkowskim"), "powiat wyszkowski");
  EXPECT_EQ(matched("powiatu wyszkowskiego"), "powiat wyszkowski");
  EXPECT_EQ(matched("wyszkowski"), "powiat wyszkowski");
  EXPECT_EQ(matched("WYSZKOWSKI"), "powiat wyszkowski");
  EXPECT_EQ(matched("powiat warszawski zachodni"), "powiat warszawski zachodni");
  EXPECT_EQ(matched("powiecie warszawskim zachodnim"), "powiat warszawski zachodni");
  EXPECT_EQ(matched("plonski"), "powiat płoński");
  EXPECT_EQ(matched("Płock"), "Płock");
  EXPECT_EQ(matched("m. st. Warszawa"), "Warszawa");
  EXPECT_EQ(matched("mazowieckie"), "województwo mazowieckie");
  EXPECT_EQ(matched("woj. warmińsko-mazurskie"), "województwo warmińsko-mazurskie");
  EXPECT_EQ(matched("województwa warminsko mazurskiego"), "województwo warmińsko-mazurskie");
  EXPECT_EQ(matched("gmina Wyszków"), "gmina Wyszków");
  EXPECT_EQ(matched("Wyszków"), "gmina Wyszków");
  EXPECT_EQ(matched("gmina wiejska Płońsk"), "gmina Płońsk (wiejska)");
  EXPECT_EQ(matched("gmina miejska Płońsk"), "gmina Płońsk (miejska)");
  EXPECT_EQ(matched("miasto Płońsk"), "gmina Płońsk (miejska)");
  EXPECT_EQ(matched("Siedlce"), "Siedlce");
  EXPECT_EQ(matched("gmina Siedlce"), "gmina Siedlce");
  EXPECT_EQ(matched("powiat grodziski (mazowieckie)"), "powiat grodziski (mazowieckie)");
  EXPECT_EQ(matched("Powiat Grodziski (Mazowieckie)"), "powiat grodziski (mazowieckie)");
  EXPECT_EQ(matched("grodziski, wielkopolskie"), "powiat grodziski (wielkopolskie)");
  EXPECT_EQ(matched("powiat grodziski woj. wielkopolskie"), "powiat grodziski (wielkopolskie)");
  // Ambiguous: the home województwo decides, else nothing.
  EXPECT_EQ(matched("powiat grodziski"), "powiat grodziski (mazowieckie)");
  EXPECT_EQ(matched("powiat grodziski", false), "");
  EXPECT_EQ(matched("powiat brzeski"), "");
  EXPECT_EQ(matched("powiat nieistniejący"), "");
  EXPECT_EQ(matched("Atlantyda"), "");
}

// The labelled sample: every sentence with the places it names.
struct Labelled {
  std::string sentence;
  std::set<std::string> places;
};

std::vector<Labelled> labelled_sample() {
  std::ifstream in(std::string(MEDIATEKA_SOURCE_DIR) + "/tests/fixtures/places/sentences.tsv");
  std::vector<Labelled> sample;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    Labelled labelled{line.substr(0, tab), {}};
    std::stringstream places(tab == std::string::npos ? "" : line.substr(tab + 1));
    std::string place;
    while (std::getline(places, place, ';')) {
      if (!place.empty()) labelled.places.insert(place);
    }
    sample.push_back(std::move(labelled));
  }
  return sample;
}

TEST(PlaceInference, PrecisionAndRecallOnTheLabelledSample) {
  const std::vector<Labelled> sample = labelled_sample();
  ASSERT_GE(sample.size(), 60u);
  size_t negatives = 0;
  for (const Labelled& labelled : sample) negatives += labelled.places.empty();
  EXPECT_GE(negatives, 15u);
  const PlaceFinder finder(gazetteer(), default_analyzer(),
                           gazetteer().wojewodztwo_named("mazowieckie"));
  size_t true_positives = 0, false_positives = 0, false_negatives = 0;
  for (const Labelled& labelled : sample) {
    std::set<std::string> found;
    for (size_t place : finder.find(labelled.sentence))
      found.insert(gazetteer().entry(place).canonical);
    for (const std::string& place : found) {
      if (labelled.places.count(place)) {
        ++true_positives;
      } else {
        ++false_positives;
        std::printf("wrongly found '%s' in: %s\n", place.c_str(), labelled.sentence.c_str());
      }
    }
    for (const std::string& place : labelled.places) {
      if (!found.count(place)) {
        ++false_negatives;
        std::printf("missed '%s' in: %s\n", place.c_str(), labelled.sentence.c_str());
      }
    }
  }
  const double precision = double(true_positives) / double(true_positives + false_positives);
  const double recall = double(true_positives) / double(true_positives + false_negatives);
  std::printf(
      "place inference on %zu sentences (%zu negatives): %zu found right, %zu wrong, "
      "%zu missed; precision %.3f, recall %.3f\n",
      sample.size(), negatives, true_positives, false_positives, false_negatives, precision,
      recall);
  // The figures of docs/search-quality.md ("Places"): 0.978 and 0.935 when written.
  EXPECT_GE(precision, 0.97);
  EXPECT_GE(recall, 0.93);
}

TEST(PlaceInference, AListAfterOneKindWordYieldsEveryPlace) {
  const PlaceFinder finder(gazetteer(), default_analyzer(),
                           gazetteer().wojewodztwo_named("mazowieckie"));
  std::vector<std::string> found;
  for (size_t place :
       finder.find("Partnerstwo obejmuje powiaty: lipski, siedlecki, warszawski "
                   "zachodni oraz wyszkowski (od 2010 roku); grodziski, kozienicki."))
    found.push_back(gazetteer().entry(place).canonical);
  EXPECT_EQ(found,
            (std::vector<std::string>{"powiat lipski", "powiat siedlecki",
                                      "powiat warszawski zachodni", "powiat wyszkowski",
                                      "powiat grodziski (mazowieckie)", "powiat kozienicki"}));
}

TEST(PlaceInference, WithoutAHomeAnAmbiguousNameAloneIsLeftOut) {
  const PlaceFinder finder(gazetteer(), default_analyzer());
  EXPECT_TRUE(finder.find("Powiat grodziski ma nowy program.").empty());
  EXPECT_EQ(finder.find("Powiat grodziski i powiat wolsztyński mają nowy program.").size(), 2u);
}

}  // namespace
}  // namespace mediateka
