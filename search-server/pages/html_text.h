// Text into HTML: escaping, and snippets (archive/search/snippet.h) with their matching words in
// <mark>. The one place the server turns the archive's plain text into markup: pages, the Atom
// feed and the API's `snippet` fields all go through it.
#pragma once

#include <string>
#include <string_view>

#include "archive/search/snippet.h"

namespace mediateka::server {

// `text` escaped for element content and quoted attribute values: & < > " '.
std::string html_escape(std::string_view text);

// The snippet escaped, its marks in <mark>…</mark>, "… " before and " …" after where its text
// was cut: "… xa1 <mark>pomocy</mark> społecznej …".
std::string snippet_html(const Snippet& snippet);

}  // namespace mediateka::server
