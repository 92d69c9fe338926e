#include "http/http_handler.h"

#include <pistache/peer.h>
#include <spdlog/spdlog.h>
#include <strings.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <ostream>

#include "api/api_json.h"
#include "desk/upload_gate.h"
#include "http/file_stream.h"
#include "logging.h"

namespace mediateka::server {

namespace Http = Pistache::Http;

namespace {

constexpr const char* kFramerData = "mediateka.framer";

std::shared_ptr<RequestFramer> framer_of(const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
  return std::static_pointer_cast<RequestFramer>(peer->tryGetData(kFramerData));
}

// Pistache writes only typed headers into responses (raw ones are dropped).
class ExtraHeader : public Http::Header::Header {
 public:
  ExtraHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void parse(const std::string& data) override { value_ = data; }
  void write(std::ostream& stream) const override { stream << value_; }
  std::uint64_t hash() const override { return std::hash<std::string>()(name_); }

 private:
  std::string name_;
  std::string value_;
};

// Sends `response`; closes the connection after it unless the connection is kept alive.
void send_response(Http::ResponseWriter& writer, const Response& response) {
  for (const auto& [name, value] : response.headers) {
    writer.headers().add(std::make_shared<ExtraHeader>(name, value));
  }
  const auto connection = writer.headers().tryGet<Http::Header::Connection>();
  const bool keep_alive = connection && connection->control() == Http::ConnectionControl::KeepAlive;
  if (!keep_alive) {
    writer.headers().remove<Http::Header::Connection>();
    writer.headers().add<Http::Header::Connection>(Http::ConnectionControl::Close);
  }
  auto peer = writer.getPeer();
  auto sent = writer.send(static_cast<Http::Code>(response.status), response.body,
                          Http::Mime::MediaType::fromString(response.content_type));
  if (!keep_alive && peer) {
    if (auto framer = framer_of(peer)) framer->close();
    close_after_sent(std::move(sent), peer);
  }
}

// The request headers handlers read (routes.h RequestHeaders); Pistache keeps them as raw headers.
// X-Forwarded-Proto is not among them: onRequest() sets it ("https") only when a trusted proxy
// says so, so handlers may believe it.
RequestHeaders handler_headers(const Http::Request& request) {
  RequestHeaders headers;
  for (const char* name :
       {"range", "if-range", "if-none-match", "if-modified-since", "host", "authorization",
        "cookie", "accept", "referer", "content-type", "x-csrf-token"}) {
    if (auto raw = request.headers().tryGetRaw(name)) headers.emplace(name, raw->value());
  }
  return headers;
}

// The request id a trusted proxy gave (nginx: proxy_set_header X-Request-Id $request_id), when
// it is a plain token, else a new one. Either way it is safe to log and to send back.
std::string request_id_for(const ClientOrigin& origin, std::string_view head) {
  if (origin.proxied) {
    const std::string given = joined_header(head, "x-request-id");
    const bool plain = !given.empty() && given.size() <= 64 &&
                       given.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
                           std::string::npos;
    if (plain) return given;
  }
  return logging::new_request_id();
}

// The path of a target, without its query (which may hold what a visitor searched), shortened.
std::string logged_path(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path.size() > 200) return std::string(path.substr(0, 200)) + "...";
  return std::string(path);
}

// Keeps a connection that is receiving a long file response from being closed as idle:
// Pistache times a connection from its last request, so the clock is restarted after each
// chunk, unless bytes of a next request have arrived (they are the parser's to time).
void restart_idle_clock(const std::weak_ptr<Pistache::Tcp::Peer>& weak_peer) {
  auto peer = weak_peer.lock();
  if (!peer) return;
  auto framer = framer_of(peer);
  if (framer && !framer->idle()) return;
  Http::Handler::getParser(peer)->reset();
}

}  // namespace

std::string request_target(const std::string& request_line) {
  const size_t first_space = request_line.find(' ');
  const size_t last_space = request_line.rfind(' ');
  if (first_space == std::string::npos || last_space <= first_space + 1) return {};
  return request_line.substr(first_space + 1, last_space - first_space - 1);
}

ApiHttpHandler::ApiHttpHandler(std::shared_ptr<ServingState> state) : state_(std::move(state)) {}

void ApiHttpHandler::onConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
  // What Http::Handler::onConnection does (it is private), then our own framer.
  peer->putData(ParserData, std::make_shared<Http::RequestParser>(getMaxRequestSize()));
  peer->putData(kFramerData, std::make_shared<RequestFramer>(state_->framing, is_upload_request));
  // A trusted proxy's connections carry every visitor's requests: they count towards the
  // server's total only. Per visitor, a proxy is trusted to limit connections itself (nginx:
  // limit_conn), and wrong tokens are throttled per client address (X-Forwarded-For), which
  // each request names only once the connection is open.
  const std::string address = peer->address().host();
  if (!state_->connections.admit(peer, address, !state_->proxies.trusts(address))) {
    reject(peer, {503, "too_many_connections",
                  "too many connections from this address or to the server; try again later"});
  }
}

// An upload cut short (the client went away, or Pistache closed the connection): its sink and
// the temporary files it made go now, not whenever the peer is freed.
void ApiHttpHandler::onDisconnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
  if (auto framer = framer_of(peer)) framer->close();
  Http::Handler::onDisconnection(peer);
}

// Instead of Pistache's own Http::Handler::onInput: the framer (request_framing.h) gives
// Pistache's parser one whole request at a time, and its refusals are answered at once. The raw
// request line is kept for onRequest: Pistache 0.0.5 keeps only the first value of a repeated
// query parameter (type=radio&type=tv), so the query string is read from it.
void ApiHttpHandler::onInput(const char* buffer, size_t length,
                             const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
  auto framer = framer_of(peer);
  if (!framer || framer->closed()) return;  // refused or closing: the rest is not read
  const bool was_idle = framer->idle();
  framer->append(std::string_view(buffer, length));
  if (framer->streaming()) {
    // An upload's body: Pistache's read timeout counts from its last bytes, so an upload may
    // take as long as it keeps arriving, but not stall.
    getParser(peer)->reset();
    peer->setIdle(false);
  } else if (was_idle && !framer->idle()) {
    // The first bytes of a request: Pistache's header timeout counts from now, not from the
    // end of the previous answer (a kept-alive connection would otherwise get its idle time).
    getParser(peer)->reset();
    peer->setIdle(false);
  }
  for (;;) {
    RequestFramer::Next next = framer->next();
    if (next.error) return reject(peer, *next.error);
    if (next.streamed) {
      if (!admit_upload(*next.streamed, peer)) return;
      continue;
    }
    if (!next.request) return;
    std::shared_ptr<UploadedForm> form;
    if (next.body) form = std::static_pointer_cast<UploadSink>(next.body)->take_form();
    serve(*next.request, peer, std::move(form));
    if (framer->closed()) return;
  }
}

bool ApiHttpHandler::admit_upload(const RequestFramer::StreamedHead& streamed,
                                  const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
  const std::string_view head = streamed.head;
  const std::string line(head.substr(0, head.find("\r\n")));
  const std::string target = request_target(line);
  const ClientOrigin origin =
      client_origin(state_->proxies, peer->address().host(), joined_header(head, "x-forwarded-for"),
                    joined_header(head, "x-forwarded-proto"));
  RequestHeaders headers;
  for (const char* name : {"authorization", "cookie", "content-type", "accept"}) {
    std::string value = joined_header(head, name);
    if (!value.empty()) headers.emplace(name, std::move(value));
  }
  const logging::RequestScope scope(request_id_for(origin, head));
  UploadDecision decision = open_upload(state_->context, target, headers, streamed.content_length,
                                        origin.address, state_->draining);
  if (decision.refusal) {
    spdlog::info("POST {} {} upload refused before its body", logged_path(target),
                 decision.refusal->status);
    refuse(peer, std::move(*decision.refusal), "upload");
    return false;
  }
  framer_of(peer)->admit(std::move(decision.sink));
  // A client waiting for leave to send the body (curl does for large ones) gets it now.
  const std::string expect = joined_header(head, "expect");
  if (expect.size() == 12 && strncasecmp(expect.c_str(), "100-continue", 12) == 0 &&
      line.size() > 8 && line.compare(line.size() - 8, 8, "HTTP/1.1") == 0) {
    static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    peer->send(Pistache::RawBuffer(std::string(kContinue), sizeof kContinue - 1));
  }
  return true;
}

void ApiHttpHandler::serve(const std::string& bytes,
                           const std::shared_ptr<Pistache::Tcp::Peer>& peer,
                           std::shared_ptr<UploadedForm> form) {
  auto parser = getParser(peer);
  auto& request = parser->request;
  try {
    parser->reset();
    if (!parser->feed(bytes.data(), bytes.size()) ||
        parser->parse() != Http::Private::State::Done) {
      return reject(peer,
                    {400, "bad_request", "malformed HTTP request: its headers cannot be read"});
    }
    Http::ResponseWriter writer(request.version(), transport(), this, peer);
    request.copyAddress(peer->address());
    const auto connection = request.headers().tryGet<Http::Header::Connection>();
    const bool keep_alive =
        connection && connection->control() == Http::ConnectionControl::KeepAlive;
    writer.headers().add<Http::Header::Connection>(keep_alive ? Http::ConnectionControl::KeepAlive
                                                              : Http::ConnectionControl::Close);
    peer->setIdle(false);
    const std::string line = bytes.substr(0, bytes.find("\r\n"));
    request_line_ = &line;
    const std::size_t head_end = bytes.find("\r\n\r\n");
    request_head_ = std::string_view(bytes).substr(
        0, head_end == std::string::npos ? bytes.size() : head_end + 2);
    request_form_ = std::move(form);
    onRequest(request, std::move(writer));
    request_line_ = nullptr;
    request_head_ = {};
    request_form_.reset();
    parser->reset();
    // The answer closes the connection: requests pipelined behind it are not answered.
    if (!keep_alive) framer_of(peer)->close();
  } catch (const Http::HttpError& error) {
    reject(peer, {error.code(), error.code() == 413 ? "request_too_large" : "bad_request",
                  error.reason()});
  } catch (const std::exception&) {
    // Only Pistache's parser throws here (onRequest does not): a malformed request.
    // Its messages are library internals ("basic_string::_M_create"), not for clients.
    reject(peer, {400, "bad_request", "malformed HTTP request: its headers cannot be read"});
  } catch (...) {
    reject(peer, {400, "bad_request", "malformed HTTP request"});
  }
}

void ApiHttpHandler::reject(const std::shared_ptr<Pistache::Tcp::Peer>& peer,
                            const FramingError& error) {
  const logging::RequestScope scope(logging::new_request_id());
  spdlog::info("refused {} {}", error.status, error.code);
  refuse(peer, json_error(error.status, error.code, error.message), "malformed");
}

void ApiHttpHandler::refuse(const std::shared_ptr<Pistache::Tcp::Peer>& peer, Response response,
                            const std::string& route) {
  request_line_ = nullptr;
  request_head_ = {};
  request_form_.reset();
  if (auto framer = framer_of(peer)) framer->close();
  auto parser = getParser(peer);
  try {
    // The version is unknown (or unsupported): the answer is HTTP/1.1, and closes.
    Http::ResponseWriter writer(Http::Version::Http11, transport(), this, peer);
    response.headers.emplace_back("X-Request-Id", logging::current_request_id());
    send_response(writer, response);
    state_->context.metrics.record(route, response.status, 0);
  } catch (const std::exception& failure) {
    spdlog::error("answering a refused request: {}", failure.what());
  }
  parser->reset();
}

void ApiHttpHandler::onRequest(const Http::Request& request, Http::ResponseWriter writer) {
  ++state_->in_flight;
  const auto started = std::chrono::steady_clock::now();
  const std::string peer_address = request.address().host();
  // Who asks: the peer, or the client its trusted proxies name (trusted_proxies.h).
  const ClientOrigin origin =
      client_origin(state_->proxies, peer_address, joined_header(request_head_, "x-forwarded-for"),
                    joined_header(request_head_, "x-forwarded-proto"));
  const logging::RequestScope scope(request_id_for(origin, request_head_));
  const std::string method = Http::methodString(request.method());
  try {
    if (state_->draining) {
      Response response = json_error(503, "shutting_down", "the server is shutting down");
      response.headers.emplace_back("Retry-After", "5");
      response.headers.emplace_back("X-Request-Id", logging::current_request_id());
      send_response(writer, response);
      spdlog::info("{} {} 503 shutting down", method, logged_path(request.resource()));
    } else {
      std::string target = request_line_ ? request_target(*request_line_) : std::string();
      // Without the raw line (it cannot happen through onInput) repeated parameters are lost.
      if (target.empty() || target.compare(0, request.resource().size(), request.resource()) != 0) {
        target = request.resource() + request.query().as_str();
      }
      const bool head = request.method() == Http::Method::Head;
      RequestHeaders headers = handler_headers(request);
      if (origin.https) headers.emplace("x-forwarded-proto", "https");
      if (origin.proxied) {
        spdlog::debug("client {} through the proxy {}", origin.address, peer_address);
      } else {
        spdlog::debug("client {}", origin.address);
      }
      Response response = state_->dispatch(method, target, state_->context, headers, request.body(),
                                           origin.address, std::move(request_form_));
      response.headers.emplace_back("X-Request-Id", logging::current_request_id());
      spdlog::info(
          "{} {} {} {:.1f} ms", method, logged_path(target), response.status,
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
              .count());
      auto peer = writer.getPeer();
      if ((response.file || head || response.status == 304) && peer) {
        // Written directly (file_stream.h): streamed files, and heads without their body.
        const auto connection = writer.headers().tryGet<Http::Header::Connection>();
        const bool keep_alive =
            connection && connection->control() == Http::ConnectionControl::KeepAlive;
        peer->setIdle(true);  // as ResponseWriter::send does: the request is answered
        ++state_->in_flight;  // until the last chunk has left
        std::weak_ptr<Pistache::Tcp::Peer> weak_peer = peer;
        send_streamed(peer, request.version(), keep_alive, response, head,
                      {[weak_peer] { restart_idle_clock(weak_peer); },
                       [state = state_] { --state->in_flight; }});
      } else {
        send_response(writer, response);
      }
    }
  } catch (const std::exception& error) {
    spdlog::error("sending a response: {}", error.what());
  } catch (...) {
    spdlog::error("sending a response: unknown exception");
  }
  --state_->in_flight;
}

}  // namespace mediateka::server
