// Caps the connections the server holds, from one address and overall, so that clients that
// open connections and send nothing (or send slowly) cannot take every descriptor. Pistache
// 0.0.5 has no such limit (only the listen backlog). A connection counts until Pistache drops
// it: the limiter keeps weak references to the peers and forgets those that are gone.
//
// Thread-safe: every reactor thread admits its own connections.
#pragma once

#include <pistache/peer.h>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mediateka::server {

struct ConnectionLimits {
  std::size_t per_address = 128;
  std::size_t total = 2048;
};

class ConnectionLimiter {
 public:
  explicit ConnectionLimiter(ConnectionLimits limits = {}) : limits_(limits) {}

  // Counts `peer` from `address` and answers true, or false (and does not count it) when the
  // address or the server already holds its limit. A trusted reverse proxy's connections
  // (`per_address_limit` false) count towards the total only: they carry every visitor's
  // requests, and who the visitor is is known only from each request's headers, after the
  // connection has been admitted (docs/operations.md, "Behind a reverse proxy").
  bool admit(const std::shared_ptr<Pistache::Tcp::Peer>& peer, const std::string& address,
             bool per_address_limit = true);

  const ConnectionLimits& limits() const { return limits_; }

 private:
  ConnectionLimits limits_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::weak_ptr<Pistache::Tcp::Peer>>> peers_;
  std::size_t counted_ = 0;     // the peers in peers_, gone or not
  std::size_t admissions_ = 0;  // a full sweep every so many, so addresses gone are forgotten
};

}  // namespace mediateka::server
