// Settings shared by mediateka-index and mediateka-server (config/mediateka.toml). The sections
// one program alone uses are its own, read by it from the same file (config_file.h): [oai] by
// the server (search-server/oai_settings.h), [ocr] and [extraction] by media
// (media/media_settings.h).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "archive/search/shard_source.h"
#include "archive/text/vocabulary.h"

namespace mediateka {

// [places]: how the importer finds places in an item's text (archive/places/place_finder.h).
struct PlaceSettings {
  bool infer = true;  // look for places in titles, descriptions and pages
  // The województwo an ambiguous powiat or gmina name means when nothing else in the text says
  // ("mazowieckie"); empty: none, such names are left out. Checked against the gazetteer.
  std::string home;
};

// [log]: what both programs log to stderr, and how (docs/operations.md "Logs").
struct LogSettings {
  std::string level = "info";   // trace, debug, info, warning, error, critical or off
  std::string format = "text";  // "text": one plain line per event; "json": one JSON object a line
};

// [site]: the centre that runs the archive, as the web pages name it (header, titles, footer),
// and the facts its accessibility statement (/dostepnosc) states. Every field may be empty: the
// pages then leave out what would say it (never a placeholder); missing_site_facts() lists them
// for a warning at start.
struct AccessibilityFacts {
  std::string published;       // the site's publication date, YYYY-MM-DD
  std::string updated;         // its last significant update, YYYY-MM-DD
  std::string prepared;        // when the statement was prepared, YYYY-MM-DD
  std::string reviewed;        // when it was last reviewed, YYYY-MM-DD
  std::string contact_person;  // who answers accessibility requests
  std::string contact_email;   // empty: [site] email
  std::string contact_phone;   // empty: [site] phone
  std::string building;        // architectural accessibility of the seat
  std::string sign_language;   // how to get a Polish sign language interpreter
};

struct SiteSettings {
  std::string name;     // the centre's name: "Regionalne Centrum Polityki Społecznej w …"
  std::string url;      // the site's public address, "https://mediateka.example.pl"
  std::string address;  // postal address, one line
  std::string email;
  std::string phone;
  std::string logo;  // an image file (PNG, SVG, JPEG, WebP) shown in the header; resolved path
  AccessibilityFacts accessibility;
};

// The [site] keys that are empty and what leaving them out costs, one line each
// ("site.name: the centre's name (header, footer, accessibility statement)").
std::vector<std::string> missing_site_facts(const SiteSettings& site);

// [desk]: the librarian's desk, through which the server writes its own local index
// (docs/desk.md).
struct DeskSettings {
  // Off: /api/admin/* and /biblioteka answer 503. A server of shards or of a replica never
  // writes (its index is not its own to write).
  bool enabled = true;
  int max_upload_mb = 1024;  // the largest upload (a file or a manifest) the desk accepts
  // Absolute folders whose files a manifest sent through the desk may name; none: only URLs.
  std::vector<std::string> import_roots;
};

struct Config {
  std::string db = "var/index";  // index directory
  std::string thumbs;            // cover images, <id>.png; "" = thumbs_dir(db)
  std::string page_images;       // [index]: rendered PDF pages; "" = page_images_dir(db)
  int page_images_mb = 256;      // [server]: the most the rendered pages may take (0: none kept)
  std::string bind = "127.0.0.1";
  int port = 8080;
  int threads = 4;
  // [[shards]]: the indexes the server searches as one archive; empty: `db` alone.
  std::vector<ShardSource> shards;
  int shard_timeout_ms = 2000;  // [server]: a shard slower than this is left out
  int search_cache_mb = 64;     // [server]: answers of recent searches kept (result_cache.h)
  // [search] synonyms: the librarian's CSV of synonyms merged with the shipped acronyms
  // (synonyms.h); "" = the shipped list alone.
  std::string synonyms;
  // [server]: reverse proxies (addresses or CIDR ranges, checked by the server) whose
  // X-Forwarded-For and X-Forwarded-Proto are believed; empty: no one's.
  std::vector<std::string> trusted_proxies;
  LogSettings log;
  Vocabulary campaigns;
  PlaceSettings places;
  SiteSettings site;
  DeskSettings desk;
};

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The shards the server searches: [[shards]], else `db` alone.
std::vector<ShardSource> searched_shards(const Config& config);

// Where covers live when the configuration does not say: "<db>-thumbs".
std::string thumbs_dir(const Config& config);

// Where rendered PDF pages are cached when the configuration does not say: "<db>-pages".
std::string page_images_dir(const Config& config);
// The server's own folder beside the index, "<db>-desk": files added through the desk
// (files/), uploads being received (incoming/), what visitors searched (queries/).
std::string desk_dir(const Config& config);

// Reads a TOML file; relative paths in it are resolved against the file's folder.
// Throws ConfigError naming the file and what was wrong.
Config load_config(const std::string& path);
// The same, from a file already parsed, whose programs' own sections are read beside it.
class ConfigFile;  // config_file.h
Config load_config(const ConfigFile& file);

// Where a program looks for its configuration when no --config names one, in this order.
inline constexpr const char* kLocalConfig = "config/mediateka.toml";  // from the working folder
inline constexpr const char* kConfigVariable = "MEDIATEKA_CONFIG";
inline constexpr const char* kSystemConfig = "/etc/mediateka/mediateka.toml";

// The configuration file a program uses: `named` (--config) when not empty, whether or not it
// exists (load_config then says what is wrong); else the first of kLocalConfig,
// $MEDIATEKA_CONFIG (when set and not empty, whether or not it exists: a variable naming a missing
// file is a mistake to report, not to skip) and kSystemConfig that exists; "" when none does, and
// the built-in defaults apply. `system_config` is kSystemConfig except in tests.
std::string find_config(const std::string& named, const std::string& system_config = kSystemConfig);

}  // namespace mediateka
