// Crash safety of mediateka-index: the real binary is killed with SIGKILL at random moments
// (fixed seed) and stopped with SIGINT; after each stop the index must open, pass xapian-check
// and hold only whole items (an item document with all its page segments), and re-running the
// same import must finish it with every file exactly once.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "archive/index/audience_databases.h"
#include "archive/index/schema.h"
#include "archive/index_writer.h"
#include "archive/item.h"
#include "test_files.h"

extern char** environ;

namespace fs = std::filesystem;
using mediateka::test::read_file;
using nlohmann::json;

namespace {

constexpr int kFiles = 40;
constexpr int kPagesPerFile = 3;

// 40 small PDFs of 3 pages each, all different, from one reportlab run.
bool make_pdfs(const fs::path& folder) {
  fs::create_directories(folder);
  const fs::path script = folder.parent_path() / "make.py";
  std::ofstream(script) << R"(import sys
from reportlab.pdfgen import canvas
folder, count, pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for n in range(count):
    c = canvas.Canvas('%s/dokument_%02d.pdf' % (folder, n), invariant=1)
    c.setTitle('Dokument %d' % n)
    for p in range(pages):
        c.drawString(72, 720, 'Dokument %d, strona %d: pomoc spoleczna w gminie %d.' % (n, p + 1, n))
        c.showPage()
    c.save()
)";
  const std::string command = "/usr/bin/python3 '" + script.string() + "' '" + folder.string() +
                              "' " + std::to_string(kFiles) + " " + std::to_string(kPagesPerFile);
  return std::system(command.c_str()) == 0;
}

class IndexerCrash : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/mediateka-crash-XXXXXX";
    if (!mkdtemp(pattern)) return;
    root_ = pattern;
    made_ = make_pdfs(root_ / "in");
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  void SetUp() override {
    ASSERT_TRUE(made_) << "needs /usr/bin/python3 with reportlab";
    db_ = root_ / ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  // Starts `mediateka-index import` on the folder; stdout and stderr go to files.
  pid_t start_import(const std::string& run_name) {
    const std::vector<std::string> arguments = {MEDIATEKA_INDEX_BIN,
                                                "import",
                                                "--config",
                                                MEDIATEKA_SOURCE_DIR "/config/mediateka.toml",
                                                "--db",
                                                db_.string(),
                                                "--jobs",
                                                "2",
                                                "--batch",
                                                "3",
                                                "--report",
                                                (root_ / (run_name + ".json")).string(),
                                                (root_ / "in").string()};
    std::vector<char*> argv;
    for (const std::string& argument : arguments)
      argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string out = (root_ / (run_name + ".out")).string();
    const std::string err = (root_ / (run_name + ".err")).string();
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(error, 0);
    return pid;
  }

  static int wait_for(pid_t pid) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
  }

  std::string stderr_of(const std::string& run_name) {
    return read_file(root_ / (run_name + ".err"));
  }

  // Items committed so far, or -1 while the index cannot be opened yet.
  int committed_items() {
    try {
      return static_cast<int>(Xapian::Database(mediateka::public_database(db_.string()))
                                  .get_termfreq(mediateka::schema::kItemDoc));
    } catch (const Xapian::Error&) {
      return -1;
    }
  }

  // The index opens, xapian-check finds nothing wrong, every item has all its pages and nothing
  // else lies around: ids and source keys unique, no segment without its item.
  void expect_whole_index(int* items_out = nullptr) {
    using namespace mediateka;
    if (!fs::exists(mediateka::public_database(db_.string()))) {  // killed before it was created
      if (items_out) *items_out = 0;
      return;
    }
    if (std::system("command -v xapian-check >/dev/null") == 0) {
      const std::string check =
          "xapian-check '" + mediateka::public_database(db_.string()) + "' >/dev/null 2>&1";
      EXPECT_EQ(std::system(check.c_str()), 0) << "xapian-check " << db_;
    }
    Xapian::Database db(mediateka::public_database(db_.string()));
    std::set<std::string> ids, keys;
    int items = 0;
    for (auto it = db.postlist_begin(schema::kItemDoc); it != db.postlist_end(schema::kItemDoc);
         ++it) {
      ++items;
      const Item item = item_from_json(json::parse(db.get_document(*it).get_data()));
      EXPECT_TRUE(ids.insert(item.id).second) << "duplicate id " << item.id;
      EXPECT_TRUE(keys.insert(IndexWriter::source_key(item)).second)
          << "duplicate source " << IndexWriter::source_key(item);
      EXPECT_EQ(item.pages, kPagesPerFile) << item.id;
      EXPECT_EQ(db.get_termfreq(schema::boolean_term(schema::kParent, item.id)),
                static_cast<Xapian::doccount>(kPagesPerFile))
          << "item " << item.id << " without all its pages";
    }
    EXPECT_EQ(db.get_termfreq(schema::kSegmentDoc),
              static_cast<Xapian::doccount>(items * kPagesPerFile))
        << "segments without their item";
    if (items_out) *items_out = items;
  }

  // Re-runs the import to the end: every file once, the ones done before unchanged.
  void expect_rerun_completes(int committed_before) {
    const pid_t pid = start_import("final");
    const int status = wait_for(pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << stderr_of("final");
    const json report = json::parse(read_file(root_ / "final.json"));
    EXPECT_EQ(report["imported"].get<int>() + report["unchanged"].get<int>(), kFiles) << report;
    EXPECT_EQ(report["unchanged"].get<int>(), committed_before);
    EXPECT_EQ(report["failed"], 0);
    int items = 0;
    expect_whole_index(&items);
    EXPECT_EQ(items, kFiles);
  }

  static fs::path root_;
  static bool made_;
  fs::path db_;
};

fs::path IndexerCrash::root_;
bool IndexerCrash::made_ = false;

// The moments are random but tied to progress, so that they fall inside the import on a fast
// machine as on a slow one: run k waits until a random number of items is committed (rising
// from run to run, the first may be 0: killed while starting), then a random 0-40 ms more,
// which lands anywhere in extracting, writing or committing the next batch.
TEST_F(IndexerCrash, KilledAtRandomMomentsTheIndexStaysWholeAndARerunCompletesIt) {
  std::mt19937 random(20261);  // fixed: the same plan every run
  std::vector<int> targets;
  std::uniform_int_distribution<int> target(0, kFiles - 6);
  for (int run = 0; run < 5; ++run) targets.push_back(target(random));
  std::sort(targets.begin(), targets.end());
  std::uniform_int_distribution<int> jitter_ms(0, 40);

  int committed = 0, killed_mid_run = 0;
  for (std::size_t run = 0; run < targets.size(); ++run) {
    const std::string name = "killed-" + std::to_string(run);
    const pid_t pid = start_import(name);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (committed_items() < targets[run] && std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter_ms(random)));
    kill(pid, SIGKILL);
    const int status = wait_for(pid);
    SCOPED_TRACE(name + (WIFSIGNALED(status) ? " killed" : " had finished"));
    int items = 0;
    expect_whole_index(&items);
    EXPECT_GE(items, committed) << "a commit was lost";
    if (WIFSIGNALED(status) && items < kFiles) ++killed_mid_run;
    std::cout << name << ": waited for " << targets[run] << " items, "
              << (WIFSIGNALED(status) ? "killed" : "had finished") << ", " << items
              << " items committed\n";
    committed = items;
  }
  EXPECT_GE(killed_mid_run, 3) << "the kills came too late to test anything";
  expect_rerun_completes(committed);
}

TEST_F(IndexerCrash, SigintCommitsWhatIsDoneAndExits130) {
  const pid_t pid = start_import("interrupted");
  // Interrupt once the first batch is committed, well before the last one.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (committed_items() < 1 && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  kill(pid, SIGINT);
  const int status = wait_for(pid);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by the signal instead of stopping";
  EXPECT_EQ(WEXITSTATUS(status), 130) << stderr_of("interrupted");
  EXPECT_NE(stderr_of("interrupted").find("interrupted by SIGINT"), std::string::npos)
      << stderr_of("interrupted");

  const json report = json::parse(read_file(root_ / "interrupted.json"));
  EXPECT_EQ(report["interrupted"], true);
  EXPECT_LT(report["items"].size(), static_cast<std::size_t>(kFiles));
  int items = 0;
  expect_whole_index(&items);
  EXPECT_EQ(items, report["imported"].get<int>()) << "everything reported done is committed";
  expect_rerun_completes(items);
}

}  // namespace
