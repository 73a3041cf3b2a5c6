#include "domain/retry_policy.hpp"
#include "tests/support/fixed_instants.hpp"

#include <catch2/catch.hpp>
#include <climits>
#include <cstdint>
#include <optional>

using schedulerd::domain::is_last_attempt;
using schedulerd::domain::retry_delay_ms;
using schedulerd::domain::retry_policy;

using schedulerd::testing::hour_ms;

namespace {

constexpr retry_policy policy{5, 1'000, 300'000};

}  // namespace

TEST_CASE("a retry backoff doubles with each attempt", "[domain][retry_policy]") {
  CHECK(retry_delay_ms(policy, 1, 0.5, std::nullopt) == 500);
  CHECK(retry_delay_ms(policy, 2, 0.5, std::nullopt) == 1'000);
  CHECK(retry_delay_ms(policy, 3, 0.5, std::nullopt) == 2'000);
  CHECK(retry_delay_ms(policy, 4, 0.5, std::nullopt) == 4'000);
}

TEST_CASE("a retry backoff stops growing at its cap", "[domain][retry_policy]") {
  // 1,000 * 2^8 = 256,000 is still under the cap; 2^9 is past it.
  CHECK(retry_delay_ms(policy, 9, 0.5, std::nullopt) == 128'000);
  CHECK(retry_delay_ms(policy, 10, 0.5, std::nullopt) == 150'000);
  CHECK(retry_delay_ms(policy, 30, 0.5, std::nullopt) == 150'000);
}

TEST_CASE("a retry backoff jitters within one millisecond and its exponential bound",
          "[domain][retry_policy]") {
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const auto bound = std::min<std::int64_t>(300'000, std::int64_t{1'000} << (attempt - 1));
    CHECK(retry_delay_ms(policy, attempt, 0.0, std::nullopt) == 1);
    const auto highest = retry_delay_ms(policy, attempt, 0.999, std::nullopt);
    CHECK(highest < bound);
    CHECK(highest >= bound * 99 / 100);
  }
  // A draw that breaks its promise of [0, 1) is held to it.
  CHECK(retry_delay_ms(policy, 1, 1.5, std::nullopt) < 1'000);
  CHECK(retry_delay_ms(policy, 1, -0.5, std::nullopt) == 1);
}

TEST_CASE("a Retry-After longer than the backoff wins, up to an hour", "[domain][retry_policy]") {
  CHECK(retry_delay_ms(policy, 1, 0.5, 60'000) == 60'000);
  CHECK(retry_delay_ms(policy, 1, 0.5, 10) == 500);
  CHECK(retry_delay_ms(policy, 1, 0.0, 0) == 1);
  CHECK(retry_delay_ms(policy, 1, 0.5, 10 * hour_ms) == hour_ms);
  CHECK(retry_delay_ms(policy, 1, 0.5, -5) == 500);
}

TEST_CASE("a retry backoff for a huge attempt number stays at its cap", "[domain][retry_policy]") {
  CHECK(retry_delay_ms(policy, 1'000, 0.5, std::nullopt) == 150'000);
  CHECK(retry_delay_ms(policy, INT_MAX, 0.5, std::nullopt) == 150'000);
  const retry_policy unbounded{5, 1, INT64_MAX};
  CHECK(retry_delay_ms(unbounded, 1'000, 0.5, std::nullopt) > 0);
  // Attempts before the first count as the first.
  CHECK(retry_delay_ms(policy, 0, 0.5, std::nullopt) == 500);
  CHECK(retry_delay_ms(policy, -3, 0.5, std::nullopt) == 500);
}

TEST_CASE("the last attempt is the policy's maximum", "[domain][retry_policy]") {
  CHECK_FALSE(is_last_attempt(policy, 1));
  CHECK_FALSE(is_last_attempt(policy, 4));
  CHECK(is_last_attempt(policy, 5));
  CHECK(is_last_attempt(policy, 6));
}
