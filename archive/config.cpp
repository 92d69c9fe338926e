#include "archive/config.h"

#include <cstdlib>
#include <filesystem>
#include <set>

#include "archive/config_file.h"
#include "archive/places/gazetteer.h"

namespace mediateka {
namespace {

std::string resolve(const std::filesystem::path& base, const std::string& value) {
  std::filesystem::path path(value);
  if (path.is_absolute()) return value;
  return (base / path).lexically_normal().string();
}

}  // namespace

std::vector<ShardSource> searched_shards(const Config& config) {
  if (!config.shards.empty()) return config.shards;
  return local_shards({config.db});
}

std::string thumbs_dir(const Config& config) {
  if (!config.thumbs.empty()) return config.thumbs;
  std::string db = config.db;
  while (db.size() > 1 && db.back() == '/') db.pop_back();
  return db + "-thumbs";
}

std::string desk_dir(const Config& config) {
  std::string db = config.db;
  while (db.size() > 1 && db.back() == '/') db.pop_back();
  return db + "-desk";
}

std::string find_config(const std::string& named, const std::string& system_config) {
  if (!named.empty()) return named;
  std::error_code ignored;
  if (std::filesystem::exists(kLocalConfig, ignored)) return kLocalConfig;
  if (const char* variable = std::getenv(kConfigVariable); variable && *variable) return variable;
  if (!system_config.empty() && std::filesystem::exists(system_config, ignored))
    return system_config;
  return {};
}

std::vector<std::string> missing_site_facts(const SiteSettings& site) {
  std::vector<std::string> missing;
  const auto need = [&missing](const std::string& value, const char* key, const char* what) {
    if (value.empty()) missing.push_back(std::string(key) + ": " + what);
  };
  const AccessibilityFacts& facts = site.accessibility;
  need(site.name, "site.name", "the centre's name (header, titles, footer, statement)");
  need(site.url, "site.url", "the site's address in the accessibility statement");
  need(site.address, "site.address", "the centre's postal address in the footer");
  need(facts.published, "site.accessibility.published", "the site's publication date");
  need(facts.updated, "site.accessibility.updated", "the date of the last significant update");
  need(facts.prepared, "site.accessibility.prepared", "the date the statement was prepared");
  need(facts.reviewed, "site.accessibility.reviewed", "the date the statement was reviewed");
  need(facts.contact_person, "site.accessibility.contact_person", "the contact person");
  need(facts.contact_email.empty() ? site.email : facts.contact_email,
       "site.accessibility.contact_email (or site.email)", "the contact e-mail address");
  need(facts.contact_phone.empty() ? site.phone : facts.contact_phone,
       "site.accessibility.contact_phone (or site.phone)", "the contact phone number");
  need(facts.building, "site.accessibility.building", "the building's accessibility");
  need(facts.sign_language, "site.accessibility.sign_language", "sign-language interpreting");
  return missing;
}

std::string page_images_dir(const Config& config) {
  if (!config.page_images.empty()) return config.page_images;
  std::string db = config.db;
  while (db.size() > 1 && db.back() == '/') db.pop_back();
  return db + "-pages";
}

ConfigFile::ConfigFile(const std::string& path)
    : path_(path), base_(std::filesystem::path(path).parent_path()) {
  try {
    root_ = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    throw ConfigError(path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                      ": " + std::string(error.description()));
  } catch (const std::exception& error) {
    throw ConfigError(path + ": " + error.what());
  }
}

std::string ConfigFile::resolved(const std::string& value) const { return resolve(base_, value); }

void ConfigFile::fail(const std::string& what) const { throw ConfigError(path_ + ": " + what); }

void ConfigFile::number_in(const char* table, const char* key, int min, int max, int& value) const {
  if (auto node = root_[table][key]) {
    auto number = node.value<int64_t>();
    if (!number || *number < min || *number > max)
      fail(std::string(table) + "." + key + " must be a number " + std::to_string(min) + ".." +
           std::to_string(max));
    value = static_cast<int>(*number);
  }
}

Config load_config(const std::string& path) { return load_config(ConfigFile(path)); }

Config load_config(const ConfigFile& file) {
  const toml::table& root = file.root();
  Config config;
  auto fail = [&](const std::string& what) { file.fail(what); };

  if (auto db = root["index"]["db"]) {
    if (!db.is_string()) fail("index.db must be a string");
    config.db = file.resolved(*db.value<std::string>());
  } else {
    config.db = file.resolved(config.db);
  }
  if (auto thumbs = root["index"]["thumbs"]) {
    if (!thumbs.is_string()) fail("index.thumbs must be a string");
    config.thumbs = file.resolved(*thumbs.value<std::string>());
  }
  if (auto pages = root["index"]["page_images"]) {
    if (!pages.is_string()) fail("index.page_images must be a string");
    config.page_images = file.resolved(*pages.value<std::string>());
  }
  if (auto bind = root["server"]["bind"]) {
    if (!bind.is_string()) fail("server.bind must be a string");
    config.bind = *bind.value<std::string>();
  }
  if (auto port = root["server"]["port"]) {
    auto value = port.value<int64_t>();
    if (!value || *value < 0 || *value > 65535) fail("server.port must be a number 0..65535");
    config.port = static_cast<int>(*value);
  }
  if (auto threads = root["server"]["threads"]) {
    auto value = threads.value<int64_t>();
    if (!value || *value < 1 || *value > 256) fail("server.threads must be a number 1..256");
    config.threads = static_cast<int>(*value);
  }
  if (auto timeout = root["server"]["shard_timeout_ms"]) {
    auto value = timeout.value<int64_t>();
    if (!value || *value < 10 || *value > 600000) {
      fail("server.shard_timeout_ms must be a number 10..600000");
    }
    config.shard_timeout_ms = static_cast<int>(*value);
  }
  if (auto cache = root["server"]["search_cache_mb"]) {
    auto value = cache.value<int64_t>();
    if (!value || *value < 0 || *value > 65536) {
      fail("server.search_cache_mb must be a number 0..65536");
    }
    config.search_cache_mb = static_cast<int>(*value);
  }
  if (auto synonyms = root["search"]["synonyms"]) {
    auto text = synonyms.value<std::string>();
    if (!text || text->empty()) fail("search.synonyms must be the path of a CSV file");
    config.synonyms = file.resolved(*text);
  }
  if (auto proxies = root["server"]["trusted_proxies"]) {
    const toml::array* list = proxies.as_array();
    if (!list) fail("server.trusted_proxies must be an array of strings ([\"127.0.0.1\"])");
    for (const toml::node& node : *list) {
      auto text = node.value<std::string>();
      if (!text) fail("server.trusted_proxies must be an array of strings ([\"127.0.0.1\"])");
      config.trusted_proxies.push_back(*text);
    }
  }
  if (auto enabled = root["desk"]["enabled"]) {
    auto value = enabled.value<bool>();
    if (!value) fail("desk.enabled must be true or false");
    config.desk.enabled = *value;
  }
  if (auto upload = root["desk"]["max_upload_mb"]) {
    auto value = upload.value<int64_t>();
    if (!value || *value < 1 || *value > 1048576)
      fail("desk.max_upload_mb must be a number 1..1048576");
    config.desk.max_upload_mb = static_cast<int>(*value);
  }
  if (auto roots = root["desk"]["import_roots"]) {
    const toml::array* list = roots.as_array();
    constexpr const char* kRootsShape =
        "desk.import_roots must be an array of absolute folders ([\"/srv/mediateka/nabytki\"])";
    if (!list) fail(kRootsShape);
    for (const toml::node& node : *list) {
      auto text = node.value<std::string>();
      if (!text || text->empty() || (*text)[0] != '/') fail(kRootsShape);
      config.desk.import_roots.push_back(std::filesystem::path(*text).lexically_normal().string());
    }
  }
  if (auto level = root["log"]["level"]) {
    static const std::set<std::string> kLevels = {"trace", "debug",    "info", "warning",
                                                  "error", "critical", "off"};
    auto text = level.value<std::string>();
    if (!text || kLevels.count(*text) == 0)
      fail("log.level must be one of trace, debug, info, warning, error, critical, off");
    config.log.level = *text;
  }
  if (auto format = root["log"]["format"]) {
    auto text = format.value<std::string>();
    if (!text || (*text != "text" && *text != "json"))
      fail("log.format must be \"text\" or \"json\"");
    config.log.format = *text;
  }
  if (auto shards = root["shards"]) {
    const toml::array* list = shards.as_array();
    if (!list) fail("shards must be an array of tables ([[shards]])");
    std::set<std::string> keys;
    for (const toml::node& node : *list) {
      const std::string where = "shards entry " + std::to_string(config.shards.size() + 1);
      const toml::table* entry = node.as_table();
      if (!entry) fail(where + " is not a table");
      ShardSource shard;
      const auto text = [&](const char* key, std::string& value) {
        if (auto field = (*entry)[key]) {
          auto string = field.value<std::string>();
          if (!string || string->empty()) fail(where + ": " + key + " must be a non-empty string");
          value = *string;
        }
      };
      text("name", shard.name);
      text("db", shard.db);
      text("remote", shard.remote);
      text("url", shard.url);
      if (shard.db.empty() == shard.remote.empty()) {
        fail(where + " must have either db = \"PATH\" or remote = \"HOST:PORT\"");
      }
      if (!shard.db.empty()) shard.db = file.resolved(shard.db);
      const std::size_t colon = shard.remote.rfind(':');
      if (!shard.remote.empty() &&
          (colon == std::string::npos || colon == 0 || colon + 1 == shard.remote.size() ||
           shard.remote.find_first_not_of("0123456789", colon + 1) != std::string::npos ||
           std::stol(shard.remote.substr(colon + 1, 6)) > 65535)) {
        fail(where + ": remote must be HOST:PORT, not " + shard.remote);
      }
      if (shard.name.empty()) shard.name = shard.db.empty() ? shard.remote : shard.db;
      if (!keys.insert(shard_key(shard)).second) {
        fail(where + ": another shard has the name " + shard.name);
      }
      config.shards.push_back(std::move(shard));
    }
  }
  file.number_in("server", "page_images_mb", 0, 1 << 20, config.page_images_mb);
  if (auto infer = root["places"]["infer"]) {
    if (!infer.is_boolean()) fail("places.infer must be true or false");
    config.places.infer = *infer.value<bool>();
  }
  if (auto home = root["places"]["home"]) {
    auto text = home.value<std::string>();
    if (!text || !Gazetteer::instance().wojewodztwo_named(*text))
      fail("places.home must name a województwo (\"mazowieckie\")");
    config.places.home = *text;
  }
  // [site]: texts of the pages; dates as YYYY-MM-DD.
  const auto site_text = [&](toml::node_view<const toml::node> table, const std::string& prefix,
                             const char* key, std::string& value, bool date = false) {
    if (auto node = table[key]) {
      auto text = node.value<std::string>();
      if (!text) fail(prefix + key + " must be a string");
      value = *text;
      if (date && !value.empty()) {
        const bool shaped = value.size() == 10 && value[4] == '-' && value[7] == '-' &&
                            value.find_first_not_of("0123456789-") == std::string::npos;
        if (!shaped) fail(prefix + key + " must be a date YYYY-MM-DD, not \"" + value + "\"");
      }
    }
  };
  if (auto site = root["site"]) {
    if (!site.is_table()) fail("site must be a table ([site])");
    SiteSettings& settings = config.site;
    site_text(site, "site.", "name", settings.name);
    site_text(site, "site.", "url", settings.url);
    site_text(site, "site.", "address", settings.address);
    site_text(site, "site.", "email", settings.email);
    site_text(site, "site.", "phone", settings.phone);
    site_text(site, "site.", "logo", settings.logo);
    if (!settings.logo.empty()) settings.logo = file.resolved(settings.logo);
    if (auto facts = site["accessibility"]) {
      if (!facts.is_table()) fail("site.accessibility must be a table ([site.accessibility])");
      AccessibilityFacts& statement = settings.accessibility;
      const std::string prefix = "site.accessibility.";
      site_text(facts, prefix, "published", statement.published, true);
      site_text(facts, prefix, "updated", statement.updated, true);
      site_text(facts, prefix, "prepared", statement.prepared, true);
      site_text(facts, prefix, "reviewed", statement.reviewed, true);
      site_text(facts, prefix, "contact_person", statement.contact_person);
      site_text(facts, prefix, "contact_email", statement.contact_email);
      site_text(facts, prefix, "contact_phone", statement.contact_phone);
      site_text(facts, prefix, "building", statement.building);
      site_text(facts, prefix, "sign_language", statement.sign_language);
    }
  }
  if (auto campaigns = root["campaigns"]) {
    const toml::array* list = campaigns.as_array();
    if (!list) fail("campaigns must be an array of tables ([[campaigns]])");
    size_t index = 0;
    for (const toml::node& node : *list) {
      ++index;
      const toml::table* entry = node.as_table();
      std::string where = "campaigns entry " + std::to_string(index);
      if (!entry) fail(where + " is not a table");
      auto name = (*entry)["name"].value<std::string>();
      if (!name || name->empty()) fail(where + " has no name");
      std::vector<std::string> aliases;
      if (auto alias_node = (*entry)["aliases"]) {
        const toml::array* alias_list = alias_node.as_array();
        if (!alias_list) fail(where + ": aliases must be an array of strings");
        for (const toml::node& alias : *alias_list) {
          auto text = alias.value<std::string>();
          if (!text) fail(where + ": aliases must be an array of strings");
          aliases.push_back(*text);
        }
      }
      config.campaigns.add(*name, aliases);
    }
  }
  return config;
}

}  // namespace mediateka
