// mediateka-index's diagnostics go through the shared logger (logging/logging.h): plain lines with
// their level on a terminal, JSON lines with [log] format = "json"; its results stay its output.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <xapian.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "archive/index/audience_databases.h"
#include "archive/index/schema.h"
#include "archive/index_writer.h"
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

// An index of another schema is one error type (archive/index_error.h) whether a command
// writes or reads it, explained as always: plain text on a terminal, a JSON line with its level.
TEST(IndexerLog, AnIndexOfAnotherSchemaIsExplainedByEveryCommand) {
  TemporaryFolder folder("indexer_log_test.");
  const fs::path db = folder.path() / "index";
  {
    IndexWriter writer(db.string());
    writer.commit();
  }
  {
    Xapian::WritableDatabase old(public_database(db.string()), Xapian::DB_OPEN);
    old.set_metadata(schema::kSchemaVersionKey, "1");
    old.commit();
  }
  const std::string advice =
      " with --names-from " + db.string() + ", which keeps every item's id and slug";
  const std::string read = "the index has schema version 1, this program reads " +
                           std::to_string(schema::kSchemaVersion) +
                           ": import the collection into a new index" + advice;
  const IndexRun show = index_with_config(folder, "[log]\nformat = \"text\"\n", "show nic");
  EXPECT_EQ(show.status, 2);
  EXPECT_NE(show.err.find("\nmediateka-index: " + read + "\n"), std::string::npos) << show.err;
  const IndexRun remove = index_with_config(folder, "", "remove nic");
  EXPECT_EQ(remove.status, 2);
  // The writer names the database it opened, inside the index's folder.
  EXPECT_NE(remove.err.find("\nmediateka-index: index " + db.string()), std::string::npos)
      << remove.err;
  EXPECT_NE(remove.err.find(" has schema version '1'"), std::string::npos) << remove.err;
  EXPECT_NE(remove.err.find(advice + "\n"), std::string::npos) << remove.err;

  const IndexRun json_run = index_with_config(folder, "[log]\nformat = \"json\"\n", "show nic");
  EXPECT_EQ(json_run.status, 2);
  const nlohmann::json line = nlohmann::json::parse(
      json_run.err.substr(json_run.err.rfind('\n', json_run.err.size() - 2) + 1), nullptr, false);
  ASSERT_TRUE(line.is_object()) << json_run.err;
  EXPECT_EQ(line["level"], "error");
  EXPECT_EQ(line["message"], read);
}

}  // namespace
}  // namespace mediateka::test
