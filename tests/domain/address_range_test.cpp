#include "domain/address_range.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace schedulerd::domain;

namespace {

// The canonical text of `text` parsed as an address, or "invalid".
std::string canonical(std::string_view text) {
  auto parsed = parse_ip_address(text);
  return parsed ? to_string(*parsed) : "invalid";
}

bool range_holds(std::string_view range, std::string_view address) {
  auto ranges = parse_address_ranges(range);
  REQUIRE(ranges);
  return contains_any(*ranges, *parse_ip_address(address));
}

}  // namespace

TEST_CASE("addresses are read in the forms proxies write them and written canonically",
          "[domain][address]") {
  CHECK(canonical("192.0.2.7") == "192.0.2.7");
  CHECK(canonical("192.0.2.7:4711") == "192.0.2.7");
  CHECK(canonical("2001:DB8:0:0::1") == "2001:db8::1");
  CHECK(canonical("[2001:db8::1]") == "2001:db8::1");
  CHECK(canonical("[2001:db8::1]:443") == "2001:db8::1");
  CHECK(canonical("fe80::1%eth0") == "fe80::1");
  // A dual-stack socket reports IPv4 peers as IPv4-mapped IPv6; they are the same client.
  CHECK(canonical("::ffff:192.0.2.7") == "192.0.2.7");
}

TEST_CASE("anything that is not an address is refused", "[domain][address]") {
  for (const auto* text :
       {"", "unknown", "proxy.example.com", "192.0.2", "192.0.2.256", "192.0.2.07",
        "192.0.2.7:", "192.0.2.7:123456", "192.0.2.7:http", "[192.0.2.7]", "[2001:db8::1",
        "[2001:db8::1]443", "2001:db8::1::2", "_hidden", " 192.0.2.7"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_ip_address(text));
  }
}

TEST_CASE("a range holds exactly the addresses under its prefix", "[domain][address]") {
  CHECK(range_holds("10.0.0.0/8", "10.255.255.255"));
  CHECK_FALSE(range_holds("10.0.0.0/8", "11.0.0.0"));
  CHECK(range_holds("172.16.0.0/12", "172.31.0.1"));
  CHECK_FALSE(range_holds("172.16.0.0/12", "172.32.0.1"));
  CHECK(range_holds("192.0.2.7", "192.0.2.7"));
  CHECK_FALSE(range_holds("192.0.2.7", "192.0.2.6"));
  CHECK(range_holds("0.0.0.0/0", "203.0.113.1"));
  CHECK_FALSE(range_holds("0.0.0.0/0", "2001:db8::1"));  // all of IPv4, nothing of IPv6
  CHECK(range_holds("fd00::/8", "fdff::1"));
  CHECK_FALSE(range_holds("fd00::/8", "fe00::1"));
  CHECK(range_holds("2001:db8::/33", "2001:db8:7fff::1"));
  CHECK_FALSE(range_holds("2001:db8::/33", "2001:db8:8000::1"));
  // Host bits after the prefix are ignored, as nginx does with `set_real_ip_from`.
  CHECK(range_holds("192.168.1.1/24", "192.168.1.200"));
  // An IPv4 range holds the IPv4-mapped form of its addresses.
  CHECK(range_holds("10.0.0.0/8", "::ffff:10.1.2.3"));
}

TEST_CASE("the named sets cover loopback and the private networks", "[domain][address]") {
  CHECK(range_holds("loopback", "127.0.0.1"));
  CHECK(range_holds("loopback", "127.255.0.1"));
  CHECK(range_holds("loopback", "::1"));
  CHECK_FALSE(range_holds("loopback", "10.0.0.1"));
  CHECK(range_holds("private", "192.168.7.7"));
  CHECK(range_holds("private", "fc00::1"));
  CHECK_FALSE(range_holds("private", "127.0.0.1"));
  CHECK_FALSE(range_holds("private", "8.8.8.8"));
}

TEST_CASE("a malformed range is refused", "[domain][address]") {
  for (const auto* item : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8",
                           "10.0.0.0/a", "10.0.0.0:80", "[::1]", "localhost", "Loopback"}) {
    CAPTURE(item);
    CHECK_FALSE(is_address_ranges(item));
  }
}

TEST_CASE("an IPv6 client counts by its /64 for rate limits, anyone else by the address",
          "[domain][address]") {
  CHECK(rate_limit_subject("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64");
  CHECK(rate_limit_subject("2001:DB8:1:2::9") == "2001:db8:1:2::/64");
  CHECK(rate_limit_subject("2001:db8:1:3::9") == "2001:db8:1:3::/64");
  CHECK(rate_limit_subject("192.0.2.7") == "192.0.2.7");
  CHECK(rate_limit_subject("::ffff:192.0.2.7") == "::ffff:192.0.2.7");
  CHECK(rate_limit_subject("not an address") == "not an address");
}
