#include "http/file_stream.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <utility>

#include "logging.h"

namespace mediateka::server {

namespace Http = Pistache::Http;

FileBody::~FileBody() {
  if (fd >= 0) ::close(fd);
}

namespace {

// One file response in progress. Owned by the continuations of its pending
// write: when Pistache drops the write (the client hung up) or the last chunk
// has left, the last reference goes and the destructor reports the end.
class FileStream : public std::enable_shared_from_this<FileStream> {
 public:
  FileStream(std::weak_ptr<Pistache::Tcp::Peer> peer, std::shared_ptr<FileBody> body,
             bool keep_alive, StreamHooks hooks)
      : keep_alive_(keep_alive),
        peer_(std::move(peer)),
        body_(std::move(body)),
        next_(body_->offset),
        end_(body_->offset + body_->length),
        hooks_(std::move(hooks)),
        request_id_(logging::current_request_id()) {}
  FileStream(const FileStream&) = delete;
  FileStream& operator=(const FileStream&) = delete;
  ~FileStream() {
    try {
      if (hooks_.on_finished) hooks_.on_finished();
    } catch (...) {
    }
  }

  // Sends `prefix` (the response head) with as much of the file as one chunk holds.
  void send_next(std::string prefix) {
    auto peer = peer_.lock();
    if (!peer) return;
    std::string buffer = std::move(prefix);
    if (!append_chunk(buffer)) {
      // The file shrank or cannot be read: the promised Content-Length cannot be kept,
      // so the connection is cut rather than left waiting.
      ::shutdown(peer->fd(), SHUT_RDWR);
      return;
    }
    if (buffer.empty()) return;
    const std::size_t size = buffer.size();
    auto self = shared_from_this();
    peer->send(Pistache::RawBuffer(std::move(buffer), size))
        .then(
            [self](ssize_t) {
              // Later chunks leave from Pistache's threads: their lines name the request too.
              const logging::RequestScope scope(self->request_id_);
              try {
                self->sent();
              } catch (const std::exception& error) {
                spdlog::error("streaming a file: {}", error.what());
              }
            },
            [self](std::exception_ptr) {});  // the client is gone; `self` just ends
  }

 private:
  void sent() {
    if (next_ >= end_) {
      if (auto peer = peer_.lock(); peer && !keep_alive_) ::shutdown(peer->fd(), SHUT_WR);
      return;
    }
    if (hooks_.on_progress) hooks_.on_progress();
    send_next({});
  }

  bool append_chunk(std::string& buffer) {
    const std::int64_t wanted = std::min(kFileChunkBytes, end_ - next_);
    if (wanted <= 0) return true;
    const std::size_t start = buffer.size();
    buffer.resize(start + static_cast<std::size_t>(wanted));
    std::int64_t got = 0;
    while (got < wanted) {
      const ssize_t n = ::pread(body_->fd, buffer.data() + start + got,
                                static_cast<std::size_t>(wanted - got), next_ + got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        spdlog::error("a served file {}; connection closed",
                      n == 0 ? "is shorter than when the response started" : "could not be read");
        return false;
      }
      got += n;
    }
    next_ += got;
    return true;
  }

  const bool keep_alive_;
  std::weak_ptr<Pistache::Tcp::Peer> peer_;
  std::shared_ptr<FileBody> body_;
  std::int64_t next_;
  std::int64_t end_;
  StreamHooks hooks_;
  const std::string request_id_;
};

bool has_body(const Response& response) {
  return response.status != 304 && response.status != 204 && response.status >= 200;
}

}  // namespace

std::string response_head(const Response& response, Http::Version version, bool keep_alive) {
  std::string head = version == Http::Version::Http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(response.status);
  head += ' ';
  head += Http::codeString(static_cast<Http::Code>(response.status));
  head += "\r\n";
  auto add = [&head](std::string_view name, std::string_view value) {
    head.append(name).append(": ").append(value).append("\r\n");
  };
  if (has_body(response)) {
    add("Content-Type", response.content_type);
    add("Content-Length",
        std::to_string(response.file ? response.file->length
                                     : static_cast<std::int64_t>(response.body.size())));
  }
  for (const auto& [name, value] : response.headers) add(name, value);
  add("Connection", keep_alive ? "Keep-Alive" : "Close");
  head += "\r\n";
  return head;
}

void send_streamed(const std::shared_ptr<Pistache::Tcp::Peer>& peer, Http::Version version,
                   bool keep_alive, const Response& response, bool head_only, StreamHooks hooks) {
  std::string head = response_head(response, version, keep_alive);
  const bool with_body = !head_only && has_body(response);
  if (with_body && response.file) {
    std::make_shared<FileStream>(peer, response.file, keep_alive, std::move(hooks))
        ->send_next(std::move(head));
    return;
  }
  if (with_body) head += response.body;
  const std::size_t size = head.size();
  auto sent = peer->send(Pistache::RawBuffer(std::move(head), size));
  if (!keep_alive) close_after_sent(std::move(sent), peer);
  if (hooks.on_finished) hooks.on_finished();
}

void close_after_sent(Pistache::Async::Promise<ssize_t> sent,
                      const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
  std::weak_ptr<Pistache::Tcp::Peer> weak_peer = peer;
  const auto close_writing = [weak_peer] {
    if (auto alive = weak_peer.lock()) ::shutdown(alive->fd(), SHUT_WR);
  };
  sent.then([close_writing](ssize_t) { close_writing(); },
            [close_writing](std::exception_ptr) { close_writing(); });
}

}  // namespace mediateka::server
