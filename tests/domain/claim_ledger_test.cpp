#include "domain/claim_ledger.hpp"

#include <catch2/catch.hpp>

using schedulerd::domain::claim_ledger;

TEST_CASE("a claim ledger counts claims handed off until they are settled",
          "[domain][claim_ledger]") {
  claim_ledger ledger;
  CHECK(ledger.held(0) == 0);
  ledger.add(500, 120'000);
  ledger.add(200, 121'000);
  CHECK(ledger.held(1'000) == 700);
  ledger.settle(600);  // the whole first batch and part of the second
  CHECK(ledger.held(1'000) == 100);
  ledger.settle(1'000);  // more than held (a report after a restart) never goes below zero
  CHECK(ledger.held(1'000) == 0);
  ledger.add(0, 130'000);
  CHECK(ledger.held(1'000) == 0);
}

TEST_CASE("claims whose lease ended are no longer held, so lost reports cannot stop claiming",
          "[domain][claim_ledger]") {
  claim_ledger ledger;
  ledger.add(300, 10'000);
  ledger.add(100, 20'000);
  CHECK(ledger.held(9'999) == 400);
  CHECK(ledger.held(10'000) == 100);  // the first batch's connector never reported
  ledger.settle(40);
  CHECK(ledger.held(10'000) == 60);
  CHECK(ledger.held(20'000) == 0);
}
