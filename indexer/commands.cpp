#include "commands.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "archive/access/access_tokens.h"
#include "archive/config_file.h"
#include "archive/index_writer.h"
#include "archive/places/gazetteer.h"
#include "archive/searcher.h"
#include "archive/text/analyzer.h"
#include "archive/text/clock_text.h"
#include "audit_trail.h"
#include "importer.h"
#include "isolated_extractor.h"
#include "logging.h"
#include "manifest.h"
#include "ocr.h"
#include "pruning.h"
#include "run_history.h"
#include "source_list.h"
#include "stats_report.h"
#include "worker_protocol.h"
#include "writer_turns.h"

namespace mediateka::indexer {
namespace {

constexpr const char* kProgram = "mediateka-index: ";

// Runs `body` with the index open; turns the index's own faults into exit status 2.
// Waits while another program writes the index (writer_turns.h), saying so.
template <class Body>
int with_index(const std::string& db, Body body) {
  try {
    return taking_turns(body, [&] {
      logging::say(spdlog::level::info,
                   "waiting: another program is writing the index " + db +
                       " (the server's desk or another mediateka-index); going on when it is done");
    });
  } catch (const IndexLocked&) {
    logging::say(spdlog::level::err,
                 "the index " + db + " is still being written by another program after " +
                     std::to_string(kWriterWait.count()) + " minutes; try again later");
  } catch (const SchemaVersionError& error) {  // from the writer and the searcher alike
    logging::say(spdlog::level::err, error.what() + (" with --names-from " + db) +
                                         ", which keeps every item's id and slug");
  } catch (const std::exception& error) {  // IndexError (index_error.h) among others
    logging::say(spdlog::level::err, "index " + db + ": " + error.what());
  }
  return kExitUsage;
}

// The signal that asked the import to stop (0: none). Set by the handler, read between sources.
std::atomic<int> stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

void request_stop(int signal) { stop_signal.store(signal); }

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::string joined_groups(const std::vector<std::string>& groups) {
  std::string joined;
  for (const std::string& group : groups) joined += (joined.empty() ? "" : ";") + group;
  return joined;
}

// Changes made from the command line are the user's (audit_trail.h).
AuditActor command_line_actor() { return {"", current_user()}; }

// Appends to the audit trail; a trail that cannot be written is said once, and the change stands.
void audit(const std::string& db, const std::optional<AuditEntry>& entry, bool& warned) {
  if (!entry) return;
  try {
    append_audit(db, *entry);
  } catch (const std::exception& error) {
    if (!warned) spdlog::warn("{}", error.what());
    warned = true;
  }
}

// What the run history keeps of the command: who, when, and the sources as absolute paths.
RunFacts run_facts(const ImportOptions& options) {
  RunFacts facts;
  facts.started = now_seconds();
  facts.user = current_user();
  const auto absolute = [](const std::string& source) {
    if (source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0) return source;
    std::error_code ignored;
    const std::filesystem::path path = std::filesystem::absolute(source, ignored);
    return path.empty() ? source : path.lexically_normal().string();
  };
  if (!options.manifest.empty()) facts.manifest = absolute(options.manifest);
  for (const std::string& source : options.inputs) facts.sources.push_back(absolute(source));
  return facts;
}

// SIGINT and SIGTERM stop the import at the next source; SA_RESETHAND makes a second signal
// end the program at once (the index then opens at its last commit, like after kill -9).
void catch_stop_signals() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// --encoding and --separator; throws ManifestError for a value they cannot have.
ManifestFormat manifest_format(const ImportOptions& options) {
  ManifestFormat format;
  if (!options.encoding.empty()) {
    std::optional<ManifestEncoding> encoding = parse_manifest_encoding(options.encoding);
    if (!encoding)
      throw ManifestError("--encoding '" + options.encoding + "': use utf-8 or windows-1250");
    format.encoding = *encoding;
  }
  if (!options.separator.empty()) {
    if (options.separator != "," && options.separator != ";")
      throw ManifestError("--separator '" + options.separator + "': use ',' or ';'");
    format.separator = options.separator[0];
  }
  return format;
}

}  // namespace

Settings load_settings(const CommonOptions& options) {
  Settings settings;
  settings.file = find_config(options.config_path, options.system_config);
  if (!settings.file.empty()) {
    if (!std::filesystem::is_regular_file(settings.file)) {
      const bool from_variable = options.config_path.empty() && settings.file != kLocalConfig;
      throw ConfigError(
          settings.file + ": no such configuration file" +
          (from_variable ? std::string(" (named by $") + kConfigVariable + ")" : std::string()));
    }
    const ConfigFile file(settings.file);
    settings.config = load_config(file);
    settings.media = media::read_media_settings(file);
    settings.db_named = true;
    logging::configure(settings.config.log.level,
                       settings.config.log.format);  // checked by load_config
  }
  if (!options.db.empty()) {
    settings.config.db = options.db;
    settings.db_named = true;
  }
  return settings;
}

std::string settings_origin(const Settings& settings) {
  if (!settings.file.empty()) return "configuration " + settings.file;
  return std::string("no configuration file (looked for ") + kLocalConfig + ", $" +
         kConfigVariable + ", " + kSystemConfig + "); using built-in defaults";
}

int import_command(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  // Everything that can be wrong with the request is checked before the index is opened.
  Settings loaded;
  Config& config = loaded.config;
  SourceList sources;
  std::vector<std::filesystem::path> roots_to_prune;
  std::shared_ptr<const PermanentNames> earlier_names;
  std::error_code ignored_error;
  try {
    loaded = load_settings(options.common);
    if (!options.quiet) spdlog::info("{}", settings_origin(loaded));
    std::error_code missing;
    if (!loaded.db_named && !std::filesystem::exists(config.db, missing)) {
      logging::say(spdlog::level::err,
                   "no configuration and no --db: not making a new index at " +
                       std::filesystem::absolute(config.db).string() +
                       "; name it with --db FOLDER, or the configuration with --config FILE or $" +
                       kConfigVariable);
      return kExitUsage;
    }
    if (options.inputs.empty() && options.manifest.empty()) {
      spdlog::error("nothing to import: give paths, URLs or --manifest");
      return kExitUsage;
    }
    {
      std::optional<Manifest> manifest;
      if (!options.manifest.empty())
        manifest = read_manifest(options.manifest, manifest_format(options));
      roots_to_prune = prune_roots(options.inputs, manifest ? &*manifest : nullptr);
      sources = collect_sources(options.inputs, manifest ? &*manifest : nullptr);
    }
    if (!options.names_from.empty()) {
      if (std::filesystem::equivalent(options.names_from, config.db, ignored_error)) {
        spdlog::error("--names-from must name another index than --db");
        return kExitUsage;
      }
      earlier_names =
          std::make_shared<const PermanentNames>(PermanentNames::read(options.names_from));
    }
  } catch (const std::exception& error) {  // Config-, Manifest-, SourceListError, no names
    spdlog::error("{}", error.what());
    return kExitUsage;
  }
  if (const std::string problem = media::ocr_setup_problem(loaded.media.ocr);
      !options.dry_run && !problem.empty()) {
    spdlog::error("{} (or set [ocr] enabled = false)", problem);
    return kExitUsage;
  }
  if (!options.dry_run && media::extract_worker_path().empty()) {
    spdlog::error("{} not found beside mediateka-index; set MEDIATEKA_EXTRACT_WORKER to its path",
                  media::worker_protocol::kWorkerName);
    return kExitUsage;
  }
  try {
    const std::string warning = load_default_analyzer();
    if (!warning.empty() && !options.quiet) spdlog::warn("{}", warning);
  } catch (const std::exception& error) {  // no Polish dictionary
    spdlog::error("{}", error.what());
    return kExitUsage;
  }
  std::optional<ReportWriter> report_writer;
  if (!options.report_path.empty()) {
    try {
      report_writer.emplace(options.report_path);
    } catch (const std::exception&) {
      spdlog::error("cannot write the report {}", options.report_path);
      return kExitUsage;
    }
  }

  ImportSettings settings;
  settings.db = config.db;
  settings.jobs = options.jobs;
  settings.dry_run = options.dry_run;
  settings.retry_failed = options.retry_failed;
  settings.quiet = options.quiet;
  settings.progress = options.quiet                ? ProgressMode::off
                      : isatty(STDERR_FILENO) != 0 ? ProgressMode::live
                                                   : ProgressMode::plain;
  settings.prune = options.prune;
  settings.prune_roots = std::move(roots_to_prune);
  settings.batch_items = options.batch;
  settings.stop = &stop_signal;
  settings.thumbs_dir = thumbs_dir(config);
  settings.make_extractor = isolated_extractors(loaded.media.ocr, loaded.media.extraction);
  settings.earlier_names = std::move(earlier_names);
  settings.places = config.places;
  // Every import but a dry run keeps its report in the index's runs folder (run_history.h).
  std::optional<RunRecorder> run_recorder;
  if (!options.dry_run) run_recorder.emplace(config.db, run_facts(options));
  std::string run_problem;  // why the run's report could not be kept
  const AuditActor actor = command_line_actor();
  bool audit_warned = false;
  settings.on_outcome = [&](const SourceOutcome& outcome) {
    if (report_writer) report_writer->add(outcome);
    if (!options.dry_run)
      audit(config.db, audit_entry_for(outcome, actor, now_seconds()), audit_warned);
    if (!run_recorder) return;
    try {
      run_recorder->add(outcome);
    } catch (const std::exception& error) {
      run_problem = error.what();
      run_recorder.reset();
    }
  };

  catch_stop_signals();
  return with_index(config.db, [&] {
    ImportReport report = run_import(sources, settings, config.campaigns, err, out);
    if (report_writer && !report_writer->finish(report))
      spdlog::error("cannot write the report {}", options.report_path);
    int run_number = 0;
    if (run_recorder) {
      try {
        run_number = run_recorder->finish(report, now_seconds());
      } catch (const std::exception& error) {
        run_problem = error.what();
      }
    }
    if (!run_problem.empty()) spdlog::warn("the run's report is not kept: {}", run_problem);
    if (!options.quiet)
      err << summary_line(report) << (options.dry_run ? " (dry run)" : "") << "\n";
    if (run_number > 0 && !options.quiet)
      err << kProgram << "report kept as run " << run_number << " (mediateka-index runs show "
          << run_number << ")\n";
    if (report.interrupted) {
      const int signal = stop_signal.load();
      spdlog::warn(
          "interrupted by SIG{}: {} of {} sources done and committed; run the same import again "
          "to finish",
          sigabbrev_np(signal), report.sources_done(), sources.size());
      return 128 + signal;
    }
    return report.any_failed() ? kExitSomeFailed : kExitOk;
  });
}

namespace {

// The settings, said in the log (see settings_origin), or nothing after telling what is wrong.
std::optional<Settings> settings_or_explain(const CommonOptions& options) {
  try {
    Settings settings = load_settings(options);
    spdlog::info("{}", settings_origin(settings));
    return settings;
  } catch (const std::exception& error) {  // ConfigError
    logging::say(spdlog::level::err, error.what());
    return std::nullopt;
  }
}

bool index_exists(const std::string& db) {
  std::error_code ignored;
  return std::filesystem::exists(db, ignored);
}

// Tells that there is no index where the settings point; a command that only reads stops here.
void explain_no_index(const Settings& settings) {
  logging::say(spdlog::level::err,
               "there is no index at " + settings.config.db +
                   (settings.db_named ? "" : " (no configuration and no --db named one)"));
}

// The archive as the librarian sees it: every item, restricted ones included.
Searcher librarians_searcher(const Config& config) {
  return Searcher(std::vector<std::string>{config.db}, config.campaigns);
}

// The item an id or slug names, read without taking the writer's lock.
std::optional<Item> item_named(Searcher& searcher, const std::string& name) {
  if (std::optional<Item> item = searcher.item_by_id(name, Audience::everyone())) return item;
  return searcher.item_by_slug(name, Audience::everyone());
}

}  // namespace

int remove_command(const CommonOptions& options, const std::vector<std::string>& names,
                   std::ostream& out, std::ostream& /*err*/) {
  std::optional<Settings> loaded = settings_or_explain(options);
  if (!loaded) return kExitUsage;
  const Config& config = loaded->config;
  if (!index_exists(config.db)) {
    explain_no_index(*loaded);
    for (const std::string& name : names) spdlog::error("unknown id or slug: {}", name);
    return kExitSomeFailed;
  }
  return with_index(config.db, [&] {
    IndexWriter index(config.db);
    int status = kExitOk;
    bool audit_warned = false;
    std::vector<std::string> removed;
    for (const std::string& name : names) {
      std::optional<Item> item = index.find_by_id(name);
      if (!item) item = index.find_by_slug(name);
      if (item) spdlog::warn("{}: {}", item->id, removal_warning(*item));
      if (item && index.remove(item->id)) {
        removed.push_back(item->id);
        audit(config.db, AuditEntry{now_seconds(), command_line_actor(), "withdraw", item->id, {}},
              audit_warned);
        out << "removed " << item->id << "\n";
      } else {
        spdlog::error("unknown id or slug: {}", name);
        status = kExitSomeFailed;
      }
    }
    index.commit();
    for (const std::string& id : removed) remove_cover(thumbs_dir(config), id);
    return status;
  });
}

int show_command(const CommonOptions& options, const std::string& name, std::ostream& out,
                 std::ostream& /*err*/) {
  std::optional<Settings> loaded = settings_or_explain(options);
  if (!loaded) return kExitUsage;
  if (!index_exists(loaded->config.db)) {
    explain_no_index(*loaded);
    return kExitUsage;
  }
  return with_index(loaded->config.db, [&] {
    Searcher searcher = librarians_searcher(loaded->config);
    const std::optional<Item> item = item_named(searcher, name);
    if (!item) {
      logging::say(spdlog::level::err, "unknown id or slug: " + name);
      return kExitSomeFailed;
    }
    out << item_to_json(*item, JsonView::stored).dump(2) << "\n";
    return kExitOk;
  });
}

int find_command(const CommonOptions& options, const std::string& text, bool json,
                 std::ostream& out, std::ostream& err) {
  std::optional<Settings> loaded = settings_or_explain(options);
  if (!loaded) return kExitUsage;
  // Every word of TEXT must be in the title: title:WORD for each, which the searcher lemmatises.
  std::string query;
  try {
    default_analyzer().tokenize(text, [&](const Token& token) {
      query += (query.empty() ? "title:" : " title:") + std::string(token.text);
    });
  } catch (const std::exception& error) {  // no Polish dictionary
    logging::say(spdlog::level::err, error.what());
    return kExitUsage;
  }
  if (query.empty()) {
    logging::say(spdlog::level::err, "find needs a word of a title");
    return kExitUsage;
  }
  if (!index_exists(loaded->config.db)) {
    explain_no_index(*loaded);
    return kExitUsage;
  }
  return with_index(loaded->config.db, [&] {
    Searcher searcher = librarians_searcher(loaded->config);
    SearchRequest request;
    request.q = query;
    request.audience = Audience::everyone();
    request.per_page = 100;
    request.facets = false;
    request.snippets = false;
    constexpr std::size_t kMost = 1000;  // a longer list is better narrowed with more words
    std::vector<Item> found;
    std::size_t total = 0;
    for (request.page = 1; found.size() < kMost; ++request.page) {
      SearchResult result = searcher.search(request);
      total = result.total;
      for (Hit& hit : result.hits) found.push_back(std::move(hit.item));
      if (result.hits.empty() || found.size() >= total) break;
    }
    if (json) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const Item& item : found)
        list.push_back(
            {{"id", item.id},
             {"slug", item.slug},
             {"title", item.title},
             {"year", item.year ? nlohmann::ordered_json(*item.year) : nlohmann::ordered_json()}});
      out << list.dump(2) << "\n";
    } else {
      for (const Item& item : found)
        out << item.id << "  " << item.slug << "  " << item.title << "  "
            << (item.year ? std::to_string(*item.year) : "-") << "\n";
      if (found.empty()) err << kProgram << "no title has every word of: " << text << "\n";
    }
    if (total > found.size())
      err << kProgram << "showing " << found.size() << " of " << total
          << " items; add words to narrow the list\n";
    return kExitOk;
  });
}

int runs_command(const CommonOptions& options, bool json, std::ostream& out,
                 std::ostream& /*err*/) {
  std::optional<Settings> loaded = settings_or_explain(options);
  if (!loaded) return kExitUsage;
  if (!index_exists(loaded->config.db)) explain_no_index(*loaded);
  const std::vector<RunSummary> runs = list_runs(loaded->config.db);
  if (json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const RunSummary& run : runs) list.push_back(run_summary_json(run));
    out << list.dump(2) << "\n";
    return kExitOk;
  }
  if (runs.empty()) out << "no imports recorded\n";
  for (const RunSummary& run : runs) out << run_summary_line(run) << "\n";
  return kExitOk;
}

int run_show_command(const CommonOptions& options, int number, std::ostream& out,
                     std::ostream& /*err*/) {
  std::optional<Settings> loaded = settings_or_explain(options);
  if (!loaded) return kExitUsage;
  const std::optional<std::string> report = read_run(loaded->config.db, number);
  if (!report) {
    logging::say(spdlog::level::err, "no run " + std::to_string(number) + " in " +
                                         runs_folder(loaded->config.db).string() +
                                         " (mediateka-index runs lists them)");
    return kExitSomeFailed;
  }
  out << *report;
  return kExitOk;
}

int stats_command(const CommonOptions& options, bool json, std::ostream& out,
                  std::ostream& /*err*/) {
  std::optional<Settings> loaded = settings_or_explain(options);
  if (!loaded) return kExitUsage;
  const Config& config = loaded->config;
  // An index not created yet is an empty archive; stats must not create it.
  if (!index_exists(config.db)) {
    explain_no_index(*loaded);
    out << (json ? stats_to_json(ArchiveStats{}, StatsDetails{}).dump() + "\n"
                 : stats_table(ArchiveStats{}, StatsDetails{}));
    return kExitOk;
  }
  return with_index(config.db, [&] {
    const ArchiveStats stats = IndexWriter::read_stats(config.db);
    StatsDetails details;
    // What is still waiting for a fix: the failures are the index's own records (the writer's
    // lock guards them; an import running now has them), the names those that items keep as
    // written.
    if (stats.failed_sources > 0) {
      try {
        const IndexWriter index(config.db);
        for (const auto& [source, failure] : index.failures())
          details.failures.push_back({source, failure.error});
      } catch (const IndexLocked&) {
        details.failures_busy = true;
      } catch (const std::exception& error) {  // the counts above are still worth giving
        spdlog::warn("the failed sources cannot be listed: {}", error.what());
      }
    }
    if (!config.campaigns.empty()) {
      for (const auto& [campaign, count] : stats.by_campaign)
        if (!config.campaigns.match(campaign)) details.unknown_campaigns[campaign] = count;
    }
    try {
      Searcher searcher = librarians_searcher(config);
      SearchRequest request = whole_archive_request(Audience::everyone());
      request.place_years = true;
      const Facets facets = searcher.search(request).facets;
      for (const auto& [place, years] : facets.place_years) {
        // The names the items keep as written: unknown, or ambiguous (Place::unknown).
        if (facets.unknown_places.count(place) == 0) continue;
        std::size_t count = 0;
        for (const auto& entry : years) count += entry.second;
        details.unknown_places[place] = count;
      }
    } catch (const std::exception& error) {
      spdlog::warn("the places cannot be checked: {}", error.what());
    }
    if (json) {
      out << stats_to_json(stats, details).dump() << "\n";
    } else {
      out << stats_table(stats, details);
    }
    return kExitOk;
  });
}

namespace {

// The configuration, or nullopt when it cannot be read (said in the log).
std::optional<Config> settings_or_report(const CommonOptions& options) {
  std::optional<Settings> settings = settings_or_explain(options);
  if (!settings) return std::nullopt;
  return settings->config;
}

}  // namespace

int token_create_command(const TokenCreateOptions& options, std::ostream& out,
                         std::ostream& /*err*/) {
  const std::optional<Config> config = settings_or_report(options.common);
  if (!config) return kExitUsage;
  return with_index(config->db, [&] {
    try {
      const TokenRole role = value_named(kTokenRoleNames, options.role).value_or(TokenRole::reader);
      if (role == TokenRole::librarian && !options.groups.empty())
        throw TokenError("a librarian's token sees every item: it takes no --group");
      const NewToken made =
          role == TokenRole::librarian
              ? create_librarian_token(config->db, options.label, options.expires, now_seconds())
              : create_token(config->db, options.groups, options.label, options.expires,
                             now_seconds());
      out << nlohmann::json{{"id", made.record.id}, {"token", made.token}}.dump() << "\n";
      bool audit_warned = false;
      audit(config->db,
            AuditEntry{now_seconds(),
                       command_line_actor(),
                       "token_create",
                       made.record.id,
                       {{"label", "", made.record.label},
                        {"role", "", std::string(to_string(made.record.role))},
                        {"groups", "", joined_groups(made.record.groups)}}},
            audit_warned);
      // A group no item has is most often misspelt: the token would show nothing restricted.
      const ArchiveStats stats = IndexWriter::read_stats(config->db);
      for (const std::string& group : made.record.groups) {
        if (stats.by_access.count(group) == 0)
          spdlog::warn(
              "no item has the group '{}' (yet); the token shows only public items until "
              "one has",
              group);
      }
      return kExitOk;
    } catch (const TokenError& error) {
      logging::say(spdlog::level::err, error.what());
      return kExitUsage;
    }
  });
}

int token_list_command(const CommonOptions& options, bool json, std::ostream& out,
                       std::ostream& /*err*/) {
  const std::optional<Config> config = settings_or_report(options);
  if (!config) return kExitUsage;
  return with_index(config->db, [&] {
    const std::vector<AccessToken> tokens = list_tokens(config->db);
    if (json) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const AccessToken& token : tokens)
        list.push_back({{"id", token.id},
                        {"label", token.label},
                        {"role", to_string(token.role)},
                        {"groups", token.groups},
                        {"expires", token.expires.empty() ? nlohmann::ordered_json()
                                                          : nlohmann::ordered_json(token.expires)},
                        {"created", utc_timestamp(token.created)},
                        {"last_used", token.last_used > 0
                                          ? nlohmann::ordered_json(utc_timestamp(token.last_used))
                                          : nlohmann::ordered_json()},
                        {"expired", token.expired(now_seconds())}});
      out << list.dump(2) << "\n";
      return kExitOk;
    }
    if (tokens.empty()) out << "no tokens\n";
    for (const AccessToken& token : tokens) {
      std::string groups;
      for (const std::string& group : token.groups) groups += (groups.empty() ? "" : ",") + group;
      out << token.id << "  " << token.label << "  "
          << (token.role == TokenRole::librarian ? std::string(to_string(token.role))
                                                 : "groups " + groups)
          << "  expires " << (token.expires.empty() ? "never" : token.expires)
          << (token.expired(now_seconds()) ? " (expired)" : "") << "  created "
          << utc_timestamp(token.created) << "  last used "
          << (token.last_used > 0 ? utc_timestamp(token.last_used) : "never") << "\n";
    }
    return kExitOk;
  });
}

int token_revoke_command(const CommonOptions& options, const std::string& id, std::ostream& out,
                         std::ostream& /*err*/) {
  const std::optional<Config> config = settings_or_report(options);
  if (!config) return kExitUsage;
  return with_index(config->db, [&] {
    if (!revoke_token(config->db, id)) {
      spdlog::error("no token with id '{}'", id);
      return kExitSomeFailed;
    }
    out << "revoked " << id << "\n";
    bool audit_warned = false;
    audit(config->db, AuditEntry{now_seconds(), command_line_actor(), "token_revoke", id, {}},
          audit_warned);
    return kExitOk;
  });
}

}  // namespace mediateka::indexer
