// The import's progress line: its format, and how often each mode draws it.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "progress.h"

namespace mediateka::indexer {
namespace {

using Clock = Progress::Clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

ProgressCounts counts(std::size_t done, std::int64_t megabytes_done, std::size_t failed = 0) {
  ProgressCounts result;
  result.done = done;
  result.total = 300;
  result.bytes_done = megabytes_done * 1'000'000;
  result.bytes_total = 120'000'000;
  result.failed = failed;
  return result;
}

std::size_t lines(const std::string& text) {
  std::size_t count = 0;
  for (char c : text) count += c == '\n';
  return count;
}

TEST(Progress, LineShowsFilesBytesRatesEtaAndFailures) {
  EXPECT_EQ(Progress::format(counts(120, 40, 2), seconds(10)),
            "120/300 files, 40.0/120.0 MB, 12.0 files/s, 4.0 MB/s, ETA 0:20, 2 failed");
  EXPECT_EQ(Progress::format(counts(0, 0), milliseconds(100)),
            "0/300 files, 0.0/120.0 MB, ETA --:--, 0 failed");
  ProgressCounts no_bytes;  // URLs only: the ETA goes by files
  no_bytes.done = 1;
  no_bytes.total = 4000;
  EXPECT_EQ(Progress::format(no_bytes, seconds(2)),
            "1/4000 files, 0.0/0.0 MB, 0.5 files/s, 0.0 MB/s, ETA 2:13:18, 0 failed");
}

TEST(Progress, PlainModePrintsALineEveryIntervalAndOneAtTheEnd) {
  std::ostringstream out;
  const Clock::time_point start{};
  Progress progress(out, ProgressMode::plain, seconds(5), start);
  for (int second = 1; second <= 12; ++second)
    progress.update(counts(static_cast<std::size_t>(second) * 10, second), start + seconds(second));
  EXPECT_EQ(lines(out.str()), 2u) << out.str();  // at 5 s and 10 s
  progress.finish(counts(300, 120), start + seconds(13));
  const std::string text = out.str();
  EXPECT_EQ(lines(text), 3u);
  EXPECT_EQ(text.find("mediateka-index: 50/300 files, 5.0/120.0 MB, 10.0 files/s"), 0u) << text;
  EXPECT_NE(text.find("mediateka-index: 300/300 files, 120.0/120.0 MB"), std::string::npos);
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(Progress, LiveModeRedrawsInPlaceAtMostFiveTimesASecond) {
  std::ostringstream out;
  const Clock::time_point start{};
  Progress progress(out, ProgressMode::live, seconds(5), start);
  for (int tick = 0; tick < 100; ++tick)  // every 10 ms for 1 s
    progress.update(counts(static_cast<std::size_t>(tick), 0), start + milliseconds(10 * tick));
  std::string text = out.str();
  std::size_t redraws = 0;
  for (char c : text) redraws += c == '\r';
  EXPECT_GE(redraws, 4u);
  EXPECT_LE(redraws, 6u);
  EXPECT_EQ(lines(text), 0u);
  progress.clear();
  EXPECT_EQ(out.str().substr(out.str().size() - 4), "\r\033[K");
  progress.finish(counts(300, 120), start + seconds(2));
  EXPECT_EQ(out.str().back(), '\n');
}

TEST(Progress, OffPrintsNothing) {
  std::ostringstream out;
  Progress progress(out, ProgressMode::off);
  progress.update(counts(1, 1));
  progress.finish(counts(300, 120));
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace mediateka::indexer
