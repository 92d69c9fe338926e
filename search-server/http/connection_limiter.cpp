#include "http/connection_limiter.h"

#include <algorithm>

namespace mediateka::server {

namespace {

// Forgets the peers Pistache has dropped; answers how many were forgotten.
std::size_t forget_gone(std::vector<std::weak_ptr<Pistache::Tcp::Peer>>& peers) {
  const auto kept =
      std::remove_if(peers.begin(), peers.end(), [](const auto& weak) { return weak.expired(); });
  const auto gone = static_cast<std::size_t>(peers.end() - kept);
  peers.erase(kept, peers.end());
  return gone;
}

}  // namespace

bool ConnectionLimiter::admit(const std::shared_ptr<Pistache::Tcp::Peer>& peer,
                              const std::string& address, bool per_address_limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& from_address = peers_[address];
  counted_ -= forget_gone(from_address);
  // Every address is swept only now and then, or at the limit: admit() stays cheap.
  if (counted_ >= limits_.total || ++admissions_ % 1024 == 0) {
    for (auto it = peers_.begin(); it != peers_.end();) {
      counted_ -= forget_gone(it->second);
      it = it->second.empty() && it->first != address ? peers_.erase(it) : std::next(it);
    }
  }
  if ((per_address_limit && from_address.size() >= limits_.per_address) ||
      counted_ >= limits_.total) {
    if (from_address.empty()) peers_.erase(address);
    return false;
  }
  from_address.push_back(peer);
  ++counted_;
  return true;
}

}  // namespace mediateka::server
