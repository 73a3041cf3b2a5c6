#include "domain/sample_window.hpp"

#include <catch2/catch.hpp>

using schedulerd::domain::sample_window;

TEST_CASE("a sample window answers nearest-rank percentiles of its latest samples",
          "[domain][sample_window]") {
  sample_window window{100};
  CHECK(window.percentile(50) == 0);
  for (int i = 1; i <= 100; ++i) {
    window.add(i);
  }
  CHECK(window.percentile(50) == 50);
  CHECK(window.percentile(99) == 99);
  CHECK(window.percentile(100) == 100);
  // Once full, new samples replace the oldest.
  for (int i = 0; i < 100; ++i) {
    window.add(1000);
  }
  CHECK(window.size() == 100);
  CHECK(window.percentile(1) == 1000);
}
