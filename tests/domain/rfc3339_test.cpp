#include "domain/rfc3339.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>

using schedulerd::domain::format_rfc3339;
using schedulerd::domain::parse_rfc3339;

TEST_CASE("times with Z or an offset parse to the same instant", "[domain][rfc3339]") {
  auto utc = parse_rfc3339("2026-12-01T13:00:00Z");
  REQUIRE(utc);
  CHECK(*utc == 1796130000000);
  CHECK(parse_rfc3339("2026-12-01T10:00:00-03:00") == utc);
  CHECK(parse_rfc3339("2026-12-01T14:30:00+01:30") == utc);
  CHECK(parse_rfc3339("2026-12-01t13:00:00z") == utc);
}

TEST_CASE("fractional seconds keep their milliseconds", "[domain][rfc3339]") {
  CHECK(parse_rfc3339("1970-01-01T00:00:00.5Z") == 500);
  CHECK(parse_rfc3339("1970-01-01T00:00:01.123456789Z") == 1123);
}

TEST_CASE("a time without an offset or with an impossible field is refused", "[domain][rfc3339]") {
  for (const auto* text :
       {"2026-12-01T13:00:00", "2026-12-01 13:00:00Z", "2026-02-30T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T13:00:00+25:00",
        "2026-12-01T13:00:00.Z", "2026-12-01T13:00:00Zjunk", "", "tomorrow",
        "2026-12-01T13:00:00+0300"}) {
    INFO(text);
    CHECK_FALSE(parse_rfc3339(text));
  }
  CHECK(parse_rfc3339("2028-02-29T00:00:00Z"));
}

TEST_CASE("output is UTC with Z and milliseconds", "[domain][rfc3339]") {
  CHECK(format_rfc3339(1796130000000) == "2026-12-01T13:00:00.000Z");
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(format_rfc3339(*parse_rfc3339("2024-02-29T23:59:59.042+00:00")) ==
        "2024-02-29T23:59:59.042Z");
}

TEST_CASE("every instant of years 0000 to 9999 formats to text that parses back to it",
          "[domain][rfc3339]") {
  const std::int64_t first_instant = *parse_rfc3339("0000-01-01T00:00:00.000Z");
  const std::int64_t last_instant = *parse_rfc3339("9999-12-31T23:59:59.999Z");
  std::mt19937_64 random{20'261'202};  // NOLINT(cert-msc51-cpp): a failure must replay
  std::uniform_int_distribution<std::int64_t> instant(first_instant, last_instant);
  for (int round = 0; round < 100000; ++round) {
    const auto at = instant(random);
    const auto text = format_rfc3339(at);
    if (parse_rfc3339(text) != at) {
      INFO(at << " formats as " << text);
      CHECK(parse_rfc3339(text) == at);
      break;
    }
  }
  // Past year 9999 (never stored) the year keeps all its digits.
  CHECK(format_rfc3339(last_instant + 1) == "10000-01-01T00:00:00.000Z");
}
