#include "domain/token_bucket.hpp"

#include <catch2/catch.hpp>

using schedulerd::domain::token_bucket;

TEST_CASE("a token bucket lets a burst through, then paces to its rate", "[domain][rate]") {
  token_bucket bucket{10.0, 3.0};
  const std::int64_t start = 1'000'000;
  CHECK(bucket.take(start) == 0);
  CHECK(bucket.take(start) == 0);
  CHECK(bucket.take(start) == 0);
  // Ten per second: the next token is 100 ms away.
  CHECK(bucket.take(start) == 100);
  CHECK(bucket.take(start + 60) == 40);
  CHECK(bucket.take(start + 100) == 0);
  CHECK(bucket.take(start + 100) == 100);
}

TEST_CASE("a token bucket never holds more than its burst", "[domain][rate]") {
  token_bucket bucket{1.0, 2.0};
  CHECK(bucket.take(0) == 0);
  // An hour idle refills two tokens, not 3,600.
  CHECK(bucket.take(3'600'000) == 0);
  CHECK(bucket.take(3'600'000) == 0);
  CHECK(bucket.take(3'600'000) == 1000);
}

TEST_CASE("a paused token bucket gives nothing until the pause ends", "[domain][rate]") {
  token_bucket bucket{100.0, 5.0};
  bucket.pause_until(5'000);
  CHECK(bucket.take(2'000) == 3'000);
  CHECK(bucket.take(5'000) == 0);
  // A shorter pause never cuts a longer one short.
  bucket.pause_until(9'000);
  bucket.pause_until(7'000);
  CHECK(bucket.take(8'000) == 1'000);
}

TEST_CASE("a clock that goes backwards neither refills nor breaks a bucket", "[domain][rate]") {
  token_bucket bucket{1.0, 1.0};
  CHECK(bucket.take(10'000) == 0);
  CHECK(bucket.take(5'000) > 0);
  CHECK(bucket.take(11'000) == 0);
}
