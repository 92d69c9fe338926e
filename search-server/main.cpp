// mediateka-server: the archive's search API over HTTP (docs/api.md).
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "api/routes.h"
#include "archive/config.h"
#include "archive/config_file.h"
#include "archive/text/analyzer.h"
#include "authorization.h"
#include "desk/desk.h"
#include "desk/query_log.h"
#include "desk/upload_gate.h"
#include "harvest/oai_settings.h"
#include "http/http_server.h"
#include "http/request_metrics.h"
#include "http/trusted_proxies.h"
#include "index_readers.h"
#include "logging.h"
#include "media_settings.h"

namespace {

constexpr auto kCommitPollInterval = std::chrono::milliseconds(500);
constexpr auto kDrainLimit = std::chrono::seconds(10);

int fail(const std::string& message) {
  spdlog::critical("{}", message);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  mediateka::logging::start("mediateka-server");
  CLI::App app{"mediateka-server: the archive's search API, pages and files over HTTP"};
  std::string config_path;
  std::optional<std::string> db, bind;
  std::optional<int> port, threads;
  app.add_option("--config", config_path,
                 "TOML configuration file; without it config/mediateka.toml, then "
                 "$MEDIATEKA_CONFIG, then /etc/mediateka/mediateka.toml, else built-in defaults");
  app.add_option("--db", db, "index directory (overrides [index] db)");
  app.add_option("--bind", bind, "address to listen on (overrides [server] bind)");
  app.add_option("--port", port, "port to listen on, 0 for any free port (overrides [server] port)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--threads", threads, "worker threads (overrides [server] threads)")
      ->check(CLI::Range(1, 256));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? 0 : 2;
  }

  // As mediateka-index finds it (config.h find_config); a named file must exist.
  mediateka::Config config;
  mediateka::server::OaiSettings oai;     // the server's own [oai]
  mediateka::media::MediaSettings media;  // [ocr] and [extraction], for page images and the desk
  config_path = mediateka::find_config(config_path);
  if (!config_path.empty()) {
    try {
      if (!std::filesystem::is_regular_file(config_path))
        throw mediateka::ConfigError(config_path + ": no such configuration file");
      const mediateka::ConfigFile file(config_path);
      config = mediateka::load_config(file);
      oai = mediateka::server::read_oai_settings(file);
      media = mediateka::media::read_media_settings(file);
    } catch (const std::exception& error) {
      return fail(error.what());
    }
  }
  try {
    mediateka::logging::configure(config.log.level, config.log.format);
  } catch (const std::exception& error) {
    return fail(error.what());
  }
  // Said once the log has its format (JSON lines when configured).
  if (config_path.empty()) {
    spdlog::warn(
        "no configuration file (config/mediateka.toml, $MEDIATEKA_CONFIG, "
        "/etc/mediateka/mediateka.toml); using built-in defaults");
  } else {
    spdlog::info("configuration {}", config_path);
  }

  std::optional<mediateka::server::TrustedProxies> proxies;
  try {
    proxies.emplace(config.trusted_proxies);
  } catch (const std::invalid_argument& error) {
    return fail(config_path + ": server.trusted_proxies: " + error.what());
  }
  if (db) config.db = *db;
  if (bind) config.bind = *bind;
  if (port) config.port = *port;
  if (threads) config.threads = *threads;

  std::error_code error_code;
  if (config.shards.empty() && !std::filesystem::exists(config.db, error_code)) {
    return fail("there is no index at " + config.db +
                "; create it first, e.g. mediateka-index import --db " + config.db +
                " --manifest FILE.csv");
  }

  // Blocked before any thread starts, so every thread inherits the mask and
  // only sigwait() below sees SIGTERM and SIGINT.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A client that hangs up mid-response must not kill the server.
  signal(SIGPIPE, SIG_IGN);

  try {  // the Polish dictionary: a clear start-up error, not a silent loss of recall
    const std::string warning = mediateka::load_default_analyzer();
    if (!warning.empty()) spdlog::warn("{}", warning);
  } catch (const std::exception& error) {
    return fail(error.what());
  }

  std::shared_ptr<mediateka::SynonymSource> synonyms;
  try {  // the librarian's synonyms: a broken file is a clear start-up error
    synonyms = std::make_shared<mediateka::SynonymSource>(config.synonyms);
  } catch (const std::exception& error) {
    return fail(error.what());
  }
  std::optional<mediateka::server::IndexReaders> index;
  try {
    mediateka::ShardOptions shard_options;
    shard_options.timeout = std::chrono::milliseconds(config.shard_timeout_ms);
    index.emplace(mediateka::searched_shards(config), shard_options, config.campaigns,
                  static_cast<std::size_t>(config.search_cache_mb) << 20, synonyms);
  } catch (const std::exception& error) {
    return fail("cannot open the index at " +
                (config.shards.empty() ? config.db : std::string("any of its [[shards]]")) + ": " +
                error.what());
  }
  index->watch_for_commits(kCommitPollInterval);

  mediateka::server::RequestMetrics metrics;
  mediateka::server::Authorizer authorizer(config.db);
  // What anonymous visitors searched, a file a day (docs/operations.md); written on the way out
  // too, after the last request.
  mediateka::server::QueryLog queries(mediateka::desk_dir(config) + "/queries");
  // The pages leave out what [site] does not say; the operator hears what is missing.
  for (const std::string& missing : mediateka::missing_site_facts(config.site)) {
    spdlog::warn("[site] lacks {}; the pages leave it out", missing);
  }
  mediateka::server::ServerContext context{
      *index,
      metrics,
      mediateka::thumbs_dir(config),
      authorizer,
      oai,
      config.site,
      config.page_images_mb > 0 ? mediateka::page_images_dir(config) : std::string(),
      static_cast<std::size_t>(config.page_images_mb) << 20,
      media.ocr,
      nullptr,
      &queries};
  // The desk writes the server's own local index, never a replica's or shards'.
  std::optional<mediateka::server::Desk> desk;
  if (!config.desk.enabled) {
    spdlog::info("the librarian's desk is off ([desk] enabled = false)");
  } else if (!config.shards.empty() || mediateka::server::is_replica(config.db)) {
    spdlog::info("the librarian's desk is off: this server serves {}",
                 config.shards.empty() ? "a replica" : "shards");
  } else {
    try {
      desk.emplace(config, media);
      desk->jobs().on_work_done([&index] { index->note_commit(); });
      context.desk = &*desk;
      // Uploads a server killed mid-body left behind (desk/upload_gate.h).
      const std::string incoming = desk->incoming_dir().string();
      if (const std::size_t left = mediateka::server::clear_incoming(incoming); left > 0)
        spdlog::info("removed {} unfinished uploads from {}", left, incoming);
    } catch (const std::exception& error) {
      // Visitors are served all the same (a read-only deployment); the desk answers 503.
      context.desk = nullptr;
      desk.reset();
      spdlog::error(
          "the librarian's desk is off: it cannot work in {}: {} (give the server's "
          "user that folder, or set [desk] enabled = false)",
          mediateka::desk_dir(config), error.what());
    }
  }
  const mediateka::server::ListenOptions listen{config.bind, config.port, config.threads};
  std::optional<mediateka::server::HttpServer> server;
  try {
    server.emplace(listen, context, std::move(*proxies));
    const auto bound_port = server->start();
    std::cout << "mediateka-server listening on http://" << config.bind << ':' << bound_port << '/'
              << std::endl;
  } catch (const std::exception& error) {
    return fail("cannot listen on " + config.bind + ':' + std::to_string(config.port) + ": " +
                error.what());
  }

  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("{}: finishing requests in flight", received == SIGTERM ? "SIGTERM" : "SIGINT");
  server->drain_and_stop(kDrainLimit);
  return 0;
}
