// RequestFramer (search-server/http/request_framing.h): whole requests out of a connection's bytes
// however they are split, and each refusal at the first byte that decides it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/request_framing.h"

namespace {

using mediateka::server::FramingLimits;
using mediateka::server::RequestFramer;

// Feeds `bytes` `step` bytes at a time; the requests taken, and the status of a refusal (0: none).
std::pair<std::vector<std::string>, int> frame(const std::string& bytes, std::size_t step,
                                               FramingLimits limits = {}) {
  RequestFramer framer(limits);
  std::vector<std::string> requests;
  for (std::size_t at = 0; at < bytes.size(); at += step) {
    framer.append(std::string_view(bytes).substr(at, step));
    for (;;) {
      auto next = framer.next();
      if (next.error) return {requests, next.error->status};
      if (!next.request) break;
      requests.push_back(*next.request);
    }
  }
  return {requests, 0};
}

TEST(RequestFramer, CutsPipelinedRequestsHoweverTheBytesArrive) {
  const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string post = "POST /oai HTTP/1.0\r\ncontent-length: 5\r\n\r\nabcde";
  for (std::size_t step : {1u, 3u, 7u, 4096u}) {
    SCOPED_TRACE(step);
    const auto [requests, status] = frame("\r\n" + get + post + get, step);
    EXPECT_EQ(status, 0);
    EXPECT_EQ(requests, (std::vector<std::string>{get, post, get}));
  }
}

TEST(RequestFramer, WaitsForWhatIsMissing) {
  RequestFramer framer;
  EXPECT_TRUE(framer.idle());
  framer.append("POST /oai HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345");
  EXPECT_FALSE(framer.next().request);
  EXPECT_FALSE(framer.idle());
  framer.append("67890GET");
  EXPECT_TRUE(framer.next().request);
  EXPECT_FALSE(framer.next().request);
  EXPECT_FALSE(framer.idle());  // "GET" of the next one
}

TEST(RequestFramer, RefusesAtTheFirstByteThatDecides) {
  FramingLimits limits{100, 200, 50};
  EXPECT_EQ(frame(std::string("\x16\x03\x01", 3), 1, limits).second, 400);  // no line end needed
  EXPECT_EQ(frame("GET /" + std::string(100, 'a'), 4096, limits).second, 414);
  EXPECT_EQ(frame("GET / HTTP/2.0\r\n", 4096, limits).second, 505);
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nA: " + std::string(200, 'b'), 4096, limits).second, 431);
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nContent-Length: 51\r\n\r\n", 4096, limits).second, 413);
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nContent-Length: 50\r\n\r\n", 4096, limits).second, 0);
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 4096, limits).second,
            411);
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nHost x\r\n\r\n", 4096, limits).second, 400);
  EXPECT_EQ(frame("GET / HTTP/1.1\nHost: x\n\n", 4096, limits).second, 400);
}

TEST(RequestFramer, IgnoresEverythingOnceClosed) {
  RequestFramer framer;
  framer.append("BAD\x01 / HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(framer.next().error);
  EXPECT_TRUE(framer.closed());
  framer.append("GET / HTTP/1.1\r\n\r\n");
  const auto next = framer.next();
  EXPECT_FALSE(next.request);
  EXPECT_FALSE(next.error);  // the refusal is answered once
}

}  // namespace
