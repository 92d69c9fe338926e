#include "http/http_server.h"

#include <thread>

namespace mediateka::server {

namespace Http = Pistache::Http;

namespace {

// The limits a request must keep (request_framing.h; docs/operations.md, "Limits"). The request
// line takes URLs with a 1000-byte query percent-encoded three times over.
constexpr FramingLimits kFramingLimits{12 * 1024, 16 * 1024, 64 * 1024};
// Pistache's own buffer holds one whole request, as the framer hands it over.
constexpr std::size_t kMaxRequestBytes = kFramingLimits.head + kFramingLimits.body;
// A request must arrive whole within this from its first byte (Pistache answers 408 and
// closes), instead of Pistache's 60 s.
constexpr auto kRequestReadTimeout = std::chrono::seconds(5);
// A kept-alive connection with no request is closed after this, instead of Pistache's 300 s.
constexpr auto kKeepAliveTimeout = std::chrono::seconds(15);
constexpr ConnectionLimits kConnectionLimits{128, 2048};
// Lets responses queued by the workers reach their sockets before shutdown().
constexpr auto kResponseFlushGrace = std::chrono::milliseconds(200);

}  // namespace

HttpServer::HttpServer(const ListenOptions& options, ServerContext context, TrustedProxies proxies,
                       RequestDispatch dispatch)
    : endpoint_(Pistache::Address(options.bind,
                                  Pistache::Port(static_cast<std::uint16_t>(options.port)))),
      state_(std::make_shared<ServingState>(context, kFramingLimits, kConnectionLimits,
                                            std::move(proxies))) {
  state_->dispatch = std::move(dispatch);
  auto endpoint_options = Http::Endpoint::options()
                              .threads(options.threads)
                              .threadsName("mediateka-http")
                              .flags(Pistache::Tcp::Options::ReuseAddr)
                              .maxRequestSize(kMaxRequestBytes)
                              .headerTimeout(kRequestReadTimeout)
                              .bodyTimeout(kRequestReadTimeout)
                              .keepaliveTimeout(kKeepAliveTimeout);
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
