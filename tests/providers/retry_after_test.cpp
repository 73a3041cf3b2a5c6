#include "providers/retry_after.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace std::chrono_literals;
using schedulerd::providers::parse_retry_after;

namespace {

// 2025-06-15T16:00:00Z, a Sunday.
constexpr std::int64_t fixed_now_ms = 1'750'003'200'000;

}  // namespace

TEST_CASE("Retry-After in seconds is clamped to between a second and an hour", "[providers]") {
  CHECK(parse_retry_after("120", fixed_now_ms) == 120s);
  CHECK(parse_retry_after(" 7 ", fixed_now_ms) == 7s);
  CHECK(parse_retry_after("0", fixed_now_ms) == 1s);
  CHECK(parse_retry_after("86400", fixed_now_ms) == 3600s);
  CHECK(parse_retry_after("99999999999999999999999", fixed_now_ms) == 3600s);
}

TEST_CASE("Retry-After as an HTTP date counts from the injected clock", "[providers]") {
  CHECK(parse_retry_after("Sun, 15 Jun 2025 16:02:00 GMT", fixed_now_ms) == 120s);
  CHECK(parse_retry_after("Sun, 15 Jun 2025 15:00:00 GMT", fixed_now_ms) == 1s);  // already past
  CHECK(parse_retry_after("Mon, 16 Jun 2025 16:00:00 GMT", fixed_now_ms) == 3600s);
}

TEST_CASE("an absent or unreadable Retry-After asks for no particular wait", "[providers]") {
  CHECK_FALSE(parse_retry_after(std::nullopt, fixed_now_ms));
  CHECK_FALSE(parse_retry_after("", fixed_now_ms));
  CHECK_FALSE(parse_retry_after("-5", fixed_now_ms));
  CHECK_FALSE(parse_retry_after("1.5", fixed_now_ms));
  CHECK_FALSE(parse_retry_after("soon", fixed_now_ms));
}
