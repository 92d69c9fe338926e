#include "harvest/oai_settings.h"

#include "archive/config_file.h"

namespace mediateka::server {

OaiSettings read_oai_settings(const ConfigFile& file) {
  OaiSettings oai;
  const auto text = [&](const char* key, std::string& value) {
    if (auto node = file.root()["oai"][key]) {
      auto found = node.value<std::string>();
      if (!found || found->empty())
        file.fail(std::string("oai.") + key + " must be a non-empty string");
      value = *found;
    }
  };
  text("repository_identifier", oai.repository_identifier);
  text("repository_name", oai.repository_name);
  text("admin_email", oai.admin_email);
  if (oai.repository_identifier.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != std::string::npos)
    file.fail("oai.repository_identifier must be a domain name (letters, digits, '.' and '-')");
  return oai;
}

}  // namespace mediateka::server
