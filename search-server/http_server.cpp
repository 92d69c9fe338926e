#include "http_server.h"

#include <thread>

namespace mediateka::server {

namespace Http = Pistache::Http;

namespace {

// Long enough for URLs with a 1000-byte query percent-encoded three times over,
// plus ordinary headers.
constexpr std::size_t kMaxRequestBytes = 16 * 1024;
// A client that sends half a request is dropped after this, instead of Pistache's 60 s.
constexpr auto kRequestReadTimeout = std::chrono::seconds(5);
// Lets responses queued by the workers reach their sockets before shutdown().
constexpr auto kResponseFlushGrace = std::chrono::milliseconds(200);

}  // namespace

HttpServer::HttpServer(const ListenOptions& options, ServerContext context)
    : endpoint_(Pistache::Address(options.bind,
                                  Pistache::Port(static_cast<std::uint16_t>(options.port)))),
      state_(std::make_shared<ServingState>(context)) {
  auto endpoint_options = Http::Endpoint::options()
                              .threads(options.threads)
                              .threadsName("mediateka-http")
                              .flags(Pistache::Tcp::Options::ReuseAddr)
                              .maxRequestSize(kMaxRequestBytes)
                              .headerTimeout(kRequestReadTimeout)
                              .bodyTimeout(kRequestReadTimeout);
  endpoint_.init(endpoint_options);
  endpoint_.setHandler(Http::make_handler<ApiHttpHandler>(state_));
}

std::uint16_t HttpServer::start() {
  // serveThreaded() binds by itself; binding before it would open a second socket.
  endpoint_.serveThreaded();
  return endpoint_.getPort();
}

void HttpServer::drain_and_stop(std::chrono::milliseconds limit) {
  state_->draining = true;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (state_->in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(kResponseFlushGrace);
  endpoint_.shutdown();
}

}  // namespace mediateka::server
