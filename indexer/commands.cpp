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

#include "access_tokens.h"
#include "analyzer.h"
#include "clock_text.h"
#include "importer.h"
#include "index_writer.h"
#include "isolated_extractor.h"
#include "logging.h"
#include "manifest.h"
#include "ocr.h"
#include "source_list.h"
#include "stats_report.h"
#include "worker_protocol.h"

namespace mediateka::indexer {
namespace {

constexpr const char* kProgram = "mediateka-index: ";

// Runs `body` with the index open; turns the index's own faults into exit status 2.
template <class Body>
int with_index(const std::string& db, std::ostream& err, Body body) {
  try {
    return body();
  } catch (const IndexLocked&) {
    err << kProgram << "the index " << db
        << " is locked by another mediateka-index; try again later\n";
  } catch (const SchemaVersionError& error) {
    err << kProgram << error.what() << " with --names-from " << db
        << ", which keeps every item's id and slug\n";
  } catch (const std::exception& error) {  // IndexError (index_error.h) among others
    err << kProgram << "index " << db << ": " << error.what() << "\n";
  }
  return kExitUsage;
}

// The signal that asked the import to stop (0: none). Set by the handler, read between sources.
std::atomic<int> stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

void request_stop(int signal) { stop_signal.store(signal); }

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

}  // namespace

Config load_settings(const CommonOptions& options) {
  Config config;
  if (options.config_given || std::filesystem::exists(options.config_path)) {
    if (!std::filesystem::is_regular_file(options.config_path)) {
      throw ConfigError(options.config_path + ": no such configuration file");
    }
    config = load_config(options.config_path);
    logging::configure(config.log.level, config.log.format);  // checked by load_config
  }
  if (!options.db.empty()) config.db = options.db;
  return config;
}

int import_command(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  // Everything that can be wrong with the request is checked before the index is opened.
  Config config;
  SourceList sources;
  std::vector<std::filesystem::path> roots_to_prune;
  std::shared_ptr<const PermanentNames> earlier_names;
  std::error_code ignored_error;
  try {
    config = load_settings(options.common);
    if (options.inputs.empty() && options.manifest.empty()) {
      spdlog::error("nothing to import: give paths, URLs or --manifest");
      return kExitUsage;
    }
    {
      std::optional<Manifest> manifest;
      if (!options.manifest.empty()) manifest = read_manifest(options.manifest);
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
  if (const std::string problem = media::ocr_setup_problem(config.ocr);
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
  settings.make_extractor = isolated_extractors(config.ocr, config.extraction);
  settings.earlier_names = std::move(earlier_names);
  settings.places = config.places;
  if (report_writer)
    settings.on_outcome = [&](const SourceOutcome& outcome) { report_writer->add(outcome); };

  catch_stop_signals();
  return with_index(config.db, err, [&] {
    ImportReport report = run_import(sources, settings, config.campaigns, err, out);
    if (report_writer && !report_writer->finish(report))
      spdlog::error("cannot write the report {}", options.report_path);
    if (!options.quiet)
      err << summary_line(report) << (options.dry_run ? " (dry run)" : "") << "\n";
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

// The configuration, or nothing after telling what is wrong with it.
std::optional<Config> settings_or_explain(const CommonOptions& options, std::ostream& err) {
  try {
    return load_settings(options);
  } catch (const ConfigError& error) {
    err << kProgram << error.what() << "\n";
    return std::nullopt;
  }
}

}  // namespace

int remove_command(const CommonOptions& options, const std::vector<std::string>& ids,
                   std::ostream& out, std::ostream& err) {
  std::optional<Config> loaded = settings_or_explain(options, err);
  if (!loaded) return kExitUsage;
  const Config& config = *loaded;
  if (!std::filesystem::exists(config.db)) {
    for (const std::string& id : ids) spdlog::error("unknown id: {}", id);
    return kExitSomeFailed;
  }
  return with_index(config.db, err, [&] {
    IndexWriter index(config.db);
    int status = kExitOk;
    std::vector<std::string> removed;
    for (const std::string& id : ids) {
      if (index.remove(id)) {
        removed.push_back(id);
        out << "removed " << id << "\n";
      } else {
        spdlog::error("unknown id: {}", id);
        status = kExitSomeFailed;
      }
    }
    index.commit();
    for (const std::string& id : removed) remove_cover(thumbs_dir(config), id);
    return status;
  });
}

int stats_command(const CommonOptions& options, bool json, std::ostream& out, std::ostream& err) {
  std::optional<Config> loaded = settings_or_explain(options, err);
  if (!loaded) return kExitUsage;
  const Config& config = *loaded;
  return with_index(config.db, err, [&] {
    // An index not created yet is an empty archive; stats must not create it.
    ArchiveStats stats =
        std::filesystem::exists(config.db) ? IndexWriter::read_stats(config.db) : ArchiveStats{};
    if (json) {
      out << stats_to_json(stats).dump() << "\n";
    } else {
      out << stats_table(stats);
    }
    return kExitOk;
  });
}

namespace {

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

// The configuration, or nullopt when it cannot be read (said on `err`).
std::optional<Config> settings_or_report(const CommonOptions& options, std::ostream& err) {
  try {
    return load_settings(options);
  } catch (const std::exception& error) {
    err << kProgram << error.what() << "\n";
    return std::nullopt;
  }
}

}  // namespace

int token_create_command(const TokenCreateOptions& options, std::ostream& out, std::ostream& err) {
  const std::optional<Config> config = settings_or_report(options.common, err);
  if (!config) return kExitUsage;
  return with_index(config->db, err, [&] {
    try {
      const NewToken made =
          create_token(config->db, options.groups, options.label, options.expires, now_seconds());
      out << nlohmann::json{{"id", made.record.id}, {"token", made.token}}.dump() << "\n";
      return kExitOk;
    } catch (const TokenError& error) {
      err << kProgram << error.what() << "\n";
      return kExitUsage;
    }
  });
}

int token_list_command(const CommonOptions& options, bool json, std::ostream& out,
                       std::ostream& err) {
  const std::optional<Config> config = settings_or_report(options, err);
  if (!config) return kExitUsage;
  return with_index(config->db, err, [&] {
    const std::vector<AccessToken> tokens = list_tokens(config->db);
    if (json) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const AccessToken& token : tokens)
        list.push_back({{"id", token.id},
                        {"label", token.label},
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
      out << token.id << "  " << token.label << "  groups " << groups << "  expires "
          << (token.expires.empty() ? "never" : token.expires)
          << (token.expired(now_seconds()) ? " (expired)" : "") << "  created "
          << utc_timestamp(token.created) << "  last used "
          << (token.last_used > 0 ? utc_timestamp(token.last_used) : "never") << "\n";
    }
    return kExitOk;
  });
}

int token_revoke_command(const CommonOptions& options, const std::string& id, std::ostream& out,
                         std::ostream& err) {
  const std::optional<Config> config = settings_or_report(options, err);
  if (!config) return kExitUsage;
  return with_index(config->db, err, [&] {
    if (!revoke_token(config->db, id)) {
      spdlog::error("no token with id '{}'", id);
      return kExitSomeFailed;
    }
    out << "revoked " << id << "\n";
    return kExitOk;
  });
}

}  // namespace mediateka::indexer
