#include "domain/send_batching.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using schedulerd::domain::send_batching;

TEST_CASE("a connection's batches take a quarter of its sends in flight until one is timed",
          "[domain][send_batching]") {
  const send_batching batching;

  CHECK_FALSE(batching.smoothed_ms().has_value());
  CHECK(batching.batch_size(50) == 12);
  CHECK(batching.batch_size(4) == 1);
  CHECK(batching.batch_size(1) == 1);
}

TEST_CASE("quick batches take half the sends in flight, slow ones a quarter",
          "[domain][send_batching]") {
  send_batching batching;

  batching.record(3ms);
  CHECK(batching.batch_size(50) == 25);
  CHECK(batching.batch_size(2) == 1);

  batching.record(send_batching::quick);
  CHECK(batching.batch_size(50) == 25);

  send_batching remote;
  remote.record(180ms);
  CHECK(remote.batch_size(50) == 12);
}

TEST_CASE("one slow batch among quick ones does not shrink the next, a run of them does",
          "[domain][send_batching]") {
  send_batching batching;
  for (int i = 0; i < 8; ++i) batching.record(4ms);

  batching.record(150ms);  // smoothed: (4 * 3 + 150) / 4 = 40.5 ms
  CHECK(batching.smoothed_ms() == Approx(40.5));
  CHECK(batching.batch_size(50) == 25);

  batching.record(150ms);  // (40.5 * 3 + 150) / 4 = 67.9 ms
  CHECK(batching.batch_size(50) == 12);

  for (int i = 0; i < 8; ++i) batching.record(4ms);
  CHECK(batching.batch_size(50) == 25);
}

TEST_CASE("a negative elapsed time counts as zero", "[domain][send_batching]") {
  send_batching batching;
  batching.record(-5ms);
  CHECK(batching.smoothed_ms() == Approx(0.0));
  CHECK(batching.batch_size(50) == 25);
}
