// mediateka-index's diagnostics go through the shared logger (logging/logging.h): plain lines with
// their level on a terminal, JSON lines with [log] format = "json"; its results stay its output.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "test_files.h"

namespace mediateka::test {
namespace {

namespace fs = std::filesystem;

struct IndexRun {
  int status = -1;
  std::string err;
};

IndexRun index_with_config(const TemporaryFolder& folder, const std::string& config_text,
                           const std::string& arguments) {
  write_file(folder.path() / "mediateka.toml", config_text);
  const fs::path err = folder.path() / "stderr";
  const std::string command = std::string(MEDIATEKA_INDEX_BIN) + " " + arguments + " --config '" +
                              (folder.path() / "mediateka.toml").string() + "' --db '" +
                              (folder.path() / "index").string() + "' >/dev/null 2>'" +
                              err.string() + "'";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(err)};
}

TEST(IndexerLog, ErrorsAreLoggedWithTheirLevelAsTextOrJson) {
  TemporaryFolder folder("indexer_log_test.");
  const IndexRun text = index_with_config(folder, "[log]\nformat = \"text\"\n", "import");
  EXPECT_EQ(text.status, 2);
  // The configuration used (info), then the error.
  EXPECT_EQ(text.err, "mediateka-index: info: configuration " +
                          (folder.path() / "mediateka.toml").string() +
                          "\nmediateka-index: error: nothing to import: give paths, URLs or "
                          "--manifest\n");

  const IndexRun json_run = index_with_config(folder, "[log]\nformat = \"json\"\n", "import");
  EXPECT_EQ(json_run.status, 2);
  std::istringstream lines(json_run.err);
  std::string text_line;
  nlohmann::json line;
  while (std::getline(lines, text_line)) {
    line = nlohmann::json::parse(text_line, nullptr, false);
    ASSERT_TRUE(line.is_object()) << json_run.err;  // every line is JSON
  }
  EXPECT_EQ(line["program"], "mediateka-index");
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(line["message"], "nothing to import: give paths, URLs or --manifest");
  EXPECT_FALSE(line.contains("request_id"));

  // Below the configured level nothing is said, but the exit status still tells.
  const IndexRun quiet = index_with_config(folder, "[log]\nlevel = \"critical\"\n", "import");
  EXPECT_EQ(quiet.status, 2);
  EXPECT_EQ(quiet.err, "");
}

}  // namespace
}  // namespace mediateka::test
