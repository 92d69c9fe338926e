// Extraction in a child process, so a file that crashes or hangs Poppler or FFmpeg costs that
// one file and not the import (the idea of Xapian omega's runfilter).
//
// Each IsolatedExtractor keeps one worker process (mediateka-extract-worker) and sends it one
// file after another. The worker runs extract_file() under a CPU limit per file and a memory
// limit; the parent gives up on a file when the worker is silent for inactivity_seconds (a
// worker reading a scan speaks up before each page it OCRs, and gets a new CPU allowance). After
// a crash, a timeout or a limit the worker is killed (with its process group) and a new one is
// started for the next file.
//
// Finding the worker executable, first match wins:
//   1. $MEDIATEKA_EXTRACT_WORKER, if set and non-empty (operators, packaging, tests);
//   2. mediateka-extract-worker in the folder of the running program (/proc/self/exe), which
//      is where the build (CMAKE_BINARY_DIR) and an installation put it beside mediateka-index;
//   3. the build tree's copy, a path compiled in (for test programs living in build/tests).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>

#include "extraction.h"

namespace mediateka::media {

struct IsolationLimits {
  int cpu_seconds = 60;  // CPU time per file (RLIMIT_CPU, raised before each file)
  std::size_t memory_bytes = std::size_t{2} << 30;  // address space of the worker (RLIMIT_AS)
  int inactivity_seconds = 60;  // wall-clock time the worker may stay silent on one file
};

// A cover to render in the worker after a successful extraction (see cover.h render_cover).
struct CoverRequest {
  std::filesystem::path png;  // where the PNG goes (written atomically); empty: no cover
  int width = 320;
};

struct CoverOutcome {
  enum class Status {
    not_requested,  // no cover asked for, or the extraction failed
    made,           // the PNG is written
    none,           // audio without cover art: nothing to render, nothing wrong
    failed,         // `error` says why; the PNG was not touched
  };
  Status status = Status::not_requested;
  std::string error;
};

// The worker executable by the rule above; empty when none of the candidates exists.
std::filesystem::path extract_worker_path();

// Not thread-safe: use one per worker thread. Not copyable.
//
// extract() throws ExtractionError when the FILE is at fault: the extractor's own errors
// (damaged, locked, unknown kind) and, with reasons such as
//   "extractor crashed (signal 11: Segmentation fault) while reading this file",
//   "extractor ran out of time (no answer in 60 s)",
//   "extractor ran out of CPU time (limit 60 s)",
//   "extractor exceeded the memory limit (2048 MiB)",
// the failures of the worker while it read the file. It throws std::runtime_error (not an
// ExtractionError) when the worker cannot be found or started, or dies before its first
// request: then no file is to blame and none should be remembered as failed.
//
// The worker is reaped with waitpid(): a program that sets SIGCHLD to SIG_IGN, or reaps
// children with waitpid(-1, ...), loses the crash reasons (the file still fails cleanly).
class IsolatedExtractor {
 public:
  // `ocr` says how the worker reads scans (see ocr.h).
  explicit IsolatedExtractor(IsolationLimits limits = {}, OcrSettings ocr = {});
  ~IsolatedExtractor();  // kills the worker
  IsolatedExtractor(const IsolatedExtractor&) = delete;
  IsolatedExtractor& operator=(const IsolatedExtractor&) = delete;

  Extraction extract(const std::filesystem::path& file);
  // The same, and when the extraction succeeds the worker renders `cover` as well. A cover that
  // fails, crashes or hangs the worker is reported in `outcome`, never thrown: the extraction
  // stands (a crashed worker is replaced before the next file).
  Extraction extract(const std::filesystem::path& file, const CoverRequest& cover,
                     CoverOutcome& outcome);

 private:
  void start_worker();
  void stop_worker();  // SIGKILL to the worker's process group, then reap it
  [[noreturn]] void fail_after_worker_died();  // names the cause from waitpid()
  void read_cover_answer(CoverOutcome& outcome);

  IsolationLimits limits_;
  OcrSettings ocr_;
  pid_t pid_ = -1;    // -1: no worker; started lazily by extract()
  int channel_ = -1;  // our end of the socket pair (the worker's stdin and stdout)
};

}  // namespace mediateka::media
