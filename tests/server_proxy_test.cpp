// mediateka-server behind a reverse proxy ([server] trusted_proxies, trusted_proxies.h): the
// address and scheme parsing on their own, then the real server with 127.0.0.1 (the test's own
// connections) configured as a trusted proxy, and without it, asked with different
// X-Forwarded-For and X-Forwarded-Proto values: wrong tokens throttle the client named by the
// proxy, not every visitor behind it; nobody else's forwarding headers are believed.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "archive/config.h"
#include "http/trusted_proxies.h"
#include "server_test_support.h"

namespace mediateka::test {
namespace {

using server::client_origin;
using server::IpAddress;
using server::IpRange;
using server::joined_header;
using server::TrustedProxies;

// --- addresses and ranges ---------------------------------------------------------------------

std::string parsed(const std::string& text) {
  IpAddress address;
  return IpAddress::parse(text, address) ? address.to_string() : "(none)";
}

TEST(TrustedProxyAddresses, ReadsIpv4Ipv6BracketsZonesAndMappedAddresses) {
  EXPECT_EQ(parsed("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(parsed("2001:DB8::1"), "2001:db8::1");
  EXPECT_EQ(parsed("[::1]"), "::1");
  EXPECT_EQ(parsed("fe80::1%eth0"), "fe80::1");
  EXPECT_EQ(parsed("::ffff:192.0.2.7"), "192.0.2.7");  // the IPv4 address it maps
  for (const char* bad : {"", "localhost", "192.0.2", "192.0.2.256", "192.0.2.7 ", "[192.0.2.7]",
                          "::1%", "1.2.3.4/8", "2001:db8::1::2", "0x7f.0.0.1", "[::1"}) {
    EXPECT_EQ(parsed(bad), "(none)") << bad;
  }
}

TEST(TrustedProxyAddresses, RangesCoverTheirPrefixExactly) {
  const IpRange ten = IpRange::parse("10.0.0.0/8");
  IpAddress inside, outside, v6;
  ASSERT_TRUE(IpAddress::parse("10.255.255.255", inside));
  ASSERT_TRUE(IpAddress::parse("11.0.0.0", outside));
  ASSERT_TRUE(IpAddress::parse("::a00:1", v6));  // not 10.0.0.1: another family
  EXPECT_TRUE(ten.contains(inside));
  EXPECT_FALSE(ten.contains(outside));
  EXPECT_FALSE(ten.contains(v6));

  const TrustedProxies proxies({"172.16.0.0/12", "192.0.2.7", "2001:db8:abcd::/48", "::1",
                                " 198.51.100.0/25 ", "::ffff:203.0.113.0/120"});
  for (const char* trusted :
       {"172.16.0.1", "172.31.255.254", "192.0.2.7", "2001:db8:abcd:ffff::1", "::1",
        "198.51.100.127", "::ffff:172.20.0.1", "203.0.113.200", "[2001:db8:abcd::5]"}) {
    EXPECT_TRUE(proxies.trusts(std::string(trusted))) << trusted;
  }
  for (const char* untrusted : {"172.32.0.1", "172.15.255.255", "192.0.2.8", "2001:db8:abce::1",
                                "::2", "198.51.100.128", "203.0.114.1", "not an address", ""}) {
    EXPECT_FALSE(proxies.trusts(std::string(untrusted))) << untrusted;
  }
  // Prefix lengths at their bounds: /0 is everything of its family, /32 and /128 one address.
  EXPECT_TRUE(TrustedProxies({"0.0.0.0/0"}).trusts(std::string("255.255.255.255")));
  EXPECT_FALSE(TrustedProxies({"0.0.0.0/0"}).trusts(std::string("::1")));
  EXPECT_TRUE(TrustedProxies({"::/0"}).trusts(std::string("2001:db8::1")));
  EXPECT_TRUE(TrustedProxies({"192.0.2.7/32"}).trusts(std::string("192.0.2.7")));
  EXPECT_FALSE(TrustedProxies({"192.0.2.7/32"}).trusts(std::string("192.0.2.6")));
  EXPECT_TRUE(TrustedProxies({"2001:db8::1/128"}).trusts(std::string("2001:db8::1")));
  EXPECT_TRUE(TrustedProxies({"192.0.2.0/31"}).trusts(std::string("192.0.2.1")));
  EXPECT_FALSE(TrustedProxies({"192.0.2.0/31"}).trusts(std::string("192.0.2.2")));
  EXPECT_FALSE(TrustedProxies().trusts(std::string("127.0.0.1")));
}

TEST(TrustedProxyAddresses, AWrongEntryIsRefusedSayingWhatIsWrong) {
  const auto error_of = [](const std::string& entry) -> std::string {
    try {
      IpRange::parse(entry);
    } catch (const std::invalid_argument& error) {
      return error.what();
    }
    return "(accepted)";
  };
  EXPECT_NE(error_of("proxy.example.org").find("not an IP address or CIDR range"),
            std::string::npos);
  EXPECT_NE(error_of("").find("not an IP address"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.0/33").find("0..32"), std::string::npos);
  EXPECT_NE(error_of("2001:db8::/129").find("0..128"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.0/").find("must be a number"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.0/-1").find("must be a number"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.0/+8").find("must be a number"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.0/0008").find("must be a number"), std::string::npos);
  EXPECT_NE(error_of("10.0.0.0/8/8").find("must be a number"), std::string::npos);
  EXPECT_NE(error_of("::ffff:10.0.0.0/8").find("96..128"), std::string::npos);
  // Bits after the prefix are a typo more often than not: refused, with the likely meaning.
  const std::string host_bits = error_of("10.1.2.3/8");
  EXPECT_NE(host_bits.find("did you mean 10.0.0.0/8?"), std::string::npos) << host_bits;
  EXPECT_NE(error_of("2001:db8::1/64").find("did you mean 2001:db8::/64?"), std::string::npos);
  EXPECT_EQ(error_of("10.0.0.0/8"), "(accepted)");
  EXPECT_EQ(error_of("[2001:db8::]/32"), "(accepted)");
  EXPECT_THROW(TrustedProxies({"127.0.0.1", "localhost"}), std::invalid_argument);
}

TEST(TrustedProxyAddresses, TheConfigurationListsThemAsStrings) {
  TemporaryFolder folder("server_proxy_test.");
  const fs::path file = folder.path() / "mediateka.toml";
  EXPECT_TRUE(load_config((write_file(file, "[server]\nport = 8080\n"), file.string()))
                  .trusted_proxies.empty());
  write_file(file, "[server]\ntrusted_proxies = [\"127.0.0.1\", \"fd00::/8\"]\n");
  EXPECT_EQ(load_config(file.string()).trusted_proxies,
            (std::vector<std::string>{"127.0.0.1", "fd00::/8"}));
  for (const char* wrong : {"trusted_proxies = \"127.0.0.1\"", "trusted_proxies = [1]"}) {
    write_file(file, std::string("[server]\n") + wrong + "\n");
    try {
      load_config(file.string());
      ADD_FAILURE() << wrong << " was accepted";
    } catch (const ConfigError& error) {
      EXPECT_NE(
          std::string(error.what()).find("server.trusted_proxies must be an array of strings"),
          std::string::npos)
          << error.what();
    }
  }
}

// --- who the client is ------------------------------------------------------------------------

TEST(TrustedProxyOrigin, TheClientIsTheRightMostAddressThatIsNotATrustedProxy) {
  const TrustedProxies proxies({"127.0.0.1", "10.0.0.0/8"});
  // From an untrusted peer nothing forwarded counts.
  auto origin = client_origin(proxies, "192.0.2.50", "203.0.113.9", "https");
  EXPECT_EQ(origin.address, "192.0.2.50");
  EXPECT_FALSE(origin.https);
  EXPECT_FALSE(origin.proxied);
  // nginx appends: whatever the client wrote is left of the address nginx saw.
  origin = client_origin(proxies, "127.0.0.1", "198.51.100.1, 203.0.113.9", "https");
  EXPECT_EQ(origin.address, "203.0.113.9");
  EXPECT_TRUE(origin.https);
  EXPECT_TRUE(origin.proxied);
  // Through two proxies of ours.
  origin = client_origin(proxies, "127.0.0.1", "203.0.113.9, 10.1.1.1", "http");
  EXPECT_EQ(origin.address, "203.0.113.9");
  EXPECT_FALSE(origin.https);
  // A client that pretends to be one of our proxies is still the right-most untrusted one.
  origin = client_origin(proxies, "127.0.0.1", "10.9.9.9, 203.0.113.9, 10.1.1.1", "");
  EXPECT_EQ(origin.address, "203.0.113.9");
  // Every hop trusted: the left-most; no header: the proxy itself (its own health checks).
  EXPECT_EQ(client_origin(proxies, "127.0.0.1", "10.2.2.2, 10.1.1.1", "").address, "10.2.2.2");
  EXPECT_EQ(client_origin(proxies, "127.0.0.1", "", "").address, "127.0.0.1");
  // Ports and brackets some proxies add; IPv6 written the canonical way.
  EXPECT_EQ(client_origin(proxies, "127.0.0.1", "203.0.113.9:51000", "").address, "203.0.113.9");
  EXPECT_EQ(client_origin(proxies, "127.0.0.1", "[2001:DB8::9]:51000", "").address, "2001:db8::9");
  EXPECT_EQ(client_origin(proxies, "127.0.0.1", "2001:db8::9", "").address, "2001:db8::9");
  // What cannot be an address ends the walk: nothing left of it is believed.
  EXPECT_EQ(client_origin(proxies, "127.0.0.1", "203.0.113.9, unknown", "").address, "127.0.0.1");
  EXPECT_EQ(client_origin(proxies, "127.0.0.1", "203.0.113.9, unknown, 10.1.1.1", "").address,
            "10.1.1.1");
  // Empty elements are skipped; the scheme the nearest proxy wrote counts.
  EXPECT_EQ(client_origin(proxies, "127.0.0.1", " , 203.0.113.9 ,", "").address, "203.0.113.9");
  EXPECT_TRUE(client_origin(proxies, "127.0.0.1", "", "http, HTTPS").https);
  EXPECT_FALSE(client_origin(proxies, "127.0.0.1", "", "https, http").https);
  EXPECT_FALSE(client_origin(proxies, "127.0.0.1", "", "https-ish").https);
}

TEST(TrustedProxyOrigin, RepeatedHeaderLinesAreJoinedInOrder) {
  const std::string head =
      "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.1\r\n"
      "x-forwarded-for:203.0.113.9 \r\nX-Forwarded-Forwarded: no\r\n\r\n";
  EXPECT_EQ(joined_header(head, "x-forwarded-for"), "198.51.100.1, 203.0.113.9");
  EXPECT_EQ(joined_header(head, "X-Forwarded-Proto"), "");
  EXPECT_EQ(joined_header("GET / HTTP/1.1\r\nX-Forwarded-For: 1.2.3.4\r\n", "x-forwarded-for"),
            "1.2.3.4");
  // Only the head: a body that looks like a header is not one.
  EXPECT_EQ(joined_header("POST / HTTP/1.1\r\nA: 1\r\n\r\nX-Forwarded-For: 1.2.3.4\r\n",
                          "x-forwarded-for"),
            "");
}

// --- the server behind a proxy ----------------------------------------------------------------

// An index of one item and a token, served with `config_text` as the configuration.
class ProxiedServer {
 public:
  explicit ProxiedServer(const std::string& config_text) : db_(folder_.path() / "index") {
    write_index(db_, {make_item("pub1", ItemType::publication, "Poradnik", 2011, {}, "",
                                {page(1, "Pomoc społeczna w gminie")})});
    token_ = create_token(db_.string(), {"partnerzy"}, "Partner", "", std::time(nullptr)).token;
    write_file(folder_.path() / "mediateka.toml", config_text);
    server_ = std::make_unique<ServerProcess>(db_, std::vector<std::string>{},
                                              folder_.path() / "mediateka.toml");
    port_ = server_->wait_until_listening();
  }

  int port() const { return port_; }
  const std::string& token() const { return token_; }

  // One request on its own connection; `headers` are whole lines ("Name: value\r\n").
  HttpResponse send(const std::string& method, const std::string& target,
                    const std::string& headers = "", const std::string& body = "") const {
    std::string bytes = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                        "Connection: close\r\n";
    if (method == "POST") {
      bytes += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n";
    }
    bytes += "\r\n" + body;
    auto responses = parse_responses(exchange(port_, bytes, std::chrono::seconds(10), 1));
    if (responses.empty()) {
      ADD_FAILURE() << "no response to " << method << ' ' << target;
      return {};
    }
    return responses.front();
  }

 private:
  TemporaryFolder folder_{"server_proxy_test."};
  fs::path db_;
  std::string token_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
};

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }
std::string forwarded_for(const std::string& addresses) {
  return "X-Forwarded-For: " + addresses + "\r\n";
}

constexpr const char* kTrustingConfig = "[server]\ntrusted_proxies = [\"::1\", \"127.0.0.0/8\"]\n";

// Wrong tokens, one per element of `forwarded`: 401 until the address is slowed down after the
// free ones and one more (authorization.h kFreeFailures), then 429.
void expect_locked_out_after_wrong_tokens(const ProxiedServer& server,
                                          const std::vector<std::string>& forwarded) {
  for (std::size_t n = 0; n < forwarded.size(); ++n) {
    const HttpResponse response =
        server.send("GET", "/healthz", bearer("mtk_000000000000_wrong") + forwarded[n]);
    EXPECT_EQ(response.status, n + 1 < forwarded.size() ? 401 : 429) << "attempt " << n + 1;
  }
}

TEST(ServerBehindProxy, WrongTokensFromOneClientDoNotLockOutAnother) {
  const ProxiedServer server(kTrustingConfig);
  ASSERT_GT(server.port(), 0);
  // The left parts are whatever the client sent: they change, the client does not.
  std::vector<std::string> attempts;
  for (int n = 0; n < 7; ++n) {
    attempts.push_back(forwarded_for("198.51.100." + std::to_string(n) + ", 203.0.113.5"));
  }
  expect_locked_out_after_wrong_tokens(server, attempts);
  // The same client, even with the right token, waits; another client behind the proxy does not.
  const HttpResponse same =
      server.send("GET", "/healthz", bearer(server.token()) + forwarded_for("203.0.113.5"));
  EXPECT_EQ(same.status, 429);
  EXPECT_FALSE(same.header("retry-after").empty());
  const HttpResponse other =
      server.send("GET", "/healthz", bearer(server.token()) + forwarded_for("203.0.113.6"));
  EXPECT_EQ(other.status, 200);
  const HttpResponse other_v6 =
      server.send("GET", "/healthz", bearer(server.token()) + forwarded_for("2001:db8::6"));
  EXPECT_EQ(other_v6.status, 200);
  // The login form is throttled per client too.
  EXPECT_EQ(server.send("POST", "/logowanie", forwarded_for("203.0.113.5"), "token=mtk_x").status,
            429);
  EXPECT_EQ(
      server.send("POST", "/logowanie", forwarded_for("203.0.113.7"), "token=" + server.token())
          .status,
      303);
}

TEST(ServerBehindProxy, AnUntrustedPeersForwardingHeadersAreIgnored) {
  // 127.0.0.1 is not trusted here: a client that names other addresses is still itself.
  const ProxiedServer server("[server]\ntrusted_proxies = [\"192.0.2.1\"]\n");
  ASSERT_GT(server.port(), 0);
  std::vector<std::string> attempts;
  for (int n = 0; n < 7; ++n) attempts.push_back(forwarded_for("203.0.113." + std::to_string(n)));
  expect_locked_out_after_wrong_tokens(server, attempts);
  EXPECT_EQ(
      server.send("GET", "/healthz", bearer(server.token()) + forwarded_for("203.0.113.99")).status,
      429);
  EXPECT_EQ(server.send("GET", "/healthz").status, 200);  // anonymous visitors are served
}

TEST(ServerBehindProxy, TheCookieIsSecureOnlyWhenATrustedProxySaysHttps) {
  const ProxiedServer trusting(kTrustingConfig);
  const ProxiedServer untrusting("[server]\ntrusted_proxies = []\n");
  ASSERT_GT(trusting.port(), 0);
  ASSERT_GT(untrusting.port(), 0);
  const std::string https = "X-Forwarded-Proto: https\r\n";
  const std::string login = "token=" + trusting.token();

  const HttpResponse proxied = trusting.send("POST", "/logowanie", https, login);
  EXPECT_EQ(proxied.status, 303);
  EXPECT_NE(proxied.header("set-cookie").find("; Secure"), std::string::npos)
      << proxied.header("set-cookie");
  EXPECT_NE(trusting.send("POST", "/wyloguj", https).header("set-cookie").find("; Secure"),
            std::string::npos);
  // The proxy said http, or nothing: not Secure.
  EXPECT_EQ(trusting.send("POST", "/logowanie", "X-Forwarded-Proto: http\r\n", login)
                .header("set-cookie")
                .find("Secure"),
            std::string::npos);
  EXPECT_EQ(trusting.send("POST", "/logowanie", "", login).header("set-cookie").find("Secure"),
            std::string::npos);

  const HttpResponse claimed =
      untrusting.send("POST", "/logowanie", https, "token=" + untrusting.token());
  EXPECT_EQ(claimed.status, 303);
  EXPECT_FALSE(claimed.header("set-cookie").empty());
  EXPECT_EQ(claimed.header("set-cookie").find("Secure"), std::string::npos)
      << claimed.header("set-cookie");
  // The absolute URLs the server writes follow the same rule.
  const std::string trusted_robots = trusting.send("GET", "/robots.txt", https).body;
  EXPECT_NE(trusted_robots.find("Sitemap: https://127.0.0.1/sitemap.xml"), std::string::npos)
      << trusted_robots;
  const std::string untrusted_robots = untrusting.send("GET", "/robots.txt", https).body;
  EXPECT_NE(untrusted_robots.find("Sitemap: http://127.0.0.1/sitemap.xml"), std::string::npos)
      << untrusted_robots;
}

TEST(ServerBehindProxy, ATrustedProxysConnectionsAreNotCappedPerAddress) {
  // An untrusted address gets 128 connections at a time (server_http_limits_test.cpp); a proxy
  // carries every visitor's, so only the server's total applies to it.
  const ProxiedServer server(kTrustingConfig);
  ASSERT_GT(server.port(), 0);
  std::vector<int> sockets;
  for (int n = 0; n < 140; ++n) {
    const int fd = connect_to(server.port());
    ASSERT_GE(fd, 0);
    sockets.push_back(fd);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int refused = 0;
  for (const int fd : sockets) {
    pollfd descriptor{fd, POLLIN, 0};
    if (poll(&descriptor, 1, 0) > 0) ++refused;  // a 503 (or a close) arrived unasked
  }
  EXPECT_EQ(refused, 0);
  for (const int fd : sockets) close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(server.send("GET", "/healthz").status, 200);
}

TEST(ServerBehindProxy, AConfigurationWithAWrongProxyEntryStopsTheServerWithAReason) {
  TemporaryFolder folder("server_proxy_test.");
  const fs::path db = folder.path() / "index";
  write_index(db, {make_item("pub1", ItemType::publication, "Poradnik", 2011, {})});
  write_file(folder.path() / "bad.toml", "[server]\ntrusted_proxies = [\"10.0.0.1/8\"]\n");
  const fs::path log = folder.path() / "server.log";
  ServerProcess server(db, {}, folder.path() / "bad.toml", log);
  EXPECT_EQ(server.wait_for_exit(), 2);
  const std::string said = read_file(log);
  EXPECT_NE(said.find("server.trusted_proxies: '10.0.0.1/8' has bits set after its prefix"),
            std::string::npos)
      << said;
}

}  // namespace
}  // namespace mediateka::test
