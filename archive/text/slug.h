// Identifiers that campaign teams put in links: stable ids and readable slugs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mediateka {

// Lower-case ASCII rendering of UTF-8 text: Polish letters transliterated
// (ł → l, ż → z, ...), other Latin letters stripped of their marks, anything
// else (dashes, other scripts) turned into a space.
std::string transliterate_ascii(std::string_view text);

// "Łódź – reportaż" → "lodz-reportaz": transliterated, runs of anything but
// [a-z0-9] collapsed to one '-', trimmed, at most 80 characters cut at a '-'.
// Never empty: text with no letters or digits gives "item".
std::string slugify(std::string_view text);

// FNV-1a, 64 bits: a hash that is the same on every platform and in every version, for
// identifiers that must not change (item ids, shortened terms, asset versions).
std::uint64_t fnv1a_64(std::string_view bytes);

// A new item's id, derived from the key of its source (a relative path or a URL)
// when it is first imported: 12 characters of [a-z0-9]. Stored ids are never recomputed.
std::string make_item_id(std::string_view source_key);

// A valid id or slug as accepted in URLs: 1–120 characters of [a-z0-9_-].
bool is_valid_identifier(std::string_view text);

}  // namespace mediateka
