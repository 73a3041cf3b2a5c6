#include "actors/lease_renewals.hpp"

#include <catch2/catch.hpp>

using schedulerd::actors::lease_renewals;
using namespace std::chrono_literals;

TEST_CASE("a renewed claim's lease ends at the latest renewal, but never past its longest hold",
          "[actors][lease_renewals]") {
  lease_renewals renewals{40s};
  CHECK(renewals.lease_end(10'000) == 10'000);  // never renewed yet
  renewals.renewed(25'000);
  CHECK(renewals.lease_end(10'000) == 25'000);
  CHECK(renewals.lease_end(30'000) == 30'000);  // a claim made after the renewal keeps its own
  renewals.renewed(20'000);                     // a late answer never moves it back
  CHECK(renewals.lease_end(10'000) == 25'000);
  renewals.renewed(90'000);
  CHECK(renewals.lease_end(10'000) == 50'000);  // first lease plus the longest hold
}
