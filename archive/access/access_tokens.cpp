#include "archive/access/access_tokens.h"

#include <sodium.h>
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "archive/access/access.h"
#include "archive/index/audience_databases.h"
#include "archive/index/xapian_errors.h"

namespace mediateka {
namespace {

constexpr const char* kKeyPrefix = "mediateka:token:";
constexpr const char* kTokenPrefix = "mtk_";
constexpr std::size_t kIdBytes = 6;
constexpr std::size_t kSecretBytes = 32;

void start_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
}

std::string hex(const unsigned char* bytes, std::size_t size) {
  std::string text(size * 2 + 1, '\0');
  sodium_bin2hex(text.data(), text.size(), bytes, size);
  text.pop_back();
  return text;
}

std::string hash_of(std::string_view secret) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size(), nullptr, 0);
  return hex(digest, sizeof digest);
}

bool valid_date(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (date[i] < '0' || date[i] > '9') return false;
  std::tm parts{};
  parts.tm_year = std::stoi(date.substr(0, 4)) - 1900;
  parts.tm_mon = std::stoi(date.substr(5, 2)) - 1;
  parts.tm_mday = std::stoi(date.substr(8, 2));
  std::tm normalised = parts;
  timegm(&normalised);
  return normalised.tm_mday == parts.tm_mday && normalised.tm_mon == parts.tm_mon;
}

nlohmann::json to_json(const AccessToken& token) {
  return {{"label", token.label},     {"role", to_string(token.role)}, {"groups", token.groups},
          {"expires", token.expires}, {"created", token.created},      {"hash", token.secret_hash}};
}

AccessToken from_json(const std::string& id, const nlohmann::json& json) {
  AccessToken token;
  token.id = id;
  token.label = json.value("label", std::string());
  // Records written before roles existed are readers'; an unknown role grants nothing more.
  if (value_named(kTokenRoleNames, json.value("role", std::string())) == TokenRole::librarian)
    token.role = TokenRole::librarian;
  token.groups = json.value("groups", std::vector<std::string>());
  token.expires = json.value("expires", std::string());
  token.created = json.value("created", std::int64_t{0});
  token.secret_hash = json.value("hash", std::string());
  return token;
}

std::map<std::string, AccessToken> read_tokens(const Xapian::Database& db) {
  std::map<std::string, AccessToken> tokens;
  const std::string prefix = kKeyPrefix;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    const std::string value = db.get_metadata(*it);
    if (value.empty()) continue;
    try {
      const std::string id = (*it).substr(prefix.size());
      tokens.emplace(id, from_json(id, nlohmann::json::parse(value)));
    } catch (const nlohmann::json::exception&) {
      // a damaged record grants nothing
    }
  }
  return tokens;
}

Xapian::WritableDatabase open_existing(const std::string& db_dir) {
  if (!std::filesystem::exists(db_dir)) throw TokenError("no index at " + db_dir);
  return Xapian::WritableDatabase(public_database(db_dir), Xapian::DB_OPEN);
}

}  // namespace

bool AccessToken::expired(std::int64_t now) const {
  if (expires.empty()) return false;
  std::tm day{};
  day.tm_year = std::stoi(expires.substr(0, 4)) - 1900;
  day.tm_mon = std::stoi(expires.substr(5, 2)) - 1;
  day.tm_mday = std::stoi(expires.substr(8, 2)) + 1;  // valid through the whole day
  return now >= static_cast<std::int64_t>(timegm(&day));
}

std::string_view to_string(TokenRole role) {
  return name_of(kTokenRoleNames, role, TokenRole::reader);
}

namespace {

NewToken store_new_token(const std::string& db_dir, TokenRole role,
                         const std::vector<std::string>& groups, const std::string& label,
                         const std::string& expires, std::int64_t now) {
  return translating_errors([&] {
    start_sodium();
    if (label.empty()) throw TokenError("a token needs a --label saying who holds it");
    if (!expires.empty() && !valid_date(expires))
      throw TokenError("--expires '" + expires + "' is not a date YYYY-MM-DD");
    if (!expires.empty()) {
      AccessToken probe;
      probe.expires = expires;
      if (probe.expired(now))
        throw TokenError("--expires " + expires +
                         " is already past: the token would never work (give a later day, or "
                         "no --expires for a token that does not expire)");
    }

    Xapian::WritableDatabase db = open_existing(db_dir);
    NewToken made;
    unsigned char id_bytes[kIdBytes], secret[kSecretBytes];
    do {
      randombytes_buf(id_bytes, sizeof id_bytes);
      made.record.id = hex(id_bytes, sizeof id_bytes);
    } while (!db.get_metadata(kKeyPrefix + made.record.id).empty());
    randombytes_buf(secret, sizeof secret);
    char encoded[sodium_base64_ENCODED_LEN(kSecretBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(encoded, sizeof encoded, secret, sizeof secret,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(secret, sizeof secret);
    made.record.label = label;
    made.record.role = role;
    made.record.groups = groups;
    made.record.expires = expires;
    made.record.created = now;
    made.record.secret_hash = hash_of(encoded);
    made.token = kTokenPrefix + made.record.id + "_" + encoded;
    sodium_memzero(encoded, sizeof encoded);

    db.set_metadata(kKeyPrefix + made.record.id, to_json(made.record).dump());
    db.commit();
    return made;
  });
}

}  // namespace

NewToken create_token(const std::string& db_dir, const std::vector<std::string>& groups,
                      const std::string& label, const std::string& expires, std::int64_t now) {
  if (groups.empty()) throw TokenError("a token needs at least one --group");
  std::vector<std::string> names;
  for (const std::string& group : groups) {
    if (!is_valid_group_name(group))
      throw TokenError("'" + group +
                       "' is not a group name (1-64 characters of a-z, 0-9, - and _)");
    if (std::find(names.begin(), names.end(), group) == names.end()) names.push_back(group);
  }
  return store_new_token(db_dir, TokenRole::reader, names, label, expires, now);
}

NewToken create_librarian_token(const std::string& db_dir, const std::string& label,
                                const std::string& expires, std::int64_t now) {
  return store_new_token(db_dir, TokenRole::librarian, {}, label, expires, now);
}

bool revoke_token(const std::string& db_dir, const std::string& id) {
  return translating_errors([&] {
    Xapian::WritableDatabase db = open_existing(db_dir);
    if (id.empty() || db.get_metadata(kKeyPrefix + id).empty()) return false;
    db.set_metadata(kKeyPrefix + id, "");
    db.commit();
    return true;
  });
}

std::vector<AccessToken> list_tokens(const std::string& db_dir) {
  return translating_errors([&] {
    if (!std::filesystem::exists(db_dir)) throw TokenError("no index at " + db_dir);
    const std::map<std::string, AccessToken> tokens =
        read_tokens(Xapian::Database(public_database(db_dir)));
    nlohmann::json uses = nlohmann::json::object();
    if (std::ifstream in(token_use_file(db_dir)); in) {
      try {
        uses = nlohmann::json::parse(in);
      } catch (const nlohmann::json::exception&) {
        // a half-written or damaged use file only loses the last-used times
      }
    }
    std::vector<AccessToken> list;
    for (const auto& [id, token] : tokens) {
      list.push_back(token);
      if (uses.is_object() && uses.contains(id) && uses[id].is_number_integer())
        list.back().last_used = uses[id].get<std::int64_t>();
    }
    std::sort(list.begin(), list.end(), [](const AccessToken& a, const AccessToken& b) {
      return a.created != b.created ? a.created < b.created : a.id < b.id;
    });
    return list;
  });
}

std::string token_use_file(const std::string& db_dir) {
  std::string db = db_dir;
  while (db.size() > 1 && db.back() == '/') db.pop_back();
  return db + "-token-use.json";
}

void TokenVerifier::load(const std::string& db_dir) {
  translating_errors([&] {
    start_sodium();
    by_id_ = read_tokens(Xapian::Database(public_database(db_dir)));
  });
}

std::optional<AccessToken> TokenVerifier::verify(std::string_view token, std::int64_t now) const {
  const std::string_view prefix = kTokenPrefix;
  if (token.size() < prefix.size() + kIdBytes * 2 + 2 || token.substr(0, prefix.size()) != prefix)
    return std::nullopt;
  const std::string id(token.substr(prefix.size(), kIdBytes * 2));
  if (token[prefix.size() + kIdBytes * 2] != '_') return std::nullopt;
  const std::string_view secret = token.substr(prefix.size() + kIdBytes * 2 + 1);
  const auto found = by_id_.find(id);
  // The hash is computed whether or not the id exists, so that timing does not tell them apart.
  const std::string presented = hash_of(secret);
  if (found == by_id_.end() || found->second.secret_hash.size() != presented.size())
    return std::nullopt;
  if (sodium_memcmp(presented.data(), found->second.secret_hash.data(), presented.size()) != 0)
    return std::nullopt;
  if (found->second.expired(now)) return std::nullopt;
  return found->second;
}

}  // namespace mediateka
