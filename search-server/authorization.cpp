#include "authorization.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "http/header_text.h"

namespace mediateka::server {
namespace {

constexpr auto kFailureMemory = std::chrono::minutes(15);
constexpr std::size_t kMaxRememberedAddresses = 10000;
constexpr auto kUseFlushInterval = std::chrono::seconds(10);

}  // namespace

std::string session_cookie(std::string_view cookie_header) {
  while (!cookie_header.empty()) {
    const std::size_t end = std::min(cookie_header.find(';'), cookie_header.size());
    const std::string_view pair = trimmed(cookie_header.substr(0, end));
    const std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == kSessionCookie)
      return std::string(pair.substr(equals + 1));
    cookie_header.remove_prefix(std::min(end + 1, cookie_header.size()));
  }
  return "";
}

Authorizer::Authorizer(std::string db_dir) : db_dir_(std::move(db_dir)) {}

std::shared_ptr<const TokenVerifier> Authorizer::verifier(std::uint64_t generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!verifier_ || verifier_generation_ != generation) {
    auto loaded = std::make_shared<TokenVerifier>();
    try {
      loaded->load(db_dir_);
    } catch (const std::exception& error) {
      // No tokens can be checked: every token is refused, anonymous visitors are served.
      spdlog::error("cannot read access tokens: {}", error.what());
    }
    verifier_ = std::move(loaded);
    verifier_generation_ = generation;
  }
  return verifier_;
}

void Authorizer::reload() {
  std::lock_guard<std::mutex> lock(mutex_);
  verifier_generation_.reset();
}

Authorization Authorizer::authorize(std::string_view authorization_header,
                                    std::string_view cookie_header, const std::string& client,
                                    std::uint64_t generation) {
  const std::string_view header = trimmed(authorization_header);
  if (!header.empty()) {
    const std::size_t space = header.find(' ');
    Authorization refused;
    refused.outcome = Authorization::Outcome::refused;
    if (space == std::string_view::npos || !iequals(header.substr(0, space), "Bearer"))
      return refused;  // another scheme, or a bare word: no token of ours
    return check(trimmed(header.substr(space + 1)), client, generation);
  }
  const std::string cookie = session_cookie(cookie_header);
  if (cookie.empty()) return {};
  Authorization found = check(cookie, client, generation);
  found.from_cookie = true;
  return found;
}

Authorization Authorizer::authorize_token(std::string_view token, const std::string& client,
                                          std::uint64_t generation) {
  return check(trimmed(token), client, generation);
}

Authorization Authorizer::check(std::string_view token, const std::string& client,
                                std::uint64_t generation) {
  const Clock::time_point now = Clock::now();
  Authorization result;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = failures_.find(client);
    if (found != failures_.end() && found->second.blocked_until > now) {
      result.outcome = Authorization::Outcome::throttled;
      result.retry_after = static_cast<int>(
          std::chrono::ceil<std::chrono::seconds>(found->second.blocked_until - now).count());
      return result;
    }
  }
  const auto checked = verifier(generation)->verify(token, std::time(nullptr));
  if (!checked) {
    note_failure(client, now);
    result.outcome = Authorization::Outcome::refused;
    return result;
  }
  result.outcome = Authorization::Outcome::authorised;
  result.librarian = checked->role == TokenRole::librarian;
  result.audience = result.librarian ? Audience::everyone() : Audience{checked->groups, false};
  result.token_id = checked->id;
  result.label = checked->label;
  note_use(checked->id);
  return result;
}

void Authorizer::note_failure(const std::string& client, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failures_.size() >= kMaxRememberedAddresses) {
    for (auto it = failures_.begin(); it != failures_.end();)
      it = now - it->second.last > kFailureMemory ? failures_.erase(it) : std::next(it);
    if (failures_.size() >= kMaxRememberedAddresses) failures_.erase(failures_.begin());
  }
  Failures& failures = failures_[client];
  if (now - failures.last > kFailureMemory) failures.count = 0;
  failures.last = now;
  ++failures.count;
  // After the free ones, each failure doubles the wait: 1 s, 2 s, 4 s, ... up to 5 minutes.
  if (failures.count > kFreeFailures) {
    const int doublings = std::min(failures.count - kFreeFailures - 1, 9);
    failures.blocked_until = now + std::chrono::seconds(std::min(1 << doublings, kMaxWaitSeconds));
  }
}

Authorizer::~Authorizer() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (uses_unwritten_) write_use_file();
}

void Authorizer::note_use(const std::string& token_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  last_used_[token_id] = static_cast<std::int64_t>(std::time(nullptr));
  uses_unwritten_ = true;
  const Clock::time_point now = Clock::now();
  if (now - last_flush_ < kUseFlushInterval) return;
  last_flush_ = now;
  write_use_file();
}

void Authorizer::write_use_file() {
  uses_unwritten_ = false;
  // Written whole to a temporary file and renamed, so `mediateka-index token list` never reads
  // half of it. The index's folder may be read-only for the server: then the times are lost.
  const std::string file = token_use_file(db_dir_);
  const std::string temporary = file + ".tmp" + std::to_string(getpid());
  nlohmann::json times(last_used_);
  std::ofstream out(temporary, std::ios::trunc);
  out << times.dump() << '\n';
  std::error_code error;
  if (out.close(), !out || (std::filesystem::rename(temporary, file, error), error)) {
    std::filesystem::remove(temporary, error);
    if (!use_file_warned_) spdlog::warn("cannot record when tokens were used in {}", file);
    use_file_warned_ = true;
  }
}

}  // namespace mediateka::server
