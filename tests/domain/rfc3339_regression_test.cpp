#include "domain/rfc3339.hpp"

#include <catch2/catch.hpp>

using schedulerd::domain::format_rfc3339;
using schedulerd::domain::parse_rfc3339;

// Found by fuzz/rfc3339_fuzz.cpp: an offset moved year 0000 or 9999 outside the four-digit UTC
// years, so the API would have echoed "-001-12-31T00:01:00.000Z" or "10000-01-01T...Z", which no
// RFC 3339 client (nor our own parser) accepts.
TEST_CASE("every time the parser accepts is written back as a time it accepts again",
          "[domain][rfc3339]") {
  for (const auto* text : {"0000-01-01T00:00:00+23:59", "0000-01-01T23:58:59.999+23:59",
                           "9999-12-31T23:59:59.999-23:59", "9999-12-31T00:01:00-00:01"}) {
    INFO(text);
    const auto parsed = parse_rfc3339(text);
    if (parsed) {
      INFO(format_rfc3339(*parsed));
      CHECK(parse_rfc3339(format_rfc3339(*parsed)) == parsed);
    }
  }
}

TEST_CASE("the first and last instants a four-digit year can write still round-trip",
          "[domain][rfc3339]") {
  for (const auto* text : {"0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
                           "0000-01-01T00:00:00-00:01", "9999-12-31T23:59:59+00:01"}) {
    INFO(text);
    const auto parsed = parse_rfc3339(text);
    REQUIRE(parsed);
    CHECK(parse_rfc3339(format_rfc3339(*parsed)) == parsed);
  }
}
