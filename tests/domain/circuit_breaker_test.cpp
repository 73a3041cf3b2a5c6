#include "domain/circuit_breaker.hpp"

#include <catch2/catch.hpp>
#include <cstdint>

using schedulerd::domain::breaker_settings;
using schedulerd::domain::breaker_state;
using schedulerd::domain::circuit_breaker;

namespace {

// Ten outcomes, five before it may open, half of them failures, open for a second.
constexpr breaker_settings settings{10, 5, 0.5, 1'000, 1};

// A breaker opened by five failures at `now_ms`.
circuit_breaker opened_at(std::int64_t now_ms, breaker_settings chosen = settings) {
  circuit_breaker breaker{chosen};
  for (int call = 0; call < 5; ++call) breaker.record(false, now_ms);
  return breaker;
}

}  // namespace

TEST_CASE("a breaker opens at its failure ratio only after its minimum calls",
          "[domain][circuit_breaker]") {
  circuit_breaker breaker{settings};
  for (int call = 0; call < 4; ++call) {
    REQUIRE(breaker.allow(100));
    breaker.record(false, 100);
  }
  CHECK(breaker.state(100) == breaker_state::closed);
  breaker.record(false, 100);
  CHECK(breaker.state(100) == breaker_state::open);
  CHECK(breaker.reopens_at() == 1'100);

  circuit_breaker mixed{settings};
  for (const bool succeeded : {false, true, false, true, true}) mixed.record(succeeded, 0);
  CHECK(mixed.state(0) == breaker_state::closed);
  // Three failures in six reaches one half.
  mixed.record(false, 0);
  CHECK(mixed.state(0) == breaker_state::open);
}

TEST_CASE("an open breaker refuses calls until its open time has passed",
          "[domain][circuit_breaker]") {
  auto breaker = opened_at(5'000);
  CHECK_FALSE(breaker.allow(5'000));
  CHECK_FALSE(breaker.allow(5'999));
  CHECK(breaker.state(5'999) == breaker_state::open);
  // Half-open once the second is over, before any call asks.
  CHECK(breaker.state(6'000) == breaker_state::half_open);
  CHECK(breaker.allow(6'000));
  CHECK(breaker.state(6'000) == breaker_state::half_open);
}

TEST_CASE("a half-open breaker lets only its probes through", "[domain][circuit_breaker]") {
  auto chosen = settings;
  chosen.half_open_probes = 2;
  auto breaker = opened_at(0, chosen);
  CHECK(breaker.allow(1'000));
  CHECK(breaker.allow(1'001));
  CHECK_FALSE(breaker.allow(1'002));
  CHECK_FALSE(breaker.allow(50'000));
}

TEST_CASE("a half-open breaker closes once all its probes succeed", "[domain][circuit_breaker]") {
  auto chosen = settings;
  chosen.half_open_probes = 2;
  auto breaker = opened_at(0, chosen);
  REQUIRE(breaker.allow(1'000));
  REQUIRE(breaker.allow(1'000));
  breaker.record(true, 1'010);
  CHECK(breaker.state(1'010) == breaker_state::half_open);
  breaker.record(true, 1'020);
  CHECK(breaker.state(1'020) == breaker_state::closed);
  CHECK(breaker.allow(1'020));
  // The window starts empty again: one failure is under the minimum calls.
  breaker.record(false, 1'030);
  CHECK(breaker.state(1'030) == breaker_state::closed);
}

TEST_CASE("a failed probe opens the breaker again", "[domain][circuit_breaker]") {
  auto breaker = opened_at(0);
  REQUIRE(breaker.allow(1'500));
  breaker.record(false, 1'600);
  CHECK(breaker.state(1'600) == breaker_state::open);
  CHECK(breaker.reopens_at() == 2'600);
  CHECK_FALSE(breaker.allow(2'599));
  CHECK(breaker.allow(2'600));
}

TEST_CASE("successes keep a breaker closed while old failures slide out of its window",
          "[domain][circuit_breaker]") {
  circuit_breaker breaker{settings};
  for (int call = 0; call < 100; ++call) breaker.record(true, call);
  CHECK(breaker.state(100) == breaker_state::closed);
  for (int call = 0; call < 4; ++call) breaker.record(false, 200);
  CHECK(breaker.state(200) == breaker_state::closed);
  // The fifth failure pushes a success out of the ten: five in ten.
  breaker.record(false, 300);
  CHECK(breaker.state(300) == breaker_state::open);
}

TEST_CASE("breaker states have their names", "[domain][circuit_breaker]") {
  using schedulerd::domain::to_string;
  CHECK(to_string(breaker_state::closed) == "closed");
  CHECK(to_string(breaker_state::open) == "open");
  CHECK(to_string(breaker_state::half_open) == "half_open");
}
