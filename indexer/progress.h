// The progress of an import on stderr.
//   live:  on a terminal, one line redrawn in place (\r) at most 5 times a second;
//   plain: otherwise (logs, pipes), a line every `interval` (5 s) and one at the end;
//   off:   --quiet.
// A line reads "120/300 files, 45.2/110.0 MB, 12.3 files/s, 4.5 MB/s, ETA 0:14, 1 failed";
// megabytes count local files (a URL's size is known only once it is fetched).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace mediateka::indexer {

enum class ProgressMode { off, live, plain };

struct ProgressCounts {
  std::size_t done = 0, total = 0;  // sources
  std::int64_t bytes_done = 0, bytes_total = 0;
  std::size_t failed = 0;
  std::size_t ocr_pages = 0, repaired_pages = 0;  // of the sources done
};

// ", 12 pages OCR'd, 1 page repaired": what the import did to scans and mis-decoded text;
// empty when nothing.
std::string pages_repaired_text(std::size_t ocr_pages, std::size_t repaired_pages);

class Progress {
 public:
  using Clock = std::chrono::steady_clock;

  Progress(std::ostream& out, ProgressMode mode,
           Clock::duration plain_interval = std::chrono::seconds(5),
           Clock::time_point start = Clock::now());

  // Draws the line when one is due.
  void update(const ProgressCounts& counts, Clock::time_point now = Clock::now());
  // Erases a live line, so that another message can be printed; the next update redraws it.
  void clear();
  // The last line: a live line is redrawn and ended with a newline, a plain one printed.
  void finish(const ProgressCounts& counts, Clock::time_point now = Clock::now());

  // The line itself, without prefix or control characters.
  static std::string format(const ProgressCounts& counts, Clock::duration elapsed);

 private:
  void draw(const ProgressCounts& counts, Clock::time_point now);

  std::ostream& out_;
  ProgressMode mode_;
  Clock::duration interval_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  bool line_shown_ = false;  // a live line is on the screen
};

}  // namespace mediateka::indexer
