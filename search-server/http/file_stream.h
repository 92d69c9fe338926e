// Responses written straight to a Pistache connection: file bodies streamed in
// chunks, HEAD answers and 304s (whose Content-Length must not describe the
// body sent, which Pistache's ResponseWriter cannot do).
//
// A file body is sent one chunk (kFileChunkBytes) at a time: the next chunk is
// read with pread() only when the transport has written the previous one to the
// socket. So a 1 GB file costs one chunk of memory per connection, a slow
// client never blocks a reactor thread (it only delays its own next chunk), and
// the only blocking work on the reactor thread is one pread() of a chunk.
//
// Why not Pistache's own means (0.0.5): Http::serveFile and Transport's
// FileBuffer (sendfile) always send a whole file from offset 0, so no ranges, and
// when the client hangs up Transport drops the write without closing the file's
// descriptor (one leaked descriptor per abandoned download). ResponseStream uses
// chunked encoding (no exact Content-Length) and flush() queues without waiting,
// so a slow client would make it buffer the whole file.
//
// The response counts as in flight (ServingState) until its last chunk has left,
// so SIGTERM waits for downloads up to the drain limit (10 s), then cuts them.
//
// Limitation: a request pipelined behind a file response on the same
// connection (HTTP/1.1 pipelining, which no current browser uses) would have
// its answer interleaved with the file's chunks.
#pragma once

#include <pistache/http.h>
#include <pistache/peer.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server_types.h"

namespace mediateka::server {

inline constexpr std::int64_t kFileChunkBytes = 256 * 1024;

// A byte range of an open file; owns (and closes) the descriptor.
struct FileBody {
  FileBody(int fd, std::int64_t offset, std::int64_t length)
      : fd(fd), offset(offset), length(length) {}
  ~FileBody();
  FileBody(const FileBody&) = delete;
  FileBody& operator=(const FileBody&) = delete;

  int fd = -1;
  std::int64_t offset = 0;
  std::int64_t length = 0;
};

struct StreamHooks {
  // After each chunk has left: the connection is alive and making progress.
  std::function<void()> on_progress;
  // Exactly once: when the response was sent completely, or abandoned (client gone, read error).
  std::function<void()> on_finished;
};

// The status line and headers of `response`, ending with the blank line. Content-Length is the
// file range's length or the body's size (also for HEAD); a 304 has neither Content-Length nor
// Content-Type.
std::string response_head(const Response& response, Pistache::Http::Version version,
                          bool keep_alive);

// Sends `response` on `peer`: the head, then (unless `head_only` or a 304) the body or the file
// range. Returns at once; hooks run later on the connection's reactor thread. Without
// `keep_alive`, the connection is closed once everything has left.
void send_streamed(const std::shared_ptr<Pistache::Tcp::Peer>& peer,
                   Pistache::Http::Version version, bool keep_alive, const Response& response,
                   bool head_only, StreamHooks hooks);

// Closes the sending side of `peer`'s connection once `sent` has left (the client reads the
// answer, then the end): Pistache 0.0.5 answers "Connection: Close" but leaves the connection
// open. Pistache drops the connection when the client closes it, or after the keep-alive
// timeout. The shutdown runs in the write's continuation, on the reactor thread, while Pistache
// still holds the descriptor (it is never one reused by another connection).
void close_after_sent(Pistache::Async::Promise<ssize_t> sent,
                      const std::shared_ptr<Pistache::Tcp::Peer>& peer);

}  // namespace mediateka::server
