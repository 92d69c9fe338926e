// The server's own section of the configuration file (config/mediateka.toml): [oai], how the
// OAI-PMH endpoint (oai.h, docs/operations.md) names itself. Read beside the core's settings
// (archive/config.h) from the same file.
#pragma once

#include <string>

namespace mediateka {
class ConfigFile;  // archive/config_file.h
}

namespace mediateka::server {

struct OaiSettings {
  std::string repository_identifier = "mediateka.local";  // in identifiers oai:THIS:ID
  std::string repository_name = "Mediateka";
  std::string admin_email = "admin@mediateka.local";
};

// [oai] of `file`, defaults where it says nothing. Throws ConfigError (archive/config.h)
// naming the file and the wrong key.
OaiSettings read_oai_settings(const ConfigFile& file);

}  // namespace mediateka::server
