// Helpers for tests that run the real mediateka-server: a temporary folder (test_files.h), the
// server process on an ephemeral port (with its memory and open descriptors, from /proc), an
// index served by it, and a minimal HTTP/1.1 client.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "archive/access/access_tokens.h"
#include "archive/item.h"
#include "test_files.h"
#include "test_index.h"

namespace mediateka::test {

namespace fs = std::filesystem;

// --- items of test data -------------------------------------------------------------------------

inline Segment page(int number, std::string text) { return {number, 0, 0, std::move(text)}; }
inline Segment cue(double start, double end, std::string text) {
  return {0, start, end, std::move(text)};
}

// An item with what every answer and page shows, dated `month_day` ("MM-DD") of `year`; a
// recording lasts two minutes.
inline Item make_item(std::string id, ItemType type, std::string title, int year,
                      std::vector<std::string> campaigns, std::string project = "",
                      std::vector<Segment> segments = {}, const std::string& month_day = "06-01") {
  Item item;
  item.id = std::move(id);
  item.type = type;
  item.title = std::move(title);
  item.campaigns = std::move(campaigns);
  item.year = year;
  item.date = std::to_string(year) + "-" + month_day;
  item.project = std::move(project);
  item.language = "pl";
  item.source.path = item.id + ".bin";
  item.source.file = "/nonexistent/mediateka-test/" + item.id + ".bin";
  item.source.checksum = "checksum-" + item.id;
  item.segments = std::move(segments);
  if (is_timed(type)) item.duration_s = 120;
  return item;
}

// --- the server process -----------------------------------------------------------------------

class ServerProcess {
 public:
  // `config`: the configuration file; the repository's when empty. `log`: a file that takes the
  // server's stderr (its log); the test's own stderr when empty.
  explicit ServerProcess(const fs::path& db, std::vector<std::string> extra_arguments = {},
                         const fs::path& config = {}, const fs::path& log = {}) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> arguments = {
        MEDIATEKA_SERVER_BIN,
        "--config",
        config.empty() ? std::string(MEDIATEKA_SOURCE_DIR) + "/config/mediateka.toml"
                       : config.string(),
        "--db",
        db.string(),
        "--bind",
        "127.0.0.1",
        "--port",
        "0",
        "--threads",
        "2"};
    arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      if (!log.empty()) {
        const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (log_fd >= 0) dup2(log_fd, STDERR_FILENO);
      }
      std::vector<char*> argv;
      for (auto& argument : arguments) argv.push_back(argument.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = out[0];
  }
  ~ServerProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ >= 0) close(stdout_);
  }

  // The first line the server prints, or "" when it exits or says nothing in time.
  std::string first_line(std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd descriptor{stdout_, POLLIN, 0};
      if (poll(&descriptor, 1, 100) <= 0) continue;
      char c;
      if (read(stdout_, &c, 1) != 1) break;
      if (c == '\n') return line;
      line += c;
    }
    return line;
  }

  // Reads the listening line and returns the port, or 0.
  int wait_until_listening() {
    const std::string line = first_line();
    std::smatch match;
    static const std::regex listening(
        R"(^mediateka-server listening on http://127\.0\.0\.1:(\d+)/$)");
    if (!std::regex_match(line, match, listening)) {
      ADD_FAILURE() << "unexpected first line: '" << line << "'";
      return 0;
    }
    return std::stoi(match[1]);
  }

  // Exit status after `signal`, or -1 when the server did not exit normally within `limit`.
  int stop(int signal_number, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    kill(pid_, signal_number);
    return wait_for_exit(limit);
  }

  int wait_for_exit(std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

  // Resident memory in kB, from /proc/PID/status.
  long rss_kb() const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
  }

  // The server's open descriptors (files, sockets, pipes, eventfds, ...), except those of
  // files under `excluded` (none when empty).
  std::size_t open_descriptors(const fs::path& excluded = {}) const {
    std::size_t count = 0;
    for (const auto& target : descriptor_targets()) {
      if (excluded.empty() || !is_under(target, excluded)) ++count;
    }
    return count;
  }
  // How many of the server's descriptors refer to `file`.
  std::size_t descriptors_of(const fs::path& file) const {
    std::size_t count = 0;
    for (const auto& target : descriptor_targets()) count += target == file ? 1 : 0;
    return count;
  }

 private:
  // What each descriptor refers to: a resolved path, or "socket:[N]", "pipe:[N]", ...
  std::vector<fs::path> descriptor_targets() const {
    std::vector<fs::path> targets;
    std::error_code error;
    for (const auto& entry :
         fs::directory_iterator("/proc/" + std::to_string(pid_) + "/fd", error)) {
      std::error_code closed;  // the descriptor may close while it is listed
      fs::path target = fs::read_symlink(entry.path(), closed);
      if (!closed) targets.push_back(std::move(target));
    }
    return targets;
  }
  static bool is_under(const fs::path& path, const fs::path& folder) {
    const auto [end, ignored] =
        std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
    return end == folder.end();
  }

  pid_t pid_ = -1;
  int stdout_ = -1;
  bool exited_ = false;
};

// --- an index served for a suite -----------------------------------------------------------------

// A temporary folder, an index at folder/index, a token for `token_groups` if any, and its server,
// with the repository's configuration, or that configuration with `trusted_proxies` (e.g.
// {"127.0.0.1"}: the tests' own requests then come "through a proxy").
class ServedIndex {
 public:
  explicit ServedIndex(std::vector<Item> items, const std::vector<std::string>& token_groups = {},
                       const std::vector<std::string>& trusted_proxies = {})
      : db_(folder_.path() / "index") {
    write_index(db_, std::move(items));
    if (!token_groups.empty()) {
      token_ = create_token(db_.string(), token_groups, "Test", "", std::time(nullptr)).token;
    }
    fs::path config;
    if (!trusted_proxies.empty()) {
      std::string text = read_file(fs::path(MEDIATEKA_SOURCE_DIR) / "config/mediateka.toml");
      std::string list;
      for (const std::string& proxy : trusted_proxies)
        list += (list.empty() ? "\"" : ", \"") + proxy + "\"";
      const std::string empty_list = "trusted_proxies = []";
      const std::size_t found = text.find(empty_list);
      if (found == std::string::npos) throw std::runtime_error("no trusted_proxies in the config");
      text.replace(found, empty_list.size(), "trusted_proxies = [" + list + "]");
      config = folder_.path() / "mediateka.toml";
      write_file(config, text);
    }
    server_ = std::make_unique<ServerProcess>(db_, std::vector<std::string>{}, config);
    port_ = server_->wait_until_listening();
  }

  const fs::path& folder() const { return folder_.path(); }
  const fs::path& db() const { return db_; }
  int port() const { return port_; }  // 0 when the server did not start
  const std::string& token() const { return token_; }

 private:
  TemporaryFolder folder_;
  fs::path db_;
  std::string token_;
  std::unique_ptr<ServerProcess> server_;  // stopped before the folder goes
  int port_ = 0;
};

// --- a minimal HTTP client --------------------------------------------------------------------

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool complete = false;  // the head and Content-Length bytes of body arrived
  std::string header(const std::string& lower_case_name) const {
    const auto found = headers.find(lower_case_name);
    return found == headers.end() ? std::string() : found->second;
  }
  bool has(const std::string& lower_case_name) const { return headers.count(lower_case_name) > 0; }
  nlohmann::json json_body() const { return nlohmann::json::parse(body); }
};

// The status line and headers of a response head (the bytes before the blank line).
inline HttpResponse parse_head(const std::string& head) {
  HttpResponse response;
  std::istringstream lines(head);
  std::string version, line;
  lines >> version >> response.status;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    response.headers[name] = value;
  }
  return response;
}

inline int connect_to(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends all of `bytes`; false when the connection fails first.
inline bool send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Sends `bytes` and reads until the server closes or `limit` passes.

// Splits a byte stream into responses by their Content-Length.
inline std::vector<HttpResponse> parse_responses(const std::string& raw) {
  std::vector<HttpResponse> responses;
  std::size_t position = 0;
  while (position < raw.size()) {
    const std::size_t header_end = raw.find("\r\n\r\n", position);
    if (header_end == std::string::npos) break;
    HttpResponse response = parse_head(raw.substr(position, header_end - position));
    std::size_t length = 0;
    if (response.headers.count("content-length")) {
      length = std::stoul(response.headers["content-length"]);
    }
    const std::size_t body_start = header_end + 4;
    if (body_start + length > raw.size()) break;
    response.body = raw.substr(body_start, length);
    response.complete = true;
    responses.push_back(std::move(response));
    position = body_start + length;
  }
  return responses;
}

inline std::string exchange(int port, const std::string& bytes,
                            std::chrono::milliseconds limit = std::chrono::seconds(10),
                            std::size_t stop_after_responses = 0) {
  const int fd = connect_to(port);
  if (fd < 0) return {};
  send_all(fd, bytes);
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buffer[65536];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd descriptor{fd, POLLIN, 0};
    if (poll(&descriptor, 1, 50) <= 0) continue;
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
    if (stop_after_responses > 0 && parse_responses(received).size() >= stop_after_responses) {
      break;
    }
  }
  close(fd);
  return received;
}

inline HttpResponse request(int port, const std::string& method, const std::string& target) {
  const std::string raw = exchange(
      port, method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      std::chrono::seconds(10), 1);
  auto responses = parse_responses(raw);
  if (responses.empty()) {
    ADD_FAILURE() << "no response to " << method << ' ' << target.substr(0, 100);
    return {};
  }
  return responses.front();
}

inline HttpResponse get(int port, const std::string& target) {
  return request(port, "GET", target);
}

}  // namespace mediateka::test
