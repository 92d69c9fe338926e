// Each program reads its own sections of the one configuration file: the core's settings
// (archive/config.h), the server's [oai] (search-server/oai_settings.h), media's [ocr] and
// [extraction] (media/media_settings.h). The file's format and its error messages are those of
// docs/operations.md and config/mediateka.toml.
#include <gtest/gtest.h>

#include <string>

#include "archive/config.h"
#include "archive/config_file.h"
#include "harvest/oai_settings.h"
#include "media_settings.h"
#include "server_test_support.h"

namespace mediateka::test {
namespace {

// The message of the ConfigError reading `text` as a file throws, "" when none.
std::string error_of(const std::string& text) {
  TemporaryFolder folder("config_sections_test.");
  const fs::path file = folder.path() / "mediateka.toml";
  write_file(file, text);
  try {
    const ConfigFile parsed(file.string());
    load_config(parsed);
    server::read_oai_settings(parsed);
    media::read_media_settings(parsed);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "";
}

TEST(ConfigSections, EachProgramReadsItsOwnSectionsOfTheFile) {
  TemporaryFolder folder("config_sections_test.");
  const fs::path file = folder.path() / "mediateka.toml";
  write_file(file,
             "[index]\ndb = \"indeks\"\n"
             "[oai]\nrepository_identifier = \"archiwum.rcps.example\"\n"
             "repository_name = \"Archiwum RCPS\"\nadmin_email = \"oai@rcps.example\"\n"
             "[ocr]\nenabled = false\nlanguages = \"pol\"\ndpi = 200\npage_seconds = 30\n"
             "tessdata = \"tessdata\"\n"
             "[extraction]\ncpu_seconds = 20\nmemory_mb = 512\ninactivity_seconds = 15\n");
  const ConfigFile parsed(file.string());
  EXPECT_EQ(parsed.path(), file.string());
  EXPECT_EQ(load_config(parsed).db, (folder.path() / "indeks").string());

  const server::OaiSettings oai = server::read_oai_settings(parsed);
  EXPECT_EQ(oai.repository_identifier, "archiwum.rcps.example");
  EXPECT_EQ(oai.repository_name, "Archiwum RCPS");
  EXPECT_EQ(oai.admin_email, "oai@rcps.example");

  const media::MediaSettings settings = media::read_media_settings(parsed);
  EXPECT_FALSE(settings.ocr.enabled);
  EXPECT_EQ(settings.ocr.languages, "pol");
  EXPECT_EQ(settings.ocr.dpi, 200);
  EXPECT_EQ(settings.ocr.page_seconds, 30);
  EXPECT_EQ(settings.ocr.tessdata, (folder.path() / "tessdata").string());  // beside the file
  EXPECT_EQ(settings.extraction.cpu_seconds, 20);
  EXPECT_EQ(settings.extraction.memory_mb, 512);
  EXPECT_EQ(settings.extraction.inactivity_seconds, 15);
}

TEST(ConfigSections, WhatTheFileLeavesOutHasItsDefault) {
  TemporaryFolder folder("config_sections_test.");
  const fs::path file = folder.path() / "mediateka.toml";
  write_file(file, "[server]\nport = 8081\n");
  const ConfigFile parsed(file.string());
  EXPECT_EQ(load_config(parsed).port, 8081);
  const server::OaiSettings oai = server::read_oai_settings(parsed);
  EXPECT_EQ(oai.repository_identifier, "mediateka.local");
  EXPECT_EQ(oai.repository_name, "Mediateka");
  EXPECT_EQ(oai.admin_email, "admin@mediateka.local");
  const media::MediaSettings settings = media::read_media_settings(parsed);
  EXPECT_TRUE(settings.ocr.enabled);
  EXPECT_EQ(settings.ocr.languages, "pol+eng");
  EXPECT_EQ(settings.ocr.dpi, 300);
  EXPECT_EQ(settings.ocr.page_seconds, 60);
  EXPECT_EQ(settings.ocr.tessdata, "");
  EXPECT_EQ(settings.extraction.cpu_seconds, 60);
  EXPECT_EQ(settings.extraction.memory_mb, 2048);
  EXPECT_EQ(settings.extraction.inactivity_seconds, 60);
}

TEST(ConfigSections, TheShippedConfigurationReadsWhole) {
  const ConfigFile parsed(std::string(MEDIATEKA_SOURCE_DIR) + "/config/mediateka.toml");
  EXPECT_NO_THROW(load_config(parsed));
  EXPECT_NO_THROW(server::read_oai_settings(parsed));
  EXPECT_NO_THROW(media::read_media_settings(parsed));
}

TEST(ConfigSections, AWrongValueIsNamedWithItsFile) {
  const auto expect_error = [](const std::string& text, const std::string& wanted) {
    const std::string error = error_of(text);
    EXPECT_NE(error.find("mediateka.toml: " + wanted), std::string::npos)
        << text << " gave: " << error;
  };
  expect_error("[oai]\nrepository_identifier = \"zła nazwa\"\n",
               "oai.repository_identifier must be a domain name (letters, digits, '.' and '-')");
  expect_error("[oai]\nrepository_name = \"\"\n", "oai.repository_name must be a non-empty string");
  expect_error("[oai]\nadmin_email = 7\n", "oai.admin_email must be a non-empty string");
  expect_error("[ocr]\nenabled = \"tak\"\n", "ocr.enabled must be true or false");
  expect_error("[ocr]\nlanguages = \"pol eng\"\n",
               "ocr.languages must be Tesseract language names joined by '+' (\"pol+eng\")");
  expect_error("[ocr]\ndpi = 20\n", "ocr.dpi must be a number 70..600");
  expect_error("[ocr]\npage_seconds = 0\n", "ocr.page_seconds must be a number 1..3600");
  expect_error("[ocr]\ntessdata = 1\n", "ocr.tessdata must be a string");
  expect_error("[extraction]\ncpu_seconds = 0\n",
               "extraction.cpu_seconds must be a number 1..86400");
  expect_error("[extraction]\nmemory_mb = 1\n",
               "extraction.memory_mb must be a number 64..1048576");
  expect_error("[extraction]\ninactivity_seconds = \"60\"\n",
               "extraction.inactivity_seconds must be a number 1..86400");
  expect_error("[server]\npage_images_mb = -1\n",
               "server.page_images_mb must be a number 0..1048576");
  // A syntax error names the line and the column.
  EXPECT_NE(error_of("[ocr\n").find("mediateka.toml:1:"), std::string::npos) << error_of("[ocr\n");
  EXPECT_EQ(error_of("[oai]\nrepository_identifier = \"archiwum.example\"\n"), "");
}

// The server reads [oai], [ocr] and [extraction] at start: a wrong value stops it with a reason.
TEST(ConfigSections, TheServerRefusesAWrongSectionOfItsOwn) {
  TemporaryFolder folder("config_sections_test.");
  const fs::path db = folder.path() / "index";
  write_index(db, {make_item("pub1", ItemType::publication, "Poradnik", 2011, {})});
  for (const std::string& text : {std::string("[oai]\nrepository_identifier = \"zła nazwa\"\n"),
                                  std::string("[ocr]\ndpi = 20\n")}) {
    write_file(folder.path() / "bad.toml", text);
    const fs::path log = folder.path() / "server.log";
    fs::remove(log);
    ServerProcess server(db, {}, folder.path() / "bad.toml", log);
    EXPECT_EQ(server.wait_for_exit(), 2) << text;
    const std::string said = read_file(log);
    EXPECT_NE(said.find("bad.toml: " + text.substr(1, 3)), std::string::npos) << said;
  }
}

}  // namespace
}  // namespace mediateka::test
