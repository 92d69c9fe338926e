// The inflected forms of the adjective names of powiats and województwa, made by the rules of
// Polish adjective declension rather than listed: "wyszkowski" → "wyszkowskiego", "wyszkowskim",
// "wyszkowskie"...; "mazowieckie" (neuter, as TERC writes a województwo) → "mazowieckiego"...
// Internal to archive/: the gazetteer's only user.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mediateka {

// Every case form of an adjective given in the masculine or neuter nominative singular, lower
// case, the masculine nominative first; each word of a two-word name ("warszawski zachodni")
// declined alike, in step ("warszawskim zachodnim"). Forms of every gender and number, since
// "powiat" is masculine, "województwo" neuter and a list "w powiatach: lipskim, siedleckim" keeps
// the singular. A word that ends in neither -i, -y nor -e is kept as it is.
std::vector<std::string> adjective_forms(std::string_view nominative);

}  // namespace mediateka
