// The searcher's helper: work runs on its own thread with its own handle on the archive, errors
// come back to the caller, and no work outlives the task that started it.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <thread>

#include "archive/search/helper_reader.h"

namespace mediateka {
namespace {

namespace fs = std::filesystem;

class HelperReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("mediateka-helper-" + std::to_string(std::random_device{}()));
    Xapian::WritableDatabase db(dir_.string(), Xapian::DB_CREATE);
    for (int i = 0; i < 3; ++i) db.add_document(Xapian::Document());
    db.commit();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void add_document() {
    Xapian::WritableDatabase db(dir_.string());
    db.add_document(Xapian::Document());
    db.commit();
  }

  fs::path dir_;
};

TEST_F(HelperReaderTest, WorkRunsOnItsOwnThreadWithItsOwnHandle) {
  HelperReader helper(Xapian::Database(dir_.string()));
  std::thread::id worker;
  Xapian::doccount count = 0;
  for (int round = 0; round < 3; ++round) {  // the same thread serves task after task
    HelperReader::Task task(helper, [&](const Xapian::Database& db) {
      worker = std::this_thread::get_id();
      count = db.get_doccount();
    });
    task.join();
    EXPECT_NE(worker, std::this_thread::get_id());
    EXPECT_EQ(count, 3u);
  }

  // The handle it is given for the next task is the one that task reads.
  add_document();
  helper.set_database(Xapian::Database(dir_.string()));
  HelperReader::Task task(helper, [&](const Xapian::Database& db) { count = db.get_doccount(); });
  task.join();
  EXPECT_EQ(count, 4u);
}

TEST_F(HelperReaderTest, JoinRethrowsWhatTheWorkThrew) {
  HelperReader helper(Xapian::Database(dir_.string()));
  HelperReader::Task failing(helper, [](const Xapian::Database&) {
    throw Xapian::DatabaseModifiedError("the indexer committed meanwhile");
  });
  EXPECT_THROW(failing.join(), Xapian::DatabaseModifiedError);

  // The helper still serves after a failure.
  bool ran = false;
  HelperReader::Task next(helper, [&](const Xapian::Database&) { ran = true; });
  next.join();
  EXPECT_TRUE(ran);
}

TEST_F(HelperReaderTest, AnUnjoinedTaskIsWaitedForWhenItEnds) {
  HelperReader helper(Xapian::Database(dir_.string()));
  std::atomic<bool> finished{false};
  try {
    HelperReader::Task task(helper, [&](const Xapian::Database&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      finished = true;
    });
    throw std::runtime_error("the caller's own share failed");
  } catch (const std::runtime_error&) {
    // The task's destructor has run: its work, which refers to this frame, is over.
    EXPECT_TRUE(finished.load());
  }
}

}  // namespace
}  // namespace mediateka
