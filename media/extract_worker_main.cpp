// mediateka-extract-worker: runs extract_file() for IsolatedExtractor, one file after another,
// under the limits given on its command line. See worker_protocol.h for the frames and
// isolated_extractor.h for why it exists. Not meant to be run by hand.
//
//   mediateka-extract-worker --cpu-seconds N --memory-bytes N
//       [--ocr-languages pol+eng --ocr-dpi N --ocr-page-seconds N --ocr-tessdata DIR]
// (without --ocr-languages, scans are not read by OCR).
//
// stdin and stdout are one socket to the parent.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cover.h"
#include "extraction.h"
#include "worker_protocol.h"

namespace {

namespace protocol = mediateka::media::worker_protocol;

bool read_exact(int fd, char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t got = read(fd, data, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    data += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

bool write_all(int fd, const std::string& bytes) {
  const char* data = bytes.data();
  std::size_t size = bytes.size();
  while (size > 0) {
    const ssize_t put = write(fd, data, size);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    data += put;
    size -= static_cast<std::size_t>(put);
  }
  return true;
}

// RLIMIT_CPU counts the whole life of the process, and this one lives for many files: before
// each file the soft limit is moved to "CPU used so far + the allowance". The kernel sends
// SIGXCPU at the soft limit, whose default action ends the worker; the parent reports it.
void allow_cpu_seconds(int seconds) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const rlim_t used = static_cast<rlim_t>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + 1;
  rlimit limit{};
  getrlimit(RLIMIT_CPU, &limit);
  rlim_t soft = used + static_cast<rlim_t>(seconds);
  if (limit.rlim_max != RLIM_INFINITY && soft > limit.rlim_max) soft = limit.rlim_max;
  limit.rlim_cur = soft;
  setrlimit(RLIMIT_CPU, &limit);
}

// The address space mapped so far (libraries, heap), from /proc/self/statm; 0 if unknown.
std::size_t mapped_bytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (!statm) return 0;
  unsigned long pages = 0;
  const bool read = std::fscanf(statm, "%lu", &pages) == 1;
  std::fclose(statm);
  return read ? pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

// Returns false when the limit leaves no room to work: RLIMIT_AS below what is already mapped
// is accepted by the kernel, and the first file would then take the blame for it.
bool limit_memory(std::size_t bytes) {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reserves terabytes of address space: no RLIMIT_AS can apply, and the
  // mapping already exceeds any limit.
  (void)bytes;
  (void)mapped_bytes;
  return true;
#else
  constexpr std::size_t kMinimumHeadroom = std::size_t{32} << 20;
  if (bytes < mapped_bytes() + kMinimumHeadroom) {
    std::fprintf(stderr,
                 "mediateka-extract-worker: memory limit %zu MiB is below the %zu MiB"
                 " it needs to start\n",
                 bytes >> 20, (mapped_bytes() + kMinimumHeadroom) >> 20);
    return false;
  }
  rlimit limit{};
  getrlimit(RLIMIT_AS, &limit);
  limit.rlim_cur = static_cast<rlim_t>(bytes);
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_cur > limit.rlim_max)
    limit.rlim_cur = limit.rlim_max;
  return setrlimit(RLIMIT_AS, &limit) == 0;
#endif
}

// TEST HOOK (see worker_protocol.h): lets the tests make a worker crash, hang, burn CPU or run
// out of memory on chosen files, without a file that really breaks Poppler or FFmpeg.
struct TestFault {
  std::string action, substring;
};

TestFault read_test_fault() {
  const char* value = std::getenv(protocol::kTestFaultEnvironment);
  if (!value) return {};
  const std::string text = value;
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon + 1 == text.size()) return {};
  return {text.substr(0, colon), text.substr(colon + 1)};
}

// `stage` is "" while extracting and "cover-" while rendering the cover.
void apply_test_fault(const TestFault& fault, const std::string& file, const std::string& stage) {
  if (fault.action.empty() || fault.action.rfind(stage, 0) != 0) return;
  const auto slash = file.rfind('/');
  const std::string name = slash == std::string::npos ? file : file.substr(slash + 1);
  if (name.find(fault.substring) == std::string::npos) return;
  const std::string action = fault.action.substr(stage.size());
  if (action.find('-') != std::string::npos) return;  // "cover-crash" while extracting
  if (action == "crash") {
    std::signal(SIGSEGV, SIG_DFL);  // die by the signal even where a sanitizer catches it
    std::raise(SIGSEGV);
  } else if (action == "hang") {
    for (;;) pause();
  } else if (action == "spin") {
    for (volatile std::uint64_t i = 0;; i = i + 1) {
    }
  } else if (action == "oom") {
    std::vector<std::vector<char>> hog;
    for (;;) hog.emplace_back(std::size_t{16} << 20, 'x');
  }
}

std::string answer(const nlohmann::json& json) {
  // Replace invalid UTF-8 rather than throw: one odd byte must not lose a whole extraction.
  return protocol::frame(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

struct Request {
  std::string file;
  std::string cover;  // where to write the cover; empty: no cover
  int cover_width = 320;
};

// A bare path, or {"file":...,"cover":...,"cover_width":...}; false when malformed.
bool parse_request(const std::string& bytes, Request& request) {
  if (bytes.empty() || bytes[0] != '{') {
    request.file = bytes;
    return true;
  }
  try {
    const nlohmann::json json = nlohmann::json::parse(bytes);
    request.file = json.at("file").get<std::string>();
    request.cover = json.value("cover", std::string());
    request.cover_width = json.value("cover_width", 320);
    return !request.file.empty();
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

nlohmann::json render(const Request& request, mediateka::media::MediaKind kind) {
  try {
    mediateka::media::render_cover(request.file, kind, request.cover, request.cover_width);
    return {{"cover", "made"}};
  } catch (const mediateka::media::NoCoverArt&) {
    return {{"cover", "none"}};
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& error) {
    return {{"cover", "failed"}, {"error", error.what()}};
  }
}

const char* text_argument(int argc, char** argv, const std::string& name) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == name) return argv[i + 1];
  return nullptr;
}

long long argument(int argc, char** argv, const std::string& name, long long fallback) {
  const char* value = text_argument(argc, argv, name);
  return value ? std::atoll(value) : fallback;
}

mediateka::media::OcrSettings ocr_settings(int argc, char** argv) {
  mediateka::media::OcrSettings ocr;
  const char* languages = text_argument(argc, argv, "--ocr-languages");
  ocr.enabled = languages != nullptr;
  if (languages) ocr.languages = languages;
  ocr.dpi = static_cast<int>(argument(argc, argv, "--ocr-dpi", ocr.dpi));
  ocr.page_seconds = static_cast<int>(argument(argc, argv, "--ocr-page-seconds", ocr.page_seconds));
  if (const char* tessdata = text_argument(argc, argv, "--ocr-tessdata")) ocr.tessdata = tessdata;
  return ocr;
}

}  // namespace

int main(int argc, char** argv) {
  const long long cpu_seconds = argument(argc, argv, "--cpu-seconds", 60);
  const long long memory_bytes = argument(argc, argv, "--memory-bytes", 0);

  // The socket moves to a private descriptor; stdin becomes /dev/null and stdout a copy of
  // stderr, so a library that prints to stdout cannot corrupt the answers.
  const int channel = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
  if (channel < 0) return 2;
  const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null >= 0) dup2(null, STDIN_FILENO);
  dup2(STDERR_FILENO, STDOUT_FILENO);

  // Exiting before the "ready" frame tells the parent this is a setup problem.
  if (memory_bytes > 0 && !limit_memory(static_cast<std::size_t>(memory_bytes))) return 2;
  const TestFault fault = read_test_fault();
  mediateka::media::ExtractOptions options;
  options.ocr = ocr_settings(argc, argv);
  // Before each page it OCRs, the worker tells the parent it is alive and gets a fresh CPU
  // allowance: a long scan is many steps, each under the limit.
  bool channel_open = true;
  options.on_long_step = [&] {
    allow_cpu_seconds(static_cast<int>(cpu_seconds));
    channel_open = channel_open && write_all(channel, protocol::frame(""));
  };

  try {
    if (!write_all(channel, answer({{"ready", true}}))) return 0;
    for (;;) {
      char header[protocol::kHeaderBytes];
      if (!read_exact(channel, header, sizeof header)) return 0;  // the parent is done
      const std::uint32_t length = protocol::frame_length(header);
      if (length == 0 || length > protocol::kMaxRequestBytes) return 2;
      std::string bytes(length, '\0');
      if (!read_exact(channel, bytes.data(), length)) return 0;
      Request request;
      if (!parse_request(bytes, request)) return 2;
      const std::string& file = request.file;

      allow_cpu_seconds(static_cast<int>(cpu_seconds));
      apply_test_fault(fault, file, "");
      nlohmann::json reply;
      std::optional<mediateka::media::MediaKind> kind;
      try {
        mediateka::media::Extraction extraction = mediateka::media::extract_file(file, options);
        kind = extraction.kind;
        reply = {{"ok", true}, {"extraction", mediateka::media::to_json(extraction)}};
      } catch (const mediateka::media::ExtractionError& error) {
        reply = {{"ok", false}, {"error", error.what()}};
      } catch (const std::bad_alloc&) {
        throw;
      } catch (const std::exception& error) {
        reply = {{"ok", false}, {"error", std::string("extractor failed: ") + error.what()}};
      }
      if (!channel_open || !write_all(channel, answer(reply))) return 0;
      if (kind && !request.cover.empty()) {
        apply_test_fault(fault, file, "cover-");
        if (!write_all(channel, answer(render(request, *kind)))) return 0;
      }
    }
  } catch (const std::bad_alloc&) {
    // The heap may be in a poor state; exiting lets the parent name the cause and start afresh.
    _exit(protocol::kExitOutOfMemory);
  }
}
