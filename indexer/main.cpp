// mediateka-index: bulk import, removal and statistics (shared/spec/api.md).
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.h"
#include "logging.h"

using namespace mediateka::indexer;

namespace {

void add_common_options(CLI::App& command, CommonOptions& options) {
  command
      .add_option("--config", options.config_path,
                  "configuration file (default config/mediateka.toml; built-in defaults when "
                  "that file is absent)")
      ->each([&options](const std::string&) { options.config_given = true; });
  command.add_option("--db", options.db, "index folder, overriding the configuration");
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
  import->add_option("sources", import_options.inputs, "files, folders and http(s) URLs");

  CommonOptions remove_options;
  std::vector<std::string> ids;
  CLI::App* remove = app.add_subcommand("remove", "remove items by id");
  add_common_options(*remove, remove_options);
  remove->add_option("ids", ids, "item ids")->required();

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
  create->add_option("--group", create_options.groups, "a group the token may see (repeat)")
      ->required();
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
  if (*create) return token_create_command(create_options, std::cout, std::cerr);
  if (*list) return token_list_command(list_options, list_json, std::cout, std::cerr);
  if (*revoke) return token_revoke_command(revoke_options, revoke_id, std::cout, std::cerr);
  return stats_command(stats_options, stats_json, std::cout, std::cerr);
}
