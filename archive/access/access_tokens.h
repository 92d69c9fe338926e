// Access tokens for restricted materials (docs/access.md): made and revoked by librarians with
// `mediateka-index token`, checked by the server on every authorised request.
//
// A token reads "mtk_<id>_<secret>": the id names it (in lists, logs and revocations), the
// secret is 32 random bytes (256 bits) in unpadded base64url. Only a BLAKE2b hash of the secret
// is stored, in the index's metadata beside the items, so a new or revoked token reaches the
// server the way a commit does. A server keeps when each token was last used in a file of its
// own beside the index (the index itself stays read-only for it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "archive/text/enum_names.h"

namespace mediateka {

// A reader sees the public items and those of its groups; a librarian sees every item and may
// use the librarian's desk (docs/desk.md).
enum class TokenRole { reader, librarian };
inline constexpr NameTable<TokenRole, 2> kTokenRoleNames{
    {{TokenRole::reader, "reader"}, {TokenRole::librarian, "librarian"}}};

std::string_view to_string(TokenRole role);

struct AccessToken {
  std::string id;  // 12 lower-case hex digits
  std::string label;
  TokenRole role = TokenRole::reader;
  std::vector<std::string> groups;  // a reader's; none for a librarian
  std::string expires;         // "YYYY-MM-DD": valid to the end of that day (UTC); "" never expires
  std::int64_t created = 0;    // seconds since the epoch
  std::int64_t last_used = 0;  // seconds since the epoch, 0 never (from the server's use file)
  std::string secret_hash;     // hex BLAKE2b-256 of the secret; never printed

  bool expired(std::int64_t now) const;
};

struct TokenError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What `create` hands out: the token itself, shown this once, and its record.
struct NewToken {
  std::string token;
  AccessToken record;
};

// `groups` must be valid group names (access.h), at least one; `expires` "" or YYYY-MM-DD, not
// before the day of `now` (UTC).
// Throws TokenError for bad arguments, IndexError (index_error.h) for the index's (IndexLocked
// while another program writes it); so do the other functions here.
NewToken create_token(const std::string& db_dir, const std::vector<std::string>& groups,
                      const std::string& label, const std::string& expires, std::int64_t now);
// A librarian's token: no groups (a librarian sees every item); the same rules for the rest.
NewToken create_librarian_token(const std::string& db_dir, const std::string& label,
                                const std::string& expires, std::int64_t now);
// False when no token has that id.
bool revoke_token(const std::string& db_dir, const std::string& id);
// Every token, by creation time; last_used from the use file when there is one.
std::vector<AccessToken> list_tokens(const std::string& db_dir);

// Where a server records when tokens were last used: "<db>-token-use.json".
std::string token_use_file(const std::string& db_dir);

// The tokens of one index, as the server checks them. Not thread-safe to load while checking:
// each server thread keeps its own, reloaded when its index reopens.
class TokenVerifier {
 public:
  // Reads the tokens from the index's metadata (db_dir as for Xapian::Database).
  void load(const std::string& db_dir);

  // The token's record when `token` is one of them, unexpired at `now`; nullopt otherwise. The
  // secret is compared in constant time.
  std::optional<AccessToken> verify(std::string_view token, std::int64_t now) const;

  bool empty() const { return by_id_.empty(); }

 private:
  std::map<std::string, AccessToken> by_id_;
};

}  // namespace mediateka
