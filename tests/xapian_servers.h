// Xapian's servers started by tests on 127.0.0.1: xapian-tcpsrv for remote shards, and any
// other program (xapian-replicate-server, xapian-replicate) in a session of its own.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "archive/index/audience_databases.h"

namespace mediateka::test {

inline int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

inline bool accepts_connections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool up = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return up;
}

inline bool has_xapian_tcpsrv() { return system("command -v xapian-tcpsrv >/dev/null 2>&1") == 0; }

// A program in a session of its own: Xapian's servers signal their whole process group when they
// stop, and would take the test runner with them. Killed, with what it started, when it goes.
class SessionProcess {
 public:
  SessionProcess() = default;
  explicit SessionProcess(std::vector<std::string> arguments) { start(std::move(arguments)); }
  ~SessionProcess() { stop(); }
  SessionProcess(const SessionProcess&) = delete;
  SessionProcess& operator=(const SessionProcess&) = delete;

  void start(std::vector<std::string> arguments) {
    stop();
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
    if (posix_spawnp(&pid_, argv[0], nullptr, &attributes, argv.data(), environ) != 0) pid_ = -1;
    posix_spawnattr_destroy(&attributes);
  }
  void stop() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGCONT);
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // Every process of the session stops (SIGSTOP) or goes on.
  void freeze() { kill(-pid_, SIGSTOP); }
  void thaw() { kill(-pid_, SIGCONT); }

 private:
  pid_t pid_ = -1;
};

inline void wait_until_accepting(int port) {
  for (int attempt = 0; attempt < 200 && !accepts_connections(port); ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

// xapian-tcpsrv serving one index: a remote shard that a test can stop, freeze, thaw and start
// again on the same port.
class RemoteShard {
 public:
  explicit RemoteShard(std::string db) : db_(std::move(db)), port_(free_port()) { start(); }

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  void start() {
    process_.start({"xapian-tcpsrv", "--interface", "127.0.0.1", "--port", std::to_string(port_),
                    "--quiet", mediateka::watched_database({"", db_, "", ""}).db});
    wait_until_accepting(port_);
  }
  void stop() { process_.stop(); }
  void freeze() { process_.freeze(); }
  void thaw() { process_.thaw(); }

 private:
  std::string db_;
  int port_;
  SessionProcess process_;
};

}  // namespace mediateka::test
