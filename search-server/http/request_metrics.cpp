#include "http/request_metrics.h"

#include <sstream>

namespace mediateka::server {

void RequestMetrics::record(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, status}];
  Latency& latency = latency_[route];
  for (std::size_t i = 0; i < kBucketBounds.size(); ++i) {
    if (seconds <= kBucketBounds[i]) {
      ++latency.buckets[i];
      break;
    }
  }
  ++latency.count;
  latency.sum += seconds;
}

std::string RequestMetrics::render(std::optional<std::size_t> items, std::uint64_t index_generation,
                                   const ResultCache::Stats& search_cache) const {
  std::ostringstream out;
  out << "# HELP mediateka_http_requests_total HTTP requests answered, by route and status.\n"
      << "# TYPE mediateka_http_requests_total counter\n";
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [key, count] : requests_) {
    out << "mediateka_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
        << "\"} " << count << '\n';
  }

  out << "# HELP mediateka_http_request_duration_seconds Time to answer a request, by route.\n"
      << "# TYPE mediateka_http_request_duration_seconds histogram\n";
  for (const auto& [route, latency] : latency_) {
    const std::string series = "mediateka_http_request_duration_seconds";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBucketBounds.size(); ++i) {
      cumulative += latency.buckets[i];
      out << series << "_bucket{route=\"" << route << "\",le=\"" << kBucketBounds[i] << "\"} "
          << cumulative << '\n';
    }
    out << series << "_bucket{route=\"" << route << "\",le=\"+Inf\"} " << latency.count << '\n'
        << series << "_sum{route=\"" << route << "\"} " << latency.sum << '\n'
        << series << "_count{route=\"" << route << "\"} " << latency.count << '\n';
  }

  if (items) {
    out << "# HELP mediateka_items Items in the index.\n"
        << "# TYPE mediateka_items gauge\n"
        << "mediateka_items " << *items << '\n';
  }
  out << "# HELP mediateka_index_reloads_total Index commits noticed since the server started.\n"
      << "# TYPE mediateka_index_reloads_total counter\n"
      << "mediateka_index_reloads_total " << index_generation << '\n';
  out << "# HELP mediateka_search_cache_hits_total Searches answered from the kept answers.\n"
      << "# TYPE mediateka_search_cache_hits_total counter\n"
      << "mediateka_search_cache_hits_total " << search_cache.hits << '\n'
      << "# HELP mediateka_search_cache_misses_total Searches that had to search.\n"
      << "# TYPE mediateka_search_cache_misses_total counter\n"
      << "mediateka_search_cache_misses_total " << search_cache.misses << '\n'
      << "# HELP mediateka_search_cache_shared_total Searches that awaited the same search of "
         "another request.\n"
      << "# TYPE mediateka_search_cache_shared_total counter\n"
      << "mediateka_search_cache_shared_total " << search_cache.shared << '\n'
      << "# HELP mediateka_search_cache_bytes Memory the kept answers take, about.\n"
      << "# TYPE mediateka_search_cache_bytes gauge\n"
      << "mediateka_search_cache_bytes " << search_cache.bytes << '\n';
  return out.str();
}

}  // namespace mediateka::server
