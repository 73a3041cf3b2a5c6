#include "actors/held_claims.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using schedulerd::actors::held_claims;
using schedulerd::domain::attempt_outcome;
using schedulerd::domain::attempt_result;
using schedulerd::domain::claimed_message;

namespace {

claimed_message claim(std::int64_t id, std::int64_t due_at) {
  return {id, 7, 2, "contact-" + std::to_string(id), "text " + std::to_string(id), due_at, 90'000};
}

attempt_result sent(const claimed_message& c) {
  attempt_result result;
  result.claim = c;
  result.outcome = attempt_outcome::sent;
  result.finished_at = 10'000;
  result.provider_message_id = "huggy-" + std::to_string(c.id);
  return result;
}

}  // namespace

TEST_CASE("a crashed connector's claims are stored as what is known of each",
          "[actors][held_claims]") {
  held_claims held;
  held.hold({claim(1, 5'000), claim(2, 5'000), claim(3, 30'000), claim(4, 5'000)});
  held.start(1);
  held.start(2);
  held.know(sent(claim(2, 5'000)));
  held.start(4);
  held.know(sent(claim(4, 5'000)));
  held.settle(4, claim(4, 5'000).attempt);  // stored before the crash: nothing left to do for it
  REQUIRE(held.size() == 3);

  const auto results = held.abandon(20'000);

  REQUIRE(results.size() == 3);
  // Started, outcome unknown: the attempt counts, and the message is tried again at once.
  CHECK(results[0].claim.id == 1);
  CHECK(results[0].outcome == attempt_outcome::retry);
  CHECK(results[0].retry_at == 20'000);
  CHECK(results[0].error == held_claims::interrupted_reason);
  CHECK(results[0].claim.attempt == 2);
  // Known to have been sent: stored as sent, never sent again.
  CHECK(results[1].claim.id == 2);
  CHECK(results[1].outcome == attempt_outcome::sent);
  CHECK(results[1].provider_message_id == "huggy-2");
  // Never started: the attempt is not used, and the message still leaves at its own time.
  CHECK(results[2].claim.id == 3);
  CHECK(results[2].outcome == attempt_outcome::released);
  CHECK(results[2].retry_at == 30'000);
  CHECK(results[2].error == held_claims::unstarted_reason);
  CHECK(results[2].claim.content.empty());  // the holder keeps no texts
  CHECK(held.size() == 0);
  CHECK(held.abandon(21'000).empty());
}

TEST_CASE("an outcome of another attempt of the same message does not settle the held claim",
          "[actors][held_claims]") {
  held_claims held;
  held.hold({claim(1, 5'000)});
  auto older = sent(claim(1, 5'000));
  older.claim.attempt = 1;
  held.know(older);
  held.settle(older.claim.id, older.claim.attempt);
  REQUIRE(held.size() == 1);
  const auto results = held.abandon(20'000);
  REQUIRE(results.size() == 1);
  CHECK(results[0].outcome == attempt_outcome::released);
  CHECK(results[0].claim.attempt == 2);
}
