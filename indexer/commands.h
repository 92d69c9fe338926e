// The subcommands of mediateka-index, apart from parsing the command line (main.cpp).
// Results go to `out`; `err` takes what a command says that is not a log line (an import's
// progress, summary and run number, what find left out); warnings and errors are logged
// (logging/logging.h), as plain "mediateka-index: ..." lines on a terminal.
// Each returns the process exit status of docs/api.md:
// 0 success; 1 some sources failed or some ids were unknown; 2 usage or configuration
// error, or the index could not be opened (then nothing was written).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "archive/config.h"
#include "media_settings.h"

namespace mediateka::indexer {

inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeFailed = 1;
inline constexpr int kExitUsage = 2;
// An import stopped by SIGINT or SIGTERM exits 128 + the signal (130, 143), as shells report a
// program killed by it, after committing what it had done.

struct CommonOptions {
  std::string config_path;  // --config, which must exist; empty: find_config() (config.h)
  std::string db;           // --db, overriding the config when not empty
  // Where the built-in defaults are looked for after $MEDIATEKA_CONFIG; tests change it.
  std::string system_config = kSystemConfig;
};

struct Settings {
  Config config;
  media::MediaSettings media;  // [ocr], [extraction]: how imports read files
  std::string file;            // the configuration file read; "" when the built-in defaults apply
  bool db_named = false;       // --db or a configuration file says where the index is
};

// The configuration the options name, else the first one find_config() finds, else built-in
// defaults. Throws ConfigError.
Settings load_settings(const CommonOptions& options);
// What a command says on stderr about it: "mediateka-index: configuration FILE" or that the
// built-in defaults apply and where it looked.
std::string settings_origin(const Settings& settings);

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
// Removes items named by id or slug; 1 when one of them names no item.
int remove_command(const CommonOptions& options, const std::vector<std::string>& names,
                   std::ostream& out, std::ostream& err);
// Prints the stored JSON of the item named by id or slug; 1 when there is none.
int show_command(const CommonOptions& options, const std::string& name, std::ostream& out,
                 std::ostream& err);
// Lists the items whose titles match TEXT (every word, in any inflected form), restricted ones
// included: id, slug, title, year; one line each, or a JSON array.
int find_command(const CommonOptions& options, const std::string& text, bool json,
                 std::ostream& out, std::ostream& err);
// Past imports (run_history.h): one line each, or a JSON array.
int runs_command(const CommonOptions& options, bool json, std::ostream& out, std::ostream& err);
// Prints run N's report; 1 when there is no such run.
int run_show_command(const CommonOptions& options, int number, std::ostream& out,
                     std::ostream& err);
int stats_command(const CommonOptions& options, bool json, std::ostream& out, std::ostream& err);

// Access tokens for restricted materials (archive/access/access_tokens.h, docs/access.md).
struct TokenCreateOptions {
  CommonOptions common;
  std::vector<std::string> groups;
  std::string label;
  std::string expires;          // YYYY-MM-DD or empty
  std::string role = "reader";  // or "librarian": sees every item, may use the desk; no groups
};
// Prints {"id": "...", "token": "..."}: the only time the token is shown. Refuses an expiry
// already past (exit 2); warns about a group that no item has.
int token_create_command(const TokenCreateOptions& options, std::ostream& out, std::ostream& err);
// Never prints a token: id, label, groups, expiry, created and last used.
int token_list_command(const CommonOptions& options, bool json, std::ostream& out,
                       std::ostream& err);
// 1 when no token has that id.
int token_revoke_command(const CommonOptions& options, const std::string& id, std::ostream& out,
                         std::ostream& err);

}  // namespace mediateka::indexer
