#include "pages/html_text.h"

namespace mediateka::server {
namespace {

void append_html_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  append_html_escaped(out, text);
  return out;
}

std::string snippet_html(const Snippet& snippet) {
  const std::string_view text = snippet.text;
  std::string out;
  out.reserve(text.size() + 64);
  if (snippet.cut_before) out += "… ";
  std::size_t cursor = 0;
  for (const Snippet::Mark& mark : snippet.marks) {
    // Marks beyond the text (never made by the archive) are left unmarked.
    if (mark.begin < cursor || mark.end < mark.begin || mark.end > text.size()) continue;
    append_html_escaped(out, text.substr(cursor, mark.begin - cursor));
    out += "<mark>";
    append_html_escaped(out, text.substr(mark.begin, mark.end - mark.begin));
    out += "</mark>";
    cursor = mark.end;
  }
  append_html_escaped(out, text.substr(cursor));
  if (snippet.cut_after) out += " …";
  return out;
}

}  // namespace mediateka::server
