// Who a request really comes from when the server sits behind reverse proxies ([server]
// trusted_proxies, docs/operations.md "Behind a reverse proxy"). Only a peer in the trusted set
// may say, in X-Forwarded-For and X-Forwarded-Proto, who the client is and whether it came over
// HTTPS; from anyone else those headers are ignored, since any client can send them.
//
// A proxy appends the address it received the connection from to X-Forwarded-For (nginx:
// $proxy_add_x_forwarded_for), so the list reads client, proxy 1, proxy 2, ... and only its
// right end is written by proxies we trust. The client is the right-most address that is not
// itself a trusted proxy: everything left of it may have been written by the client.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mediateka::server {

// An IPv4 or IPv6 address; IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are their IPv4 address.
struct IpAddress {
  bool v4 = true;
  std::array<std::uint8_t, 16> bytes{};  // the first 4 for IPv4
  // Reads "10.0.0.1", "::1", "[::1]", "fe80::1%eth0" (the zone is ignored) into `address`;
  // false when `text` is not an address (names are never resolved).
  static bool parse(std::string_view text, IpAddress& address);
  std::string to_string() const;
  bool operator==(const IpAddress& other) const { return v4 == other.v4 && bytes == other.bytes; }
};

// An address range "10.0.0.0/8", "fd00::/8", or one address ("192.0.2.7" is /32, "::1" /128).
struct IpRange {
  IpAddress network;
  int prefix = 32;
  // Throws std::invalid_argument saying what is wrong with `text` (not an address, a prefix out
  // of range, bits set after the prefix).
  static IpRange parse(std::string_view text);
  bool contains(const IpAddress& address) const;
};

class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts no one: forwarding headers are always ignored
  // Throws std::invalid_argument naming the first entry that is not an address or CIDR range.
  explicit TrustedProxies(const std::vector<std::string>& entries);

  bool empty() const { return ranges_.empty(); }
  bool trusts(std::string_view address) const;
  bool trusts(const IpAddress& address) const;

 private:
  std::vector<IpRange> ranges_;
};

// Who asked, as far as the server may believe it.
struct ClientOrigin {
  std::string address;   // the client's address: the peer's, or the one its proxies name
  bool https = false;    // X-Forwarded-Proto: https from a trusted proxy
  bool proxied = false;  // the peer is a trusted proxy
};

// `peer`: the TCP peer's address; `forwarded_for` and `forwarded_proto`: the headers' values as
// received, repeated header lines joined with ", " ("" when absent).
// From an untrusted peer: the peer, not https. From a trusted one: the right-most address of
// X-Forwarded-For that is not a trusted proxy (the left-most when all are; the peer when there is
// no such header or the address found is not one), and https when the right-most value of
// X-Forwarded-Proto is "https".
ClientOrigin client_origin(const TrustedProxies& proxies, const std::string& peer,
                           std::string_view forwarded_for, std::string_view forwarded_proto);

// The values of every header line named `name` (case-insensitive) in a request's head (request
// line and header lines, CRLF-separated), joined with ", " in their order; "" when none.
// Pistache keeps only the first of repeated headers, which a client could have sent.
std::string joined_header(std::string_view head, std::string_view name);

}  // namespace mediateka::server
