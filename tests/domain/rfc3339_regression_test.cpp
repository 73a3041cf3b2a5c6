#include "domain/rfc3339.hpp"
#include "tests/support/fixed_instants.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

using schedulerd::domain::format_rfc3339;
using schedulerd::domain::parse_rfc3339;

using schedulerd::testing::minute_ms;

namespace {

constexpr std::int64_t first_ms = -62'167'219'200'000;  // 0000-01-01T00:00:00.000Z
constexpr std::int64_t last_ms = 253'402'300'799'999;   // 9999-12-31T23:59:59.999Z
constexpr std::int64_t one_day_ms = 86'400'000;
// What a refused time reads as below, so a failure prints a number rather than "{?}".
constexpr std::int64_t refused = std::numeric_limits<std::int64_t>::min();

struct accepted_time {
  const char* text;
  std::int64_t epoch_ms;
  const char* written;
};

}  // namespace

// Found by fuzz/rfc3339_fuzz.cpp: an offset moved year 0000 or 9999 outside the four-digit UTC
// years, so the API would have echoed "-001-12-31T00:01:00.000Z" or "10000-01-01T...Z", which no
// RFC 3339 client (nor our own parser) accepts.
TEST_CASE("a time that an offset carries outside years 0000 to 9999 is refused",
          "[domain][rfc3339]") {
  for (const auto* text : {"0000-01-01T00:00:00+23:59", "0000-01-01T23:58:59.999+23:59",
                           "9999-12-31T23:59:59.999-23:59",
                           // One millisecond past either end.
                           "0000-01-01T00:00:59.999+00:01", "9999-12-31T23:59:00.000-00:01"}) {
    INFO(text);
    CHECK_FALSE(parse_rfc3339(text).has_value());
  }
}

TEST_CASE("a time that an offset keeps inside years 0000 to 9999 round-trips to its exact instant",
          "[domain][rfc3339]") {
  for (const auto& time : {
           accepted_time{"9999-12-31T00:01:00-00:01", last_ms + 1 - one_day_ms + 2 * minute_ms,
                         "9999-12-31T00:02:00.000Z"},
           accepted_time{"0000-01-01T00:00:00.000Z", first_ms, "0000-01-01T00:00:00.000Z"},
           accepted_time{"9999-12-31T23:59:59.999Z", last_ms, "9999-12-31T23:59:59.999Z"},
           accepted_time{"0000-01-01T00:00:00-00:01", first_ms + minute_ms,
                         "0000-01-01T00:01:00.000Z"},
           accepted_time{"9999-12-31T23:59:59+00:01", last_ms - 999 - minute_ms,
                         "9999-12-31T23:58:59.000Z"},
           // Exactly the first and last instants, reached through an offset.
           accepted_time{"0000-01-01T00:01:00+00:01", first_ms, "0000-01-01T00:00:00.000Z"},
           accepted_time{"9999-12-31T23:58:59.999-00:01", last_ms, "9999-12-31T23:59:59.999Z"},
       }) {
    INFO(time.text);
    CHECK(parse_rfc3339(time.text).value_or(refused) == time.epoch_ms);
    CHECK(format_rfc3339(time.epoch_ms) == std::string{time.written});
    CHECK(parse_rfc3339(time.written).value_or(refused) == time.epoch_ms);
  }
}
