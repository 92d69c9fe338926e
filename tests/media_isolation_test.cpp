// IsolatedExtractor: extraction in mediateka-extract-worker, and what happens when the worker
// crashes, hangs, burns CPU or runs out of memory (made to, through the worker's test hook
// MEDIATEKA_TEST_WORKER_FAULT). Fixture PDFs are made at test time with python3-reportlab.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "isolated_extractor.h"
#include "media_test_support.h"

namespace mediateka::media {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace mediateka::test;

// Sets an environment variable for one scope. The worker reads it when it starts, so set it
// before the IsolatedExtractor's first extract().
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnvironment() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::string error_of(IsolatedExtractor& extractor, const fs::path& file) {
  try {
    extractor.extract(file);
  } catch (const ExtractionError& error) {
    return error.what();
  }
  return "no error";
}

// raport.pdf and copies under names the test hook can pick out; damaged.pdf is half of it.
class Isolation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (python_with_reportlab().empty()) return;
    dir_ = std::make_unique<TemporaryFolder>("media_isolation_test.");
    const fs::path& dir = dir_->path();
    made_ = run_python(dir, R"(
from reportlab.pdfgen import canvas
c = canvas.Canvas(')" + (dir / "raport.pdf").string() +
                                R"(', invariant=1)
c.setTitle('Raport roczny')
c.setAuthor('Zespol')
for text in ['Pierwsza strona raportu.', 'Druga strona raportu.']:
    c.drawString(72, 720, text)
    c.showPage()
c.save()
)");
    if (!made_) return;
    for (const char* name : {"zepsuty.pdf", "zawieszony.pdf", "liczacy.pdf", "pamiec.pdf"})
      fs::copy_file(dir / "raport.pdf", dir / name);
    const std::string bytes = read_file(dir / "raport.pdf");
    write_file(dir / "damaged.pdf", bytes.substr(0, bytes.size() / 2));
  }
  static void TearDownTestSuite() { dir_.reset(); }

  void SetUp() override {
    if (!dir_) GTEST_SKIP() << "python3-reportlab is not installed";
    ASSERT_TRUE(made_) << "reportlab could not make the fixtures";
    ASSERT_FALSE(extract_worker_path().empty()) << "mediateka-extract-worker is not built";
  }

  static fs::path file(const std::string& name) { return dir_->path() / name; }

  static void expect_good_report(IsolatedExtractor& extractor) {
    const Extraction extraction = extractor.extract(file("raport.pdf"));
    EXPECT_EQ(extraction.title, "Raport roczny");
    EXPECT_EQ(extraction.pages, 2);
    ASSERT_EQ(extraction.segments.size(), 2u);
    EXPECT_EQ(extraction.segments[1].text, "Druga strona raportu.");
  }

  static std::unique_ptr<TemporaryFolder> dir_;
  static bool made_;
};

std::unique_ptr<TemporaryFolder> Isolation::dir_;
bool Isolation::made_ = false;

TEST_F(Isolation, SameResultAsInProcess) {
  IsolatedExtractor extractor;
  const Extraction isolated = extractor.extract(file("raport.pdf"));
  const Extraction local = extract_file(file("raport.pdf"));
  EXPECT_EQ(to_json(isolated), to_json(local));
}

TEST_F(Isolation, OneWorkerServesManyFilesAndTheirErrors) {
  IsolatedExtractor extractor;
  for (int i = 0; i < 20; ++i) expect_good_report(extractor);
  EXPECT_EQ(error_of(extractor, file("damaged.pdf")), "PDF is damaged or truncated");
  EXPECT_EQ(error_of(extractor, file("missing.pdf")), "file not found");
  expect_good_report(extractor);
}

TEST_F(Isolation, RendersTheCoverAfterTheExtraction) {
  IsolatedExtractor extractor;
  CoverOutcome outcome;
  const fs::path png = file("cover.png");
  const Extraction extraction = extractor.extract(file("raport.pdf"), {png, 160}, outcome);
  EXPECT_EQ(extraction.pages, 2);
  EXPECT_EQ(outcome.status, CoverOutcome::Status::made) << outcome.error;
  std::ifstream in(png, std::ios::binary);
  std::string signature(8, '\0');
  in.read(signature.data(), 8);
  EXPECT_EQ(signature, "\x89PNG\r\n\x1a\n");
  fs::remove(png);

  // No cover asked for, or a failed extraction: no cover answer, and the next file is in step.
  extractor.extract(file("raport.pdf"), {}, outcome);
  EXPECT_EQ(outcome.status, CoverOutcome::Status::not_requested);
  EXPECT_THROW(extractor.extract(file("damaged.pdf"), {png, 160}, outcome), ExtractionError);
  EXPECT_EQ(outcome.status, CoverOutcome::Status::not_requested);
  EXPECT_FALSE(fs::exists(png));
  expect_good_report(extractor);
}

TEST_F(Isolation, ACoverThatCrashesTheWorkerCostsOnlyTheCover) {
  ScopedEnvironment fault("MEDIATEKA_TEST_WORKER_FAULT", "cover-crash:zepsuty");
  IsolatedExtractor extractor;
  CoverOutcome outcome;
  const Extraction extraction =
      extractor.extract(file("zepsuty.pdf"), {file("zepsuty.png"), 160}, outcome);
  EXPECT_EQ(extraction.pages, 2);
  EXPECT_EQ(outcome.status, CoverOutcome::Status::failed);
  EXPECT_EQ(outcome.error,
            "extractor crashed (signal 11: Segmentation fault) while reading this file");
  EXPECT_FALSE(fs::exists(file("zepsuty.png")));
  expect_good_report(extractor);  // a new worker
}

TEST_F(Isolation, CrashFailsThatFileAndTheNextOneWorks) {
  ScopedEnvironment fault("MEDIATEKA_TEST_WORKER_FAULT", "crash:zepsuty");
  IsolatedExtractor extractor;
  expect_good_report(extractor);
  EXPECT_EQ(error_of(extractor, file("zepsuty.pdf")),
            "extractor crashed (signal 11: Segmentation fault) while reading this file");
  expect_good_report(extractor);  // a new worker
  EXPECT_NE(error_of(extractor, file("zepsuty.pdf")), "no error");
  expect_good_report(extractor);
}

TEST_F(Isolation, HangTimesOutAndTheNextOneWorks) {
  ScopedEnvironment fault("MEDIATEKA_TEST_WORKER_FAULT", "hang:zawieszony");
  IsolationLimits limits;
  limits.inactivity_seconds = 1;
  IsolatedExtractor extractor(limits);
  const auto start = Clock::now();
  EXPECT_EQ(error_of(extractor, file("zawieszony.pdf")),
            "extractor ran out of time (no answer in 1 s)");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
  expect_good_report(extractor);
}

TEST_F(Isolation, CpuLimitEndsABusyWorker) {
  ScopedEnvironment fault("MEDIATEKA_TEST_WORKER_FAULT", "spin:liczacy");
  IsolationLimits limits;
  limits.cpu_seconds = 1;
  limits.inactivity_seconds = 20;  // the CPU limit must come first
  IsolatedExtractor extractor(limits);
  expect_good_report(extractor);
  const auto start = Clock::now();
  EXPECT_EQ(error_of(extractor, file("liczacy.pdf")), "extractor ran out of CPU time (limit 1 s)");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
  expect_good_report(extractor);
}

// AddressSanitizer reserves terabytes of address space, so a sanitizer build of the worker sets
// no memory limit (see limit_memory() in extract_worker_main.cpp).
#if defined(__SANITIZE_ADDRESS__)
#define SKIP_WITHOUT_MEMORY_LIMITS() GTEST_SKIP() << "no memory limits under AddressSanitizer"
#else
#define SKIP_WITHOUT_MEMORY_LIMITS() static_cast<void>(0)
#endif

// Exceeding the limit is provoked by the hook: text extraction of a real file needs little
// memory, and a file that needs a lot would make this test slow and heavy.
TEST_F(Isolation, MemoryLimitFailsThatFileAndTheNextOneWorks) {
  SKIP_WITHOUT_MEMORY_LIMITS();
  ScopedEnvironment fault("MEDIATEKA_TEST_WORKER_FAULT", "oom:pamiec");
  IsolationLimits limits;
  limits.memory_bytes = std::size_t{512} << 20;
  IsolatedExtractor extractor(limits);
  EXPECT_EQ(error_of(extractor, file("pamiec.pdf")),
            "extractor exceeded the memory limit (512 MiB)");
  expect_good_report(extractor);
}

// The worker maps ~200 MB of libraries before its first file: a limit below that is a
// configuration error, not a bad file, so it is not an ExtractionError. (Were it accepted, the
// first allocation in Poppler would abort: files would fail as "crashed (signal 6)".)
TEST_F(Isolation, LimitTooSmallToStartIsNotTheFilesFault) {
  SKIP_WITHOUT_MEMORY_LIMITS();
  IsolationLimits limits;
  limits.memory_bytes = std::size_t{16} << 20;
  IsolatedExtractor extractor(limits);
  try {
    extractor.extract(file("raport.pdf"));
    ADD_FAILURE() << "no error";
  } catch (const ExtractionError& error) {
    ADD_FAILURE() << "blamed the file: " << error.what();
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("did not start"), std::string::npos) << error.what();
  }
}

TEST_F(Isolation, MissingWorkerIsNotTheFilesFault) {
  ScopedEnvironment worker("MEDIATEKA_EXTRACT_WORKER", "/nonexistent/mediateka-extract-worker");
  EXPECT_TRUE(extract_worker_path().empty());
  IsolatedExtractor extractor;
  try {
    extractor.extract(file("raport.pdf"));
    ADD_FAILURE() << "no error";
  } catch (const ExtractionError& error) {
    ADD_FAILURE() << "blamed the file: " << error.what();
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("MEDIATEKA_EXTRACT_WORKER"), std::string::npos);
  }
}

TEST_F(Isolation, DestructorLeavesNoWorkerBehind) {
  pid_t group = 0;
  {
    IsolatedExtractor extractor;
    expect_good_report(extractor);
    // The worker is the newest child of ours: find it through /proc.
    for (const auto& entry : fs::directory_iterator("/proc")) {
      std::ifstream stat(entry.path() / "stat");
      std::string pid, name, state;
      pid_t parent = 0;
      if (stat >> pid >> name >> state >> parent && parent == getpid() &&
          name.find("mediateka-extr") != std::string::npos)
        group = static_cast<pid_t>(std::stol(pid));
    }
    ASSERT_GT(group, 0);
  }
  EXPECT_NE(kill(group, 0), 0);  // gone, and reaped (a zombie would still answer)
}

}  // namespace
}  // namespace mediateka::media
