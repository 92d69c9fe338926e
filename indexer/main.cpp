// mediateka-index: bulk import, removal, look-ups, history and statistics (docs/api.md).
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "archive/access/access_tokens.h"
#include "commands.h"
#include "logging.h"

using namespace mediateka::indexer;

namespace {

void add_common_options(CLI::App& command, CommonOptions& options) {
  command.add_option("--config", options.config_path,
                     "configuration file; without it config/mediateka.toml, then "
                     "$MEDIATEKA_CONFIG, then /etc/mediateka/mediateka.toml, else built-in "
                     "defaults");
  command.add_option("--db", options.db, "index folder, overriding the configuration");
}

std::vector<std::string> token_role_names() {
  std::vector<std::string> names;
  for (const auto& [role, name] : mediateka::kTokenRoleNames) names.emplace_back(name);
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  // Diagnostics (warnings, failures, errors) go through the logger; results and the import's
  // progress and summary are the commands' own output.
  mediateka::logging::start("mediateka-index");
  CLI::App app{"mediateka-index: bulk import, removal and statistics of the Mediateka archive"};
  app.require_subcommand(1);

  ImportOptions import_options;
  CLI::App* import = app.add_subcommand("import", "import files, folders, URLs or a manifest");
  add_common_options(*import, import_options.common);
  import->add_option("--manifest", import_options.manifest, "manifest FILE.csv or FILE.jsonl")
      ->check(CLI::ExistingFile);
  import->add_option("--jobs", import_options.jobs, "extract on N threads")
      ->check(CLI::Range(1u, 64u));
  import->add_flag("--dry-run", import_options.dry_run, "print the plan, write nothing");
  import->add_option("--report", import_options.report_path, "write a JSON report to FILE");
  import->add_flag("--prune", import_options.prune,
                   "remove items whose file is gone from under the given folders or the "
                   "manifest's folder");
  import->add_flag("--retry-failed", import_options.retry_failed,
                   "attempt sources that failed before, even when unchanged");
  import->add_flag("--quiet", import_options.quiet, "no progress line or summary");
  import->add_option("--batch", import_options.batch, "commit every N items (default 100)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  import
      ->add_option("--names-from", import_options.names_from,
                   "keep the ids and slugs that the index DIR gives the same sources")
      ->option_text("DIR");
  import
      ->add_option("--encoding", import_options.encoding,
                   "the CSV manifest's encoding, utf-8 or windows-1250 (default: detected)")
      ->option_text("NAME");
  import
      ->add_option("--separator", import_options.separator,
                   "the CSV manifest's separator, ',' or ';' (default: from the header line)")
      ->option_text("CHAR");
  import->add_option("sources", import_options.inputs, "files, folders and http(s) URLs");

  CommonOptions remove_options;
  std::vector<std::string> ids;
  CLI::App* remove = app.add_subcommand("remove", "remove items by id or slug");
  add_common_options(*remove, remove_options);
  remove->add_option("items", ids, "item ids or slugs")->required();

  CommonOptions show_options;
  std::string show_name;
  CLI::App* show = app.add_subcommand("show", "print one item's JSON");
  add_common_options(*show, show_options);
  show->add_option("item", show_name, "the item's id or slug")->required();

  CommonOptions find_options;
  std::vector<std::string> find_words;
  bool find_json = false;
  CLI::App* find = app.add_subcommand("find", "items whose titles have every word of TEXT");
  add_common_options(*find, find_options);
  find->add_flag("--json", find_json, "print JSON");
  find->add_option("text", find_words, "words of the title")->required();

  CommonOptions runs_options;
  bool runs_json = false;
  CLI::App* runs = app.add_subcommand("runs", "past imports: when, who, what they did");
  add_common_options(*runs, runs_options);
  runs->add_flag("--json", runs_json, "print JSON");
  CommonOptions run_show_options;
  int run_number = 0;
  CLI::App* run_show = runs->add_subcommand("show", "print the report of import N");
  add_common_options(*run_show, run_show_options);
  run_show->add_option("number", run_number, "the run's number (as runs lists it)")->required();

  CommonOptions stats_options;
  bool stats_json = false;
  CLI::App* stats = app.add_subcommand("stats", "counts of items by type, campaign and year");
  add_common_options(*stats, stats_options);
  stats->add_flag("--json", stats_json, "print JSON");

  CLI::App* token = app.add_subcommand("token", "access tokens for restricted materials");
  token->require_subcommand(1);
  TokenCreateOptions create_options;
  CLI::App* create = token->add_subcommand("create", "make a token; prints it once");
  add_common_options(*create, create_options.common);
  create->add_option("--group", create_options.groups, "a group a reader's token may see (repeat)");
  create
      ->add_option("--role", create_options.role,
                   "reader (the default: needs --group) or librarian")
      ->check(CLI::IsMember(token_role_names()));
  create->add_option("--label", create_options.label, "who holds it, e.g. \"Gmina Wyszków\"")
      ->required();
  create->add_option("--expires", create_options.expires, "last day it is valid, YYYY-MM-DD");
  CommonOptions list_options;
  bool list_json = false;
  CLI::App* list = token->add_subcommand("list", "the tokens, never their secrets");
  add_common_options(*list, list_options);
  list->add_flag("--json", list_json, "print JSON");
  CommonOptions revoke_options;
  std::string revoke_id;
  CLI::App* revoke = token->add_subcommand("revoke", "revoke a token by its id");
  add_common_options(*revoke, revoke_options);
  revoke->add_option("id", revoke_id, "the token's id")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    app.exit(error);
    return kExitUsage;
  }

  if (*import) return import_command(import_options, std::cout, std::cerr);
  if (*remove) return remove_command(remove_options, ids, std::cout, std::cerr);
  if (*show) return show_command(show_options, show_name, std::cout, std::cerr);
  if (*find) {
    std::string text;
    for (const std::string& word : find_words) text += (text.empty() ? "" : " ") + word;
    return find_command(find_options, text, find_json, std::cout, std::cerr);
  }
  if (*run_show) {
    // `runs --db X show N` as well as `runs show N --db X`
    if (run_show_options.db.empty()) run_show_options.db = runs_options.db;
    if (run_show_options.config_path.empty())
      run_show_options.config_path = runs_options.config_path;
    return run_show_command(run_show_options, run_number, std::cout, std::cerr);
  }
  if (*runs) return runs_command(runs_options, runs_json, std::cout, std::cerr);
  if (*create) return token_create_command(create_options, std::cout, std::cerr);
  if (*list) return token_list_command(list_options, list_json, std::cout, std::cerr);
  if (*revoke) return token_revoke_command(revoke_options, revoke_id, std::cout, std::cerr);
  return stats_command(stats_options, stats_json, std::cout, std::cerr);
}
