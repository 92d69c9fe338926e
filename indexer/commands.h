// The subcommands of mediateka-index, apart from parsing the command line (main.cpp).
// Each returns the process exit status of shared/spec/api.md:
// 0 success; 1 some sources failed or some ids were unknown; 2 usage or configuration
// error, or the index could not be opened (then nothing was written).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "config.h"

namespace mediateka::indexer {

inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeFailed = 1;
inline constexpr int kExitUsage = 2;
// An import stopped by SIGINT or SIGTERM exits 128 + the signal (130, 143), as shells report a
// program killed by it, after committing what it had done.

struct CommonOptions {
  std::string config_path = "config/mediateka.toml";
  bool config_given = false;  // an explicit --config must exist; the default may be absent
  std::string db;             // --db, overriding the config when not empty
};

// The configuration the options name; built-in defaults when the default file is absent.
// Throws ConfigError.
Config load_settings(const CommonOptions& options);

struct ImportOptions {
  CommonOptions common;
  std::vector<std::string> inputs;  // paths and URLs
  std::string manifest;
  unsigned jobs = 1;
  bool dry_run = false;
  bool prune = false;
  bool retry_failed = false;
  bool quiet = false;
  std::size_t batch = 100;  // --batch: commit every N items
  std::string report_path;
  std::string names_from;  // --names-from DIR: keep the ids and slugs of the index there
  std::string encoding;    // --encoding utf-8|windows-1250; empty: detected
  std::string separator;   // --separator ','|';'; empty: detected from the header line
};

int import_command(const ImportOptions& options, std::ostream& out, std::ostream& err);
int remove_command(const CommonOptions& options, const std::vector<std::string>& ids,
                   std::ostream& out, std::ostream& err);
int stats_command(const CommonOptions& options, bool json, std::ostream& out, std::ostream& err);

// Access tokens for restricted materials (archive/access_tokens.h, docs/access.md).
struct TokenCreateOptions {
  CommonOptions common;
  std::vector<std::string> groups;
  std::string label;
  std::string expires;  // YYYY-MM-DD or empty
};
// Prints {"id": "...", "token": "..."}: the only time the token is shown.
int token_create_command(const TokenCreateOptions& options, std::ostream& out, std::ostream& err);
// Never prints a token: id, label, groups, expiry, created and last used.
int token_list_command(const CommonOptions& options, bool json, std::ostream& out,
                       std::ostream& err);
// 1 when no token has that id.
int token_revoke_command(const CommonOptions& options, const std::string& id, std::ostream& out,
                         std::ostream& err);

}  // namespace mediateka::indexer
