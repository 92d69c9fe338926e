#include "progress.h"

#include <cstdio>
#include <ostream>

#include "archive/text/clock_text.h"

namespace mediateka::indexer {
namespace {

constexpr auto kLiveInterval = std::chrono::milliseconds(200);  // at most 5 redraws a second

}  // namespace

Progress::Progress(std::ostream& out, ProgressMode mode, Clock::duration plain_interval,
                   Clock::time_point start)
    : out_(out), mode_(mode), interval_(plain_interval), start_(start), last_draw_(start) {}

std::string Progress::format(const ProgressCounts& counts, Clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const double megabytes = static_cast<double>(counts.bytes_done) / 1e6;
  const double total_megabytes = static_cast<double>(counts.bytes_total) / 1e6;
  char text[256];
  int length = std::snprintf(text, sizeof text, "%zu/%zu files, %.1f/%.1f MB", counts.done,
                             counts.total, megabytes, total_megabytes);
  std::string line(text, static_cast<std::size_t>(length));
  if (seconds >= 0.5 && counts.done > 0) {
    std::snprintf(text, sizeof text, ", %.1f files/s, %.1f MB/s",
                  static_cast<double>(counts.done) / seconds, megabytes / seconds);
    line += text;
    // By bytes when there are some (a big video weighs more than a leaflet), else by files.
    double left = -1;
    if (counts.bytes_total > 0 && counts.bytes_done > 0) {
      left = seconds * static_cast<double>(counts.bytes_total - counts.bytes_done) /
             static_cast<double>(counts.bytes_done);
    } else {
      left = seconds * static_cast<double>(counts.total - counts.done) /
             static_cast<double>(counts.done);
    }
    line += ", ETA " + clock_text(static_cast<long long>(left + 0.5));
  } else {
    line += ", ETA --:--";
  }
  line += ", " + std::to_string(counts.failed) + " failed";
  line += pages_repaired_text(counts.ocr_pages, counts.repaired_pages);
  return line;
}

std::string pages_repaired_text(std::size_t ocr_pages, std::size_t repaired_pages) {
  const auto pages = [](std::size_t count) {
    return std::to_string(count) + (count == 1 ? " page" : " pages");
  };
  std::string text;
  if (ocr_pages > 0) text += ", " + pages(ocr_pages) + " OCR'd";
  if (repaired_pages > 0) text += ", " + pages(repaired_pages) + " repaired";
  return text;
}

void Progress::update(const ProgressCounts& counts, Clock::time_point now) {
  if (mode_ == ProgressMode::off) return;
  if (mode_ == ProgressMode::live) {
    if (line_shown_ && now - last_draw_ < kLiveInterval) return;
  } else if (now - last_draw_ < interval_) {
    return;
  }
  draw(counts, now);
}

void Progress::draw(const ProgressCounts& counts, Clock::time_point now) {
  const std::string line = format(counts, now - start_);
  if (mode_ == ProgressMode::live) {
    out_ << "\r" << line << "\033[K" << std::flush;
    line_shown_ = true;
  } else {
    out_ << "mediateka-index: " << line << "\n" << std::flush;
  }
  last_draw_ = now;
}

void Progress::clear() {
  if (mode_ != ProgressMode::live || !line_shown_) return;
  out_ << "\r\033[K" << std::flush;
  line_shown_ = false;
}

void Progress::finish(const ProgressCounts& counts, Clock::time_point now) {
  if (mode_ == ProgressMode::off) return;
  draw(counts, now);
  if (mode_ == ProgressMode::live) {
    out_ << "\n" << std::flush;
    line_shown_ = false;
  }
}

}  // namespace mediateka::indexer
