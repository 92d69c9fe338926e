#include "isolated_extractor.h"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "worker_protocol.h"

extern char** environ;

namespace mediateka::media {
namespace {

namespace fs = std::filesystem;
namespace protocol = worker_protocol;
using Clock = std::chrono::steady_clock;

std::string errno_text(int error) { return std::system_category().message(error); }

bool is_executable(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

// Sends everything or reports failure. MSG_NOSIGNAL: a dead worker gives EPIPE, not a SIGPIPE
// that would end the whole program (a library should not change the program's SIGPIPE).
bool send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t put = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    sent += static_cast<std::size_t>(put);
  }
  return true;
}

enum class ReadResult { ok, closed, timed_out, too_large };

// Reads `size` bytes; the clock restarts whenever bytes arrive, so only silence times out.
ReadResult read_exact(int fd, char* data, std::size_t size, int inactivity_seconds) {
  const auto allowance = std::chrono::seconds(inactivity_seconds);
  auto deadline = Clock::now() + allowance;
  while (size > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return ReadResult::timed_out;
    pollfd wait{fd, POLLIN, 0};
    const int ready = poll(&wait, 1, static_cast<int>(std::min<long long>(left, 60'000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return ReadResult::closed;
    if (ready == 0) continue;  // recheck the deadline
    const ssize_t got = recv(fd, data, size, 0);
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (got <= 0) return ReadResult::closed;
    data += got;
    size -= static_cast<std::size_t>(got);
    deadline = Clock::now() + allowance;
  }
  return ReadResult::ok;
}

ReadResult read_frame(int fd, std::string& payload, int inactivity_seconds) {
  char header[protocol::kHeaderBytes];
  ReadResult result = read_exact(fd, header, sizeof header, inactivity_seconds);
  if (result != ReadResult::ok) return result;
  const std::uint32_t length = protocol::frame_length(header);
  if (length > protocol::kMaxAnswerBytes) return ReadResult::too_large;
  payload.assign(length, '\0');
  return read_exact(fd, payload.data(), length, inactivity_seconds);
}

// The next answer, past the empty frames a worker sends while it works on a long step (each
// restarts the inactivity clock, so slow OCR is not taken for a hang).
ReadResult read_answer(int fd, std::string& payload, int inactivity_seconds) {
  ReadResult result = ReadResult::ok;
  do {
    result = read_frame(fd, payload, inactivity_seconds);
  } while (result == ReadResult::ok && payload.empty());
  return result;
}

std::string signal_text(int signal) {
  const char* description = sigdescr_np(signal);
  return "signal " + std::to_string(signal) + (description ? std::string(": ") + description : "");
}

// Owns the posix_spawn attribute objects for the duration of one spawn.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

fs::path extract_worker_path() {
  if (const char* configured = std::getenv(protocol::kWorkerEnvironment); configured && *configured)
    return is_executable(configured) ? fs::path(configured) : fs::path();
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path beside = self.parent_path() / protocol::kWorkerName;
    if (is_executable(beside)) return beside;
  }
#ifdef MEDIATEKA_EXTRACT_WORKER_BUILD_PATH
  if (is_executable(MEDIATEKA_EXTRACT_WORKER_BUILD_PATH))
    return MEDIATEKA_EXTRACT_WORKER_BUILD_PATH;
#endif
  return {};
}

IsolatedExtractor::IsolatedExtractor(IsolationLimits limits, OcrSettings ocr)
    : limits_(limits), ocr_(std::move(ocr)) {}

IsolatedExtractor::~IsolatedExtractor() { stop_worker(); }

void IsolatedExtractor::start_worker() {
  const fs::path worker = extract_worker_path();
  if (worker.empty())
    throw std::runtime_error(std::string("cannot find ") + protocol::kWorkerName + " (set " +
                             protocol::kWorkerEnvironment + " or install it beside the program)");

  // One socket serves both directions. SOCK_CLOEXEC keeps our end out of every other child
  // this program starts, including the workers of other threads.
  int sockets[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0)
    throw std::runtime_error("cannot start the extractor: " + errno_text(errno));

  // posix_spawn rather than fork(): the importer has threads, and after fork() only
  // async-signal-safe calls are safe until exec; posix_spawn does the whole dance for us.
  SpawnSetup setup;
  posix_spawn_file_actions_adddup2(&setup.actions, sockets[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&setup.actions, sockets[1], STDOUT_FILENO);
  // Nothing else leaks in: descriptors other threads opened without O_CLOEXEC would otherwise
  // keep their files, sockets and pipes open as long as the worker lives.
  posix_spawn_file_actions_addclosefrom_np(&setup.actions, STDERR_FILENO + 1);
  // Its own process group, so a timeout kills whatever the worker itself started.
  // Default signal handling and an empty mask: the worker must die of SIGXCPU and must not
  // inherit an ignored SIGPIPE or a blocked SIGTERM from this program.
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&setup.attributes, &all);
  posix_spawnattr_setsigmask(&setup.attributes, &none);
  posix_spawnattr_setpgroup(&setup.attributes, 0);
  posix_spawnattr_setflags(&setup.attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> words = {worker.string(), "--cpu-seconds",
                                    std::to_string(limits_.cpu_seconds), "--memory-bytes",
                                    std::to_string(limits_.memory_bytes)};
  if (ocr_.enabled) {
    words.insert(words.end(),
                 {"--ocr-languages", ocr_.languages, "--ocr-dpi", std::to_string(ocr_.dpi),
                  "--ocr-page-seconds", std::to_string(ocr_.page_seconds), "--ocr-tessdata",
                  tessdata_folder(ocr_)});
  }
  std::vector<char*> arguments;
  for (std::string& word : words) arguments.push_back(word.data());
  arguments.push_back(nullptr);
  // Tesseract's OpenMP threads would fight the import's own workers for the cores; OpenMP
  // reads its limit when the library loads, so it must be in the worker's environment.
  std::vector<std::string> environment_strings = {"OMP_THREAD_LIMIT=1"};
  for (char** variable = environ; *variable; ++variable)
    if (std::string_view(*variable).rfind("OMP_THREAD_LIMIT=", 0) != 0)
      environment_strings.emplace_back(*variable);
  std::vector<char*> environment;
  for (std::string& variable : environment_strings) environment.push_back(variable.data());
  environment.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, worker.c_str(), &setup.actions, &setup.attributes,
                                arguments.data(), environment.data());
  close(sockets[1]);
  if (error != 0) {
    close(sockets[0]);
    throw std::runtime_error("cannot start " + worker.string() + ": " + errno_text(error));
  }
  pid_ = pid;
  channel_ = sockets[0];

  // The worker says it is ready once its limits are in place; a worker that dies here (say a
  // memory limit too small to load its libraries) is a setup problem, not a bad file. Loading
  // its libraries is no file's work: on a busy machine it may take longer than a tight
  // inactivity limit, so it gets at least kStartSeconds.
  constexpr int kStartSeconds = 30;
  std::string ready;
  if (read_frame(channel_, ready, std::max(limits_.inactivity_seconds, kStartSeconds)) !=
      ReadResult::ok) {
    stop_worker();
    throw std::runtime_error(worker.string() +
                             " did not start (is the memory limit too small to load it?)");
  }
}

void IsolatedExtractor::stop_worker() {
  if (channel_ >= 0) {
    close(channel_);
    channel_ = -1;
  }
  if (pid_ > 0) {
    kill(-pid_, SIGKILL);  // the process group
    kill(pid_, SIGKILL);   // in case it ever left its group
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
}

void IsolatedExtractor::fail_after_worker_died() {
  // The socket closed: the worker is dying or dead. Give it a moment to finish dying so
  // waitpid() can say how; a worker that closed its end and lives on is killed.
  close(channel_);
  channel_ = -1;
  int status = 0;
  pid_t reaped = 0;
  const auto give_up = Clock::now() + std::chrono::seconds(2);
  while ((reaped = waitpid(pid_, &status, WNOHANG)) == 0 && Clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (reaped == 0) {
    stop_worker();
    throw ExtractionError("extractor stopped answering while reading this file");
  }
  pid_ = -1;
  if (reaped > 0) kill(-reaped, SIGKILL);  // anything it left behind in its group
  if (reaped < 0) throw ExtractionError("extractor stopped while reading this file");

  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    if (signal == SIGXCPU)
      throw ExtractionError("extractor ran out of CPU time (limit " +
                            std::to_string(limits_.cpu_seconds) + " s)");
    throw ExtractionError("extractor crashed (" + signal_text(signal) +
                          ") while reading this file");
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == protocol::kExitOutOfMemory)
    throw ExtractionError("extractor exceeded the memory limit (" +
                          std::to_string(limits_.memory_bytes >> 20) + " MiB)");
  throw ExtractionError("extractor stopped (exit status " + std::to_string(code) +
                        ") while reading this file");
}

Extraction IsolatedExtractor::extract(const fs::path& file) {
  CoverOutcome unused;
  return extract(file, CoverRequest{}, unused);
}

Extraction IsolatedExtractor::extract(const fs::path& file, const CoverRequest& cover,
                                      CoverOutcome& outcome) {
  outcome = CoverOutcome{};
  const std::string& name = file.native();
  if (name.empty() || name.size() > protocol::kMaxRequestBytes / 2)
    throw ExtractionError("file name is empty or too long");
  // An absolute path: the worker's working folder is ours today, but need not stay so.
  std::error_code error;
  const fs::path absolute = fs::absolute(file, error);
  const std::string path = error ? name : absolute.native();
  std::string request, cover_problem;
  if (!cover.png.empty()) {
    const fs::path png = fs::absolute(cover.png, error);
    const nlohmann::json json{{"file", path},
                              {"cover", error ? cover.png.native() : png.native()},
                              {"cover_width", cover.width}};
    try {
      request = protocol::frame(json.dump());
    } catch (const nlohmann::json::type_error&) {  // a name that is not UTF-8
      cover_problem = "cannot ask for a cover: the file name is not UTF-8";
    }
    if (request.size() > protocol::kMaxRequestBytes + protocol::kHeaderBytes)
      throw ExtractionError("file name is empty or too long");
  }
  const bool want_cover = !request.empty();
  if (!want_cover) request = protocol::frame(path);

  if (pid_ < 0) start_worker();
  if (!send_all(channel_, request)) {
    // The idle worker died (killed from outside?): not this file's fault, so try a new one.
    stop_worker();
    start_worker();
    if (!send_all(channel_, request)) fail_after_worker_died();
  }

  std::string payload;
  switch (read_answer(channel_, payload, limits_.inactivity_seconds)) {
    case ReadResult::ok:
      break;
    case ReadResult::closed:
      fail_after_worker_died();
    case ReadResult::timed_out:
      stop_worker();
      throw ExtractionError("extractor ran out of time (no answer in " +
                            std::to_string(limits_.inactivity_seconds) + " s)");
    case ReadResult::too_large:
      stop_worker();
      throw ExtractionError("extractor's answer is too large");
  }

  std::string reason;
  try {
    const nlohmann::json answer = nlohmann::json::parse(payload);
    if (answer.at("ok").get<bool>()) {
      Extraction extraction = extraction_from_json(answer.at("extraction"));
      if (want_cover) {
        read_cover_answer(outcome);
      } else if (!cover_problem.empty()) {
        outcome.status = CoverOutcome::Status::failed;
        outcome.error = cover_problem;
      }
      return extraction;
    }
    reason = answer.at("error").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    stop_worker();  // out of step with us: do not trust its next answer either
    throw ExtractionError("extractor sent a malformed answer");
  }
  throw ExtractionError(reason);
}

// The second frame of a request with a cover. Whatever goes wrong costs the cover only.
void IsolatedExtractor::read_cover_answer(CoverOutcome& outcome) {
  outcome.status = CoverOutcome::Status::failed;
  std::string payload;
  switch (read_answer(channel_, payload, limits_.inactivity_seconds)) {
    case ReadResult::ok:
      break;
    case ReadResult::closed:
      try {
        fail_after_worker_died();
      } catch (const ExtractionError& error) {
        outcome.error = error.what();
      }
      return;
    case ReadResult::timed_out:
      stop_worker();
      outcome.error = "extractor ran out of time (no answer in " +
                      std::to_string(limits_.inactivity_seconds) + " s)";
      return;
    case ReadResult::too_large:
      stop_worker();
      outcome.error = "extractor's answer is too large";
      return;
  }
  try {
    const nlohmann::json answer = nlohmann::json::parse(payload);
    const std::string status = answer.at("cover").get<std::string>();
    if (status == "made") {
      outcome.status = CoverOutcome::Status::made;
    } else if (status == "none") {
      outcome.status = CoverOutcome::Status::none;
    } else {
      outcome.error = answer.value("error", std::string("cover failed"));
    }
  } catch (const nlohmann::json::exception&) {
    stop_worker();
    outcome.error = "extractor sent a malformed answer";
  }
}

}  // namespace mediateka::media
