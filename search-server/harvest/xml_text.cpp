#include "harvest/xml_text.h"

#include "pages/html_text.h"

namespace mediateka::server {

std::string xml_escaped(std::string_view text) {
  std::string allowed;
  allowed.reserve(text.size());
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') allowed += c;
  }
  return html_escape(allowed);
}

}  // namespace mediateka::server
