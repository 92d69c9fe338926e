#include "config.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "gazetteer.h"

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

std::string find_config(const std::string& named, const std::string& system_config) {
  if (!named.empty()) return named;
  std::error_code ignored;
  if (std::filesystem::exists(kLocalConfig, ignored)) return kLocalConfig;
  if (const char* variable = std::getenv(kConfigVariable); variable && *variable) return variable;
  if (!system_config.empty() && std::filesystem::exists(system_config, ignored))
    return system_config;
  return {};
}

Config load_config(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    throw ConfigError(path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                      ": " + std::string(error.description()));
  } catch (const std::exception& error) {
    throw ConfigError(path + ": " + error.what());
  }
  std::filesystem::path base = std::filesystem::path(path).parent_path();
  Config config;
  auto fail = [&](const std::string& what) { throw ConfigError(path + ": " + what); };

  if (auto db = root["index"]["db"]) {
    if (!db.is_string()) fail("index.db must be a string");
    config.db = resolve(base, *db.value<std::string>());
  } else {
    config.db = resolve(base, config.db);
  }
  if (auto thumbs = root["index"]["thumbs"]) {
    if (!thumbs.is_string()) fail("index.thumbs must be a string");
    config.thumbs = resolve(base, *thumbs.value<std::string>());
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
    config.synonyms = resolve(base, *text);
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
      if (!shard.db.empty()) shard.db = resolve(base, shard.db);
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
  const auto oai_text = [&](const char* key, std::string& value) {
    if (auto node = root["oai"][key]) {
      auto text = node.value<std::string>();
      if (!text || text->empty()) fail(std::string("oai.") + key + " must be a non-empty string");
      value = *text;
    }
  };
  oai_text("repository_identifier", config.oai.repository_identifier);
  oai_text("repository_name", config.oai.repository_name);
  oai_text("admin_email", config.oai.admin_email);
  if (config.oai.repository_identifier.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != std::string::npos)
    fail("oai.repository_identifier must be a domain name (letters, digits, '.' and '-')");
  if (auto enabled = root["ocr"]["enabled"]) {
    if (!enabled.is_boolean()) fail("ocr.enabled must be true or false");
    config.ocr.enabled = *enabled.value<bool>();
  }
  if (auto languages = root["ocr"]["languages"]) {
    auto value = languages.value<std::string>();
    const bool valid =
        value && !value->empty() &&
        value->find_first_not_of("abcdefghijklmnopqrstuvwxyz_+") == std::string::npos;
    if (!valid) fail("ocr.languages must be Tesseract language names joined by '+' (\"pol+eng\")");
    config.ocr.languages = *value;
  }
  // TABLE.KEY, when present, must be a whole number min..max.
  const auto number_in = [&](const char* table, const char* key, int min, int max, int& value) {
    if (auto node = root[table][key]) {
      auto number = node.value<int64_t>();
      if (!number || *number < min || *number > max)
        fail(std::string(table) + "." + key + " must be a number " + std::to_string(min) + ".." +
             std::to_string(max));
      value = static_cast<int>(*number);
    }
  };
  number_in("ocr", "dpi", 70, 600, config.ocr.dpi);
  number_in("ocr", "page_seconds", 1, 3600, config.ocr.page_seconds);
  number_in("extraction", "cpu_seconds", 1, 86400, config.extraction.cpu_seconds);
  number_in("extraction", "memory_mb", 64, 1 << 20, config.extraction.memory_mb);
  number_in("extraction", "inactivity_seconds", 1, 86400, config.extraction.inactivity_seconds);
  if (auto tessdata = root["ocr"]["tessdata"]) {
    if (!tessdata.is_string()) fail("ocr.tessdata must be a string");
    config.ocr.tessdata = resolve(base, *tessdata.value<std::string>());
  }
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
