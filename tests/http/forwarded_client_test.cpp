#include "http/forwarded_client.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace schedulerd;

namespace {

std::vector<domain::address_range> ranges(std::initializer_list<const char*> items) {
  std::vector<domain::address_range> out;
  for (const auto* item : items) {
    auto parsed = domain::parse_address_ranges(item);
    REQUIRE(parsed);
    out.insert(out.end(), parsed->begin(), parsed->end());
  }
  return out;
}

domain::header_list forwarded_for(const std::string& value) {
  return {{"host", "api.example.com"}, {"x-forwarded-for", value}};
}

}  // namespace

TEST_CASE("without trusted proxies the header is ignored", "[http][forwarded]") {
  CHECK(http::forwarded_client("10.0.0.2", forwarded_for("203.0.113.9"), {}) == "10.0.0.2");
}

TEST_CASE("a peer that is no trusted proxy cannot name another client", "[http][forwarded]") {
  const auto trusted = ranges({"10.0.0.0/8"});
  CHECK(http::forwarded_client("198.51.100.4", forwarded_for("203.0.113.9"), trusted) ==
        "198.51.100.4");
}

TEST_CASE("behind a trusted proxy the client is the hop the proxy wrote", "[http][forwarded]") {
  const auto trusted = ranges({"10.0.0.0/8"});
  CHECK(http::forwarded_client("10.0.0.2", forwarded_for("203.0.113.9"), trusted) == "203.0.113.9");
  // What the client wrote itself stays to the left of what the proxy appended.
  CHECK(http::forwarded_client("10.0.0.2", forwarded_for("1.1.1.1, 203.0.113.9"), trusted) ==
        "203.0.113.9");
  // Proxies chained inside the trusted network are skipped.
  CHECK(http::forwarded_client("10.0.0.2", forwarded_for("1.1.1.1,203.0.113.9 , 10.0.0.7"),
                               trusted) == "203.0.113.9");
  // Ports and brackets are dropped; addresses are written canonically.
  CHECK(http::forwarded_client("10.0.0.2", forwarded_for("[2001:DB8::9]:443"), trusted) ==
        "2001:db8::9");
  // A proxy that adds a second header instead of extending the first.
  const domain::header_list two{{"x-forwarded-for", "203.0.113.9"},
                                {"x-forwarded-for", "198.51.100.4"}};
  CHECK(http::forwarded_client("10.0.0.2", two, trusted) == "198.51.100.4");
  // No header: the proxy itself.
  CHECK(http::forwarded_client("10.0.0.2", {{"host", "api.example.com"}}, trusted) == "10.0.0.2");
}

TEST_CASE("an unreadable hop ends the chain at the last trusted hop", "[http][forwarded]") {
  const auto trusted = ranges({"10.0.0.0/8"});
  CHECK(http::forwarded_client("10.0.0.2", forwarded_for("203.0.113.9, unknown"), trusted) ==
        "10.0.0.2");
  CHECK(http::forwarded_client("10.0.0.2", forwarded_for("garbage, 10.0.0.7"), trusted) ==
        "10.0.0.7");
  CHECK(http::forwarded_client("10.0.0.2", forwarded_for(""), trusted) == "10.0.0.2");
}

TEST_CASE("when every hop is trusted the left-most one is the client", "[http][forwarded]") {
  const auto trusted = ranges({"private"});
  CHECK(http::forwarded_client("10.0.0.2", forwarded_for("192.168.1.20, 10.0.0.7"), trusted) ==
        "192.168.1.20");
}

TEST_CASE("a dual-stack socket's IPv4-mapped peer matches IPv4 ranges", "[http][forwarded]") {
  CHECK(http::forwarded_client("::ffff:127.0.0.1", forwarded_for("203.0.113.9"),
                               ranges({"loopback"})) == "203.0.113.9");
}
