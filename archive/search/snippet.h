// A snippet: a few words cut from an item's text, the words that match the query marked. Plain
// text and byte ranges, no markup: whoever shows it renders it in its own format (the server's
// HTML: search-server/pages/html_text.h).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mediateka {

struct Snippet {
  // A matching word: text.substr(begin, end - begin).
  struct Mark {
    std::size_t begin = 0, end = 0;
    bool operator==(const Mark& other) const { return begin == other.begin && end == other.end; }
  };

  std::string text;         // UTF-8, as stored (a text cut at 200 bytes may end mid-character)
  std::vector<Mark> marks;  // ascending, not overlapping
  bool cut_before = false;  // the text goes on before `text` ("… " when shown)
  bool cut_after = false;   // and after it (" …")

  bool empty() const { return text.empty(); }
  bool operator==(const Snippet& other) const {
    return text == other.text && marks == other.marks && cut_before == other.cut_before &&
           cut_after == other.cut_after;
  }
  bool operator!=(const Snippet& other) const { return !(*this == other); }
};

}  // namespace mediateka
