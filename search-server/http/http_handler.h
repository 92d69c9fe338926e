// The Pistache side of the server: reads requests, answers them through
// handle_request() (routes.h), and counts requests in flight for a clean stop.
#pragma once

#include <pistache/http.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "api/routes.h"
#include "http/connection_limiter.h"
#include "http/request_framing.h"
#include "http/trusted_proxies.h"

namespace mediateka::server {

// What answers a request once the HTTP layer has read it: handle_request() (routes.h), or in
// tests a function of their own with the same parameters.
using RequestDispatch =
    std::function<Response(std::string_view method, std::string_view target, ServerContext& context,
                           const RequestHeaders& headers, std::string body, std::string client,
                           std::shared_ptr<UploadedForm> form)>;

// Shared by all the handler's copies: Pistache clones the handler for each worker thread.
struct ServingState {
  ServingState(ServerContext context, FramingLimits framing, ConnectionLimits connections,
               TrustedProxies proxies = {})
      : context(context), framing(framing), connections(connections), proxies(std::move(proxies)) {}
  ServerContext context;
  const FramingLimits framing;
  ConnectionLimiter connections;
  const TrustedProxies proxies;       // whose X-Forwarded-* headers are believed
  std::atomic<bool> draining{false};  // set on SIGTERM: new requests get 503
  std::atomic<int> in_flight{0};      // requests between arrival and response.send()
  RequestDispatch dispatch = handle_request;
};

class ApiHttpHandler : public Pistache::Http::Handler {
 public:
  HTTP_PROTOTYPE(ApiHttpHandler)

  explicit ApiHttpHandler(std::shared_ptr<ServingState> state);

  void onRequest(const Pistache::Http::Request& request,
                 Pistache::Http::ResponseWriter response) override;

 private:
  void onConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;
  void onDisconnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;
  void onInput(const char* buffer, size_t length,
               const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;
  // Parses and answers one whole request (the framer's); `form`: its streamed upload, if any.
  void serve(const std::string& bytes, const std::shared_ptr<Pistache::Tcp::Peer>& peer,
             std::shared_ptr<UploadedForm> form = nullptr);
  // The upload gate (desk/upload_gate.h) on a streamed head: admits the body into the framer's
  // sink (true), or answers the refusal and closes the connection (false).
  bool admit_upload(const RequestFramer::StreamedHead& streamed,
                    const std::shared_ptr<Pistache::Tcp::Peer>& peer);
  // Answers a request that is refused or cannot be parsed, and closes the connection.
  void reject(const std::shared_ptr<Pistache::Tcp::Peer>& peer, const FramingError& error);
  // The same with a response made already (`route`: how metrics count it).
  void refuse(const std::shared_ptr<Pistache::Tcp::Peer>& peer, Response response,
              const std::string& route);

  std::shared_ptr<ServingState> state_;
  // The raw request line and head of the request being answered, set by serve() for onRequest().
  const std::string* request_line_ = nullptr;
  std::string_view request_head_;
  std::shared_ptr<UploadedForm> request_form_;  // the streamed upload of that request
};

// "GET /a?b=1 HTTP/1.1" → "/a?b=1"; empty when the line is not method, target, version.
std::string request_target(const std::string& request_line);

}  // namespace mediateka::server
