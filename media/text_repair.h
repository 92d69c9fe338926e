// Repairs of text as real documents hand it over: mis-decoded Polish (mojibake), ligatures and
// presentation forms, soft hyphens and odd spaces, words hyphenated at line ends. Every
// extractor passes its text through repair_text() once, so the index, snippets and item pages
// all see the same repaired text.
#pragma once

#include <string>
#include <string_view>

namespace mediateka {
class PolishDictionary;
}

namespace mediateka::media {

// hunspell-pl, loaded on first use (~0.2 s, ~30 MB) and shared by the process; nullptr when the
// dictionary is not installed. Without it nothing is re-decoded and every hyphenated line end
// is joined.
const PolishDictionary* repair_dictionary();

// The best reading of text that was decoded with the wrong code page: Windows-1250 or
// ISO-8859-2 bytes read as Latin-1/Windows-1252 ("spo³eczna", "¿ycie", "œrodowisko"), UTF-8
// read as Latin-1/Windows-1252 ("spoÅ‚eczna") or as Windows-1250 ("spoĹ‚eczna"), and
// Windows-1252 read as Windows-1250. The reading whose words the dictionary knows best wins;
// text that reads best as it is comes back unchanged (returns false).
bool repair_encoding(std::string& text, const PolishDictionary& dictionary);

// NFKC (ligatures such as U+FB01 "ﬁ" become "fi"; full-width and other presentation forms their
// plain letters; no-break and other odd spaces a plain space). Line breaks are kept.
std::string normalize_text(std::string_view text);

// Joins a word hyphenated at a line end: "upraw-\nnienia" becomes "uprawnienia" when the
// dictionary knows the joined word, "polsko-\nniemiecki" stays a compound ("polsko-niemiecki")
// when it does not and the second part is a word. A soft hyphen (U+00AD) always joins.
// Other line breaks are kept.
std::string join_hyphenated_lines(std::string_view text, const PolishDictionary* dictionary);

struct RepairedText {
  std::string text;         // one line, whitespace collapsed
  bool re_decoded = false;  // repair_encoding() changed it
};

// All of the above, in the order that works: the encoding first (NFKC would turn the "³" of
// "spo³eczna" into a "3"), then NFKC, then the line ends, then whitespace collapsed.
// `text` may hold line breaks ('\n'); they matter only for hyphenation.
RepairedText repair_text(std::string_view text);

}  // namespace mediateka::media
