#include "http/trusted_proxies.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "http/header_text.h"

namespace mediateka::server {

namespace {

constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_v4_mapped(const std::array<std::uint8_t, 16>& bytes) {
  return std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes.begin());
}

// An X-Forwarded-For element: an address, or an address with a port ("192.0.2.1:4711",
// "[2001:db8::1]:4711"), which some proxies write.
bool parse_forwarded_element(std::string_view text, IpAddress& address) {
  if (IpAddress::parse(text, address)) return true;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    return close != std::string_view::npos && close + 1 < text.size() && text[close + 1] == ':' &&
           IpAddress::parse(text.substr(0, close + 1), address);
  }
  const std::size_t colon = text.find(':');
  return colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos &&
         IpAddress::parse(text.substr(0, colon), address) && address.v4;
}

// The comma-separated elements of a header value, trimmed, empty ones left out.
std::vector<std::string_view> elements(std::string_view value) {
  std::vector<std::string_view> found;
  while (!value.empty()) {
    const std::size_t comma = std::min(value.find(','), value.size());
    const std::string_view element = trimmed(value.substr(0, comma));
    if (!element.empty()) found.push_back(element);
    value.remove_prefix(std::min(comma + 1, value.size()));
  }
  return found;
}

}  // namespace

bool IpAddress::parse(std::string_view text, IpAddress& address) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
    if (text.find(':') == std::string_view::npos) return false;  // [10.0.0.1] is not a form
  }
  if (const std::size_t zone = text.find('%'); zone != std::string_view::npos) {
    if (text.find(':') == std::string_view::npos || zone + 1 == text.size()) return false;
    text = text.substr(0, zone);
  }
  if (text.empty() || text.size() > 45) return false;
  const std::string copy(text);
  IpAddress parsed;
  if (inet_pton(AF_INET, copy.c_str(), parsed.bytes.data()) == 1) {
    parsed.v4 = true;
  } else if (inet_pton(AF_INET6, copy.c_str(), parsed.bytes.data()) == 1) {
    parsed.v4 = is_v4_mapped(parsed.bytes);
    if (parsed.v4) {
      std::copy(parsed.bytes.begin() + 12, parsed.bytes.end(), parsed.bytes.begin());
      std::fill(parsed.bytes.begin() + 4, parsed.bytes.end(), 0);
    }
  } else {
    return false;
  }
  address = parsed;
  return true;
}

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(v4 ? AF_INET : AF_INET6, bytes.data(), text, sizeof text);
  return text;
}

IpRange IpRange::parse(std::string_view text) {
  const std::string shown = "'" + std::string(text.substr(0, 80)) + "'";
  const std::string_view entry = trimmed(text);
  const std::size_t slash = entry.find('/');
  IpRange range;
  if (!IpAddress::parse(entry.substr(0, slash), range.network)) {
    throw std::invalid_argument(shown +
                                " is not an IP address or CIDR range (names are not resolved)");
  }
  const int bits = range.network.v4 ? 32 : 128;
  range.prefix = bits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = entry.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 ||
        !std::all_of(digits.begin(), digits.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      throw std::invalid_argument(shown + ": the prefix length after '/' must be a number");
    }
    range.prefix = std::stoi(std::string(digits));
    // An IPv4-mapped range (::ffff:10.0.0.0/104) is the IPv4 range (10.0.0.0/8).
    const bool mapped = range.network.v4 && entry.find(':') != std::string_view::npos;
    if (mapped) {
      if (range.prefix < 96 || range.prefix > 128)
        throw std::invalid_argument(shown + ": an IPv4-mapped range needs a prefix of 96..128");
      range.prefix -= 96;
    } else if (range.prefix > bits) {
      throw std::invalid_argument(shown + ": the prefix length must be 0.." + std::to_string(bits));
    }
  }
  IpAddress masked = range.network;
  for (int bit = range.prefix; bit < bits; ++bit)
    masked.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  if (!(masked == range.network)) {
    throw std::invalid_argument(shown + " has bits set after its prefix; did you mean " +
                                masked.to_string() + "/" + std::to_string(range.prefix) + "?");
  }
  return range;
}

bool IpRange::contains(const IpAddress& address) const {
  if (address.v4 != network.v4) return false;
  const int whole = prefix / 8;
  if (!std::equal(network.bytes.begin(), network.bytes.begin() + whole, address.bytes.begin()))
    return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xffu << (8 - rest));
  return (network.bytes[whole] & mask) == (address.bytes[whole] & mask);
}

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const std::string& entry : entries) ranges_.push_back(IpRange::parse(entry));
}

bool TrustedProxies::trusts(const IpAddress& address) const {
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [&](const IpRange& range) { return range.contains(address); });
}

bool TrustedProxies::trusts(std::string_view address) const {
  IpAddress parsed;
  return !ranges_.empty() && IpAddress::parse(address, parsed) && trusts(parsed);
}

ClientOrigin client_origin(const TrustedProxies& proxies, const std::string& peer,
                           std::string_view forwarded_for, std::string_view forwarded_proto) {
  ClientOrigin origin;
  origin.address = peer;
  if (!proxies.trusts(peer)) return origin;
  origin.proxied = true;
  const std::vector<std::string_view> protos = elements(forwarded_proto);
  origin.https = !protos.empty() && iequals(protos.back(), "https");
  const std::vector<std::string_view> hops = elements(forwarded_for);
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    IpAddress address;
    // What the nearest untrusted hop is not an address (a proxy wrote "unknown"): the client
    // cannot be named, and nothing left of it can be believed; the proxy stands for it.
    if (!parse_forwarded_element(*hop, address)) return origin;
    origin.address = address.to_string();
    if (!proxies.trusts(address)) return origin;
  }
  return origin;  // every hop is a trusted proxy: the left-most (or the peer when there is none)
}

std::string joined_header(std::string_view head, std::string_view name) {
  std::string joined;
  std::size_t start = head.find("\r\n");  // past the request line
  while (start != std::string_view::npos && start + 2 < head.size()) {
    start += 2;
    const std::size_t end = std::min(head.find("\r\n", start), head.size());
    const std::string_view line = head.substr(start, end - start);
    if (line.empty()) break;  // the end of the head
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && iequals(line.substr(0, colon), name)) {
      if (!joined.empty()) joined += ", ";
      joined += trimmed(line.substr(colon + 1));
    }
    start = end == head.size() ? std::string_view::npos : end;
  }
  return joined;
}

}  // namespace mediateka::server
