// A xapian-tcpsrv serving one index on 127.0.0.1, started by a test: a remote shard that the
// test can stop, freeze, thaw and start again on the same port.
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

class RemoteShard {
 public:
  explicit RemoteShard(std::string db) : db_(std::move(db)), port_(free_port()) { start(); }
  ~RemoteShard() { stop(); }
  RemoteShard(const RemoteShard&) = delete;
  RemoteShard& operator=(const RemoteShard&) = delete;

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // xapian-tcpsrv signals its whole process group when it stops: it gets a session of its own.
  void start() {
    const std::string port = std::to_string(port_);
    const char* argv[] = {"xapian-tcpsrv", "--interface", "127.0.0.1", "--port",
                          port.c_str(),    "--quiet",     db_.c_str(), nullptr};
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID);
    if (posix_spawnp(&pid_, "xapian-tcpsrv", nullptr, &attributes, const_cast<char**>(argv),
                     environ) != 0) {
      pid_ = -1;
    }
    posix_spawnattr_destroy(&attributes);
    for (int attempt = 0; attempt < 200 && !accepts_connections(port_); ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }

  void stop() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGCONT);
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  // A shard that hangs: it keeps its connections but answers nothing.
  void freeze() { kill(-pid_, SIGSTOP); }
  void thaw() { kill(-pid_, SIGCONT); }

 private:
  std::string db_;
  int port_;
  pid_t pid_ = -1;
};

}  // namespace mediateka::test
