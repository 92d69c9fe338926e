// A snippet (archive/search/snippet.h) written out for the archive's tests to compare: its marks in
// <mark>…</mark> and "… " / " …" where its text was cut, as the server shows it, but unescaped
// (the tests' texts hold nothing to escape; the server's rendering is tested with html_text.h).
#pragma once

#include <string>

#include "archive/search/snippet.h"

namespace mediateka::test {

inline std::string marked(const Snippet& snippet) {
  std::string out = snippet.cut_before ? "… " : "";
  std::size_t cursor = 0;
  for (const Snippet::Mark& mark : snippet.marks) {
    out += snippet.text.substr(cursor, mark.begin - cursor) + "<mark>" +
           snippet.text.substr(mark.begin, mark.end - mark.begin) + "</mark>";
    cursor = mark.end;
  }
  out += snippet.text.substr(cursor);
  if (snippet.cut_after) out += " …";
  return out;
}

}  // namespace mediateka::test
