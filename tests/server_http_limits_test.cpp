// mediateka-server's HTTP layer against hostile clients, over raw sockets to 127.0.0.1: each
// malformed or oversized request gets its JSON error at once (well under the 5 s request
// timeout) and the connection closed, slow and silent clients are cut off, connections from one
// address are capped, and keep-alive and pipelining keep working. After each case the server
// still serves. The limits are docs/operations.md's "HTTP limits".
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server_test_support.h"

namespace {

using namespace mediateka::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// What came back on one connection: the bytes, whether the server closed it, and when.
struct Answer {
  std::string bytes;
  bool closed = false;
  std::chrono::milliseconds took{};  // until the server closed, or the limit
  std::vector<HttpResponse> responses() const { return parse_responses(bytes); }
};

Answer read_answer(int fd, std::chrono::milliseconds limit, Clock::time_point since) {
  Answer answer;
  char buffer[65536];
  while (Clock::now() - since < limit) {
    pollfd descriptor{fd, POLLIN, 0};
    if (poll(&descriptor, 1, 20) <= 0) continue;
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      answer.closed = true;
      break;
    }
    answer.bytes.append(buffer, static_cast<std::size_t>(n));
  }
  answer.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since);
  return answer;
}

// Sends `bytes` on a new connection and reads until the server closes it (or `limit`).
Answer send_and_read(int port, const std::string& bytes, std::chrono::milliseconds limit = 3s) {
  const int fd = connect_to(port);
  if (fd < 0) return {};
  const auto started = Clock::now();
  send_all(fd, bytes);
  Answer answer = read_answer(fd, limit, started);
  close(fd);
  return answer;
}

// One server for the suite, over an index of one item.
class ServerHttpLimits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    served_ = std::make_unique<ServedIndex>(std::vector<mediateka::Item>{
        make_item("pub1", mediateka::ItemType::publication, "Poradnik", 2011, {}, "",
                  {page(1, "Pomoc społeczna w gminie")})});
  }
  static void TearDownTestSuite() { served_.reset(); }
  void SetUp() override { ASSERT_TRUE(served_ && port() > 0) << "the server did not start"; }

  static int port() { return served_->port(); }

  // The request gets `status` with the contract's JSON error `code` within a second, the
  // connection is closed, and the server answers the next client.
  static void expect_refused(const std::string& bytes, int status, const std::string& code) {
    SCOPED_TRACE(bytes.substr(0, 80));
    const Answer answer = send_and_read(port(), bytes);
    const auto responses = answer.responses();
    ASSERT_EQ(responses.size(), 1u) << answer.bytes.substr(0, 300);
    EXPECT_EQ(responses[0].status, status);
    EXPECT_EQ(responses[0].header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(responses[0].header("connection"), "Close");
    const auto body = nlohmann::json::parse(responses[0].body, nullptr, false);
    EXPECT_EQ(body["error"]["code"], code) << responses[0].body;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
    EXPECT_TRUE(answer.closed) << "the connection stays open";
    EXPECT_LT(answer.took, 1000ms);
    expect_serving();
  }

  static void expect_serving() {
    const HttpResponse health = get(port(), "/healthz");
    EXPECT_EQ(health.status, 200) << "the server no longer serves";
  }

  inline static std::unique_ptr<ServedIndex> served_;
};

TEST_F(ServerHttpLimits, MalformedRequestLinesAre400AtOnce) {
  expect_refused("GARBAGE\r\n\r\n", 400, "bad_request");
  expect_refused("GET\r\n\r\n", 400, "bad_request");
  expect_refused("GET /healthz\r\n\r\n", 400, "bad_request");
  expect_refused("GET /healthz http/1.1\r\n\r\n", 400, "bad_request");
  expect_refused("GET /a b HTTP/1.1\r\n\r\n", 400, "bad_request");
  expect_refused("NOTAMETHOD /healthz HTTP/1.1\r\n\r\n", 400, "bad_request");
  expect_refused("GET /healthz HTTP/1.1\n\n", 400, "bad_request");  // bare line feeds
  // Bytes that can never start a request line, without any line end (a TLS hello).
  expect_refused(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11), 400,
                 "bad_request");
  expect_refused(std::string("\x00\x01\x02\xff\xfe", 5) + "\r\n\r\n", 400, "bad_request");
}

TEST_F(ServerHttpLimits, MalformedHeadersAre400AtOnce) {
  expect_refused("GET /healthz HTTP/1.1\r\nno colon here\r\n\r\n", 400, "bad_request");
  expect_refused("GET /healthz HTTP/1.1\r\nBad Name: x\r\n\r\n", 400, "bad_request");
  expect_refused("POST /oai HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400, "bad_request");
  expect_refused("POST /oai HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400,
                 "bad_request");
}

TEST_F(ServerHttpLimits, OtherHttpVersionsAre505) {
  expect_refused("GET /healthz HTTP/2.0\r\n\r\n", 505, "http_version_not_supported");
  expect_refused("GET /healthz HTTP/9.9\r\n\r\n", 505, "http_version_not_supported");
  expect_refused("GET /healthz HTTP/1.2\r\n\r\n", 505, "http_version_not_supported");
}

TEST_F(ServerHttpLimits, ADeclaredBodyOverTheLimitIs413WithoutWaitingForIt) {
  // 50 MB declared, none of it sent: the answer must not wait for the body.
  expect_refused("POST /oai HTTP/1.1\r\nHost: x\r\nContent-Length: 52428800\r\n\r\n", 413,
                 "request_too_large");
  expect_refused("POST /oai HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400,
                 "bad_request");
  expect_refused("POST /oai HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                 411, "length_required");
}

TEST_F(ServerHttpLimits, HeadersOverTheLimitAre431) {
  std::string headers;
  for (int n = 0; headers.size() < 20 * 1024; ++n)
    headers += "X-Filler-" + std::to_string(n) + ": " + std::string(100, 'a') + "\r\n";
  expect_refused("GET /healthz HTTP/1.1\r\n" + headers + "\r\n", 431, "headers_too_large");
  // Even when the head never ends.
  expect_refused("GET /healthz HTTP/1.1\r\n" + headers, 431, "headers_too_large");
}

TEST_F(ServerHttpLimits, AUrlOverTheLimitIs414) {
  expect_refused("GET /api/search?q=" + std::string(100 * 1024, 'a') + " HTTP/1.1\r\n\r\n", 414,
                 "uri_too_long");
  expect_refused("GET /api/search?q=" + std::string(20 * 1024, 'a'), 414, "uri_too_long");
  // Just under the limit it is the route's to answer (q is over 1000 bytes).
  const Answer long_query =
      send_and_read(port(), "GET /api/search?q=" + std::string(11 * 1024, 'a') +
                                " HTTP/1.1\r\nConnection: close\r\n\r\n");
  ASSERT_EQ(long_query.responses().size(), 1u);
  EXPECT_EQ(long_query.responses()[0].status, 400);
  EXPECT_EQ(long_query.responses()[0].json_body()["error"]["code"], "query_too_long");
}

TEST_F(ServerHttpLimits, SlowAndSilentClientsAreCutOff) {
  const int silent = connect_to(port());
  const int slow = connect_to(port());
  ASSERT_GE(silent, 0);
  ASSERT_GE(slow, 0);
  const auto started = Clock::now();
  ASSERT_TRUE(send_all(slow, "GET /healthz HTTP/1.1\r\nHost: x\r\n"));  // the head never ends
  std::this_thread::sleep_for(2s);
  ASSERT_TRUE(send_all(slow, "X-Still: here\r\n"));  // bytes do not restart the clock
  expect_serving();                                  // meanwhile others are served
  const Answer slow_answer = read_answer(slow, 9s, started);
  const Answer silent_answer = read_answer(silent, 9s, started);
  close(slow);
  close(silent);
  ASSERT_EQ(slow_answer.responses().size(), 1u) << slow_answer.bytes;
  EXPECT_EQ(slow_answer.responses()[0].status, 408);
  EXPECT_TRUE(slow_answer.closed);
  EXPECT_TRUE(silent_answer.closed);
  for (const Answer* answer : {&slow_answer, &silent_answer}) {
    EXPECT_GE(answer->took, 4500ms);  // the 5 s request timeout, checked every 0.5 s
    EXPECT_LT(answer->took, 7000ms);
  }
  expect_serving();
}

TEST_F(ServerHttpLimits, ConnectionsFromOneAddressAreCapped) {
  constexpr int kPerAddress = 128;  // http_server.cpp kConnectionLimits
  std::vector<int> sockets;
  for (int n = 0; n <= kPerAddress; ++n) {
    const int fd = connect_to(port());
    ASSERT_GE(fd, 0);
    sockets.push_back(fd);
  }
  // Exactly one of them (whichever the server counted last) is refused at once.
  std::this_thread::sleep_for(300ms);
  int refused = 0;
  for (const int fd : sockets) {
    const Answer answer = read_answer(fd, 20ms, Clock::now());
    if (answer.bytes.empty()) continue;
    ++refused;
    const auto responses = answer.responses();
    ASSERT_EQ(responses.size(), 1u) << answer.bytes;
    EXPECT_EQ(responses[0].status, 503);
    EXPECT_EQ(responses[0].json_body()["error"]["code"], "too_many_connections");
  }
  EXPECT_EQ(refused, 1);
  for (const int fd : sockets) close(fd);
  std::this_thread::sleep_for(200ms);  // the server notices the connections closed
  expect_serving();
}

TEST_F(ServerHttpLimits, KeepAliveAndPipeliningKeepWorking) {
  const std::string keep = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n";
  const std::string form = "verb=Identify";
  const std::string post =
      "POST /oai HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: " +
      std::to_string(form.size()) + "\r\n\r\n" + form;
  const std::string last = "GET /api/items/pub1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  // Five requests in one write: four answers in order, then the connection closes (the fourth
  // asked for it; the fifth is not answered).
  const Answer pipelined = send_and_read(port(), keep + post + keep + last + keep);
  const auto responses = pipelined.responses();
  ASSERT_EQ(responses.size(), 4u) << pipelined.bytes.substr(0, 500);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_NE(responses[1].body.find("<Identify>"), std::string::npos) << responses[1].body;
  EXPECT_EQ(responses[2].header("connection"), "Keep-Alive");
  EXPECT_EQ(responses[3].json_body()["id"], "pub1");
  EXPECT_TRUE(pipelined.closed);
  EXPECT_LT(pipelined.took, 1000ms);

  // One connection, requests sent a few bytes at a time, answered one by one.
  const int fd = connect_to(port());
  ASSERT_GE(fd, 0);
  for (int round = 0; round < 3; ++round) {
    for (std::size_t at = 0; at < post.size(); at += 7) {
      ASSERT_TRUE(send_all(fd, post.substr(at, 7)));
      std::this_thread::sleep_for(2ms);
    }
    const auto started = Clock::now();
    Answer answer;
    while (answer.responses().empty() && Clock::now() - started < 2s) {
      const Answer more = read_answer(fd, 50ms, Clock::now());
      answer.bytes += more.bytes;
      ASSERT_FALSE(more.closed) << "closed in round " << round;
    }
    ASSERT_EQ(answer.responses().size(), 1u) << answer.bytes;
    EXPECT_EQ(answer.responses()[0].status, 200);
  }
  close(fd);
}

}  // namespace
