// The listening HTTP server: Pistache endpoint options, start, and a stop that
// lets requests in flight finish (Pistache's shutdown() drops them).
#pragma once

#include <pistache/endpoint.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/routes.h"
#include "http/http_handler.h"

namespace mediateka::server {

struct ListenOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: any free port, see HttpServer::start()
  int threads = 4;
};

class HttpServer {
 public:
  // `proxies`: the reverse proxies whose forwarding headers are believed (trusted_proxies.h).
  // `dispatch`: what answers the requests read; handle_request() but in tests.
  HttpServer(const ListenOptions& options, ServerContext context, TrustedProxies proxies = {},
             RequestDispatch dispatch = handle_request);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, starts the worker threads and returns the port actually bound.
  // Throws std::runtime_error (e.g. the address is in use).
  std::uint16_t start();

  // New requests get 503 from now on; waits until the requests in flight are
  // answered (at most `limit`), then closes every connection.
  void drain_and_stop(std::chrono::milliseconds limit);

 private:
  Pistache::Http::Endpoint endpoint_;
  std::shared_ptr<ServingState> state_;
};

}  // namespace mediateka::server
