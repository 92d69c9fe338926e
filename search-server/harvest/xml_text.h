// Text for the XML the server writes (sitemaps, the Atom feed): escaping that also drops what
// XML 1.0 does not allow; and, from archive/text/clock_text.h, utc_timestamp() for their dates.
#pragma once

#include <string>
#include <string_view>

#include "archive/text/clock_text.h"

namespace mediateka::server {

// `text` escaped for element content and quoted attribute values (as html_escape: & < > " '),
// without the control characters XML 1.0 forbids (all below U+0020 but tab, line feed and
// carriage return).
// Broken UTF-8 is left as it is: repair the whole document (utf8.h) after.
std::string xml_escaped(std::string_view text);

}  // namespace mediateka::server
