// Counters for GET /metrics, in the Prometheus text format: requests by route
// and status, and a latency histogram by route. Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "archive/search/result_cache.h"

namespace mediateka::server {

class RequestMetrics {
 public:
  // `route` is a route pattern ("/api/items/:id") or "unmatched", never a raw
  // path, so the number of series stays bounded whatever clients request.
  void record(const std::string& route, int status, double seconds);

  // The exposition text; `items` is the index's current item count (nullopt
  // when the index cannot be read) and `index_generation` the number of
  // commits noticed since start.
  std::string render(std::optional<std::size_t> items, std::uint64_t index_generation,
                     const ResultCache::Stats& search_cache) const;

 private:
  static constexpr std::array<double, 11> kBucketBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,   0.25,   0.5,   1.0,  2.5};
  struct Latency {
    std::array<std::uint64_t, kBucketBounds.size()> buckets{};  // not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Latency> latency_;
};

}  // namespace mediateka::server
