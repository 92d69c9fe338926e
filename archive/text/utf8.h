// UTF-8 checking and repair, the one definition the programs share: what counts as valid
// (no overlong forms, no surrogates, nothing past U+10FFFF) and how a broken sequence is
// replaced (one U+FFFD for its lead byte and the continuation bytes that fitted, as
// nlohmann::json's error_handler_t::replace and the Unicode standard's "maximal subpart" do).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mediateka {

// The UTF-8 sequence at the start of non-empty `text`: its length when valid; when broken,
// how many bytes one U+FFFD replaces (at least 1).
struct Utf8Sequence {
  std::size_t length = 0;
  bool valid = false;
};
Utf8Sequence utf8_sequence(std::string_view text);

bool is_valid_utf8(std::string_view text);

// `text` with every broken sequence replaced by U+FFFD; valid text comes back unchanged.
std::string repaired_utf8(std::string text);

}  // namespace mediateka
