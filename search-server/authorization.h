// Who a request comes from (docs/access.md): anonymous, or an institution holding an access
// token, presented as "Authorization: Bearer TOKEN" or as the session cookie the login page sets.
// The audience found here is handed to every Searcher call, which filters restricted items.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "archive/access/access.h"
#include "archive/access/access_tokens.h"

namespace mediateka::server {

inline constexpr const char* kSessionCookie = "mediateka_session";

struct Authorization {
  enum class Outcome {
    anonymous,   // no token given
    authorised,  // a valid token: `audience` has its groups
    refused,     // a wrong, expired or revoked token: 401
    throttled,   // too many refusals from this address lately: 429, `retry_after` seconds
  };
  Outcome outcome = Outcome::anonymous;
  Audience audience;
  std::string token_id;    // for the log; never the token
  std::string label;       // who holds it (shown on the pages)
  bool librarian = false;  // a librarian's token: sees every item, may use the desk
  bool from_cookie = false;
  int retry_after = 0;
};

// Thread-safe. Checks tokens against the index's (TokenVerifier), reloaded whenever the index
// changes (its generation, IndexReaders::generation()); slows down addresses that keep
// presenting wrong tokens; records when each token was last used (token_use_file()).
class Authorizer {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Authorizer(std::string db_dir);
  ~Authorizer();  // writes the last uses not yet written
  Authorizer(const Authorizer&) = delete;
  Authorizer& operator=(const Authorizer&) = delete;

  // The token in `authorization_header` ("Bearer …") or, failing that, in `cookie_header`.
  Authorization authorize(std::string_view authorization_header, std::string_view cookie_header,
                          const std::string& client, std::uint64_t generation);
  // A token typed into the login form.
  Authorization authorize_token(std::string_view token, const std::string& client,
                                std::uint64_t generation);

  // Reads the tokens again at the next request: the desk made or revoked one, which must hold
  // at once rather than when the commit watcher notices.
  void reload();

  // Failures allowed from one address before it is slowed down, and the longest wait.
  static constexpr int kFreeFailures = 5;
  static constexpr int kMaxWaitSeconds = 300;

 private:
  struct Failures {
    int count = 0;
    Clock::time_point last{};
    Clock::time_point blocked_until{};
  };

  std::shared_ptr<const TokenVerifier> verifier(std::uint64_t generation);
  Authorization check(std::string_view token, const std::string& client, std::uint64_t generation);
  void note_failure(const std::string& client, Clock::time_point now);
  void note_use(const std::string& token_id);
  void write_use_file();  // with mutex_ held

  const std::string db_dir_;
  std::mutex mutex_;
  std::shared_ptr<const TokenVerifier> verifier_;
  std::optional<std::uint64_t> verifier_generation_;
  std::map<std::string, Failures> failures_;
  std::map<std::string, std::int64_t> last_used_;
  Clock::time_point last_flush_{};
  bool uses_unwritten_ = false;
  bool use_file_warned_ = false;
};

// The session cookie's value in a Cookie header, or "".
std::string session_cookie(std::string_view cookie_header);

}  // namespace mediateka::server
