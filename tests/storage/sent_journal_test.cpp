#include <catch2/catch.hpp>

#include <vector>

#include "storage/dispatch_store.hpp"
#include "storage/message_store.hpp"
#include "storage/sent_journal.hpp"
#include "tests/storage/attempt_rows.hpp"
#include "tests/storage/message_rows.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace domain = schedulerd::domain;
namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::minute_ms;
using schedulerd::testing::now_ms;
using schedulerd::testing::outcome_events;
using schedulerd::testing::result_of;

TEST_CASE("a journaled send reads processing until its fold makes it sent with its history",
          "[storage][journal]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto [owner, claims] = testing::owner_with_claims(*conn, 3);
    REQUIRE(claims.size() == 3);
    using outcome = domain::attempt_outcome;
    CHECK(storage::journal_attempts(
              *conn, "node-a",
              {result_of(claims[0], outcome::sent), result_of(claims[1], outcome::sent),
               result_of(claims[2], outcome::retry)}) == 3);

    // The send is durable but not yet in its message; other outcomes are stored at once.
    CHECK(storage::find_message(*conn, owner.user, claims[0].id).value().status == "processing");
    CHECK(outcome_events(*conn, owner.user, claims[0].id).empty());
    CHECK(storage::find_message(*conn, owner.user, claims[2].id).value().status == "pending");

    const auto done = storage::fold_sends(*conn, "node-a", owner.provider);
    CHECK(done.taken == 2);
    CHECK(done.folded == 2);
    const auto sent = storage::find_message(*conn, owner.user, claims[0].id).value();
    CHECK(sent.status == "sent");
    CHECK(sent.sent_at == now_ms + 100);
    CHECK(sent.updated_at == now_ms + 100);
    CHECK(sent.provider_message_id == "pm-1");
    const auto events = outcome_events(*conn, owner.user, claims[0].id);
    REQUIRE(events.size() == 1);
    CHECK(events[0].event == "sent");
    CHECK(events[0].attempt == 1);
    CHECK(events[0].at == now_ms + 100);
    CHECK(events[0].http_status == 200);
    CHECK(events[0].latency_ms == 42);
    CHECK(events[0].detail == "pm-1");
    CHECK(storage::find_message(*conn, owner.user, claims[1].id).value().status == "sent");

    const auto again = storage::fold_sends(*conn, "node-a", owner.provider);
    CHECK(again.taken == 0);
    CHECK(outcome_events(*conn, owner.user, claims[0].id).size() == 1);
  }
}

TEST_CASE("a fold takes only its own node's and connection's sends, fenced by their claims",
          "[storage][journal]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto [owner, claims] = testing::owner_with_claims(*conn, 2);
    REQUIRE(claims.size() == 2);
    // node-b journals a send of a message node-a holds: its fold must not change that message.
    CHECK(storage::journal_attempts(*conn, "node-b",
                                    {result_of(claims[0], domain::attempt_outcome::sent)}) == 1);
    CHECK(storage::journal_attempts(*conn, "node-a",
                                    {result_of(claims[1], domain::attempt_outcome::sent)}) == 1);

    CHECK(storage::fold_sends(*conn, "node-a", owner.provider + 1).taken == 0);
    const auto stale = storage::fold_sends(*conn, "node-b", owner.provider);
    CHECK(stale.taken == 1);
    CHECK(stale.folded == 0);
    CHECK(storage::find_message(*conn, owner.user, claims[0].id).value().status == "processing");
    CHECK(storage::find_message(*conn, owner.user, claims[1].id).value().status == "processing");
    CHECK(storage::fold_sends(*conn, "node-a", owner.provider).folded == 1);
    CHECK(storage::find_message(*conn, owner.user, claims[1].id).value().status == "sent");
  }
}

TEST_CASE("lease recovery folds the sends a dead node journaled instead of sending them again",
          "[storage][journal]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto [owner, claims] = testing::owner_with_claims(*conn, 3);
    REQUIRE(claims.size() == 3);
    CHECK(storage::journal_attempts(*conn, "node-a",
                                    {result_of(claims[0], domain::attempt_outcome::sent)}) == 1);

    // Within seconds of the send, with every lease alive: nothing to recover or fold yet.
    CHECK(storage::recover_expired_leases(*conn, now_ms + 1'000).recovered.empty());
    CHECK(storage::find_message(*conn, owner.user, claims[0].id).value().status == "processing");

    // Seconds later the send is folded although its lease still runs (its connector died).
    const auto by_age = storage::recover_expired_leases(*conn, now_ms + 10'000);
    CHECK(by_age.sends_folded == 1);
    CHECK(by_age.recovered.empty());
    CHECK(storage::find_message(*conn, owner.user, claims[0].id).value().status == "sent");

    // A send journaled just before its node died, found once the lease ended: sent, not retried.
    auto last = result_of(claims[1], domain::attempt_outcome::sent);
    last.finished_at = now_ms + minute_ms - 1;
    CHECK(storage::journal_attempts(*conn, "node-a", {last}) == 1);
    const auto by_lease = storage::recover_expired_leases(*conn, now_ms + minute_ms + 1);
    CHECK(by_lease.sends_folded == 1);
    REQUIRE(by_lease.recovered.size() == 1);
    CHECK(by_lease.recovered[0].message_id == claims[2].id);
    CHECK(storage::find_message(*conn, owner.user, claims[1].id).value().status == "sent");
    CHECK(storage::find_message(*conn, owner.user, claims[2].id).value().status == "pending");
    CHECK(outcome_events(*conn, owner.user, claims[1].id).size() == 1);
  }
}

TEST_CASE("a store of sends tried again after it committed unseen journals nothing twice",
          "[storage][journal]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto [owner, claims] = testing::owner_with_claims(*conn, 1);
    REQUIRE(claims.size() == 1);
    const std::vector<domain::attempt_result> sends{
        result_of(claims[0], domain::attempt_outcome::sent)};
    CHECK(storage::journal_attempts(*conn, "node-a", sends) == 1);
    CHECK(storage::journal_attempts(*conn, "node-a", sends) == 1);

    const auto done = storage::fold_sends(*conn, "node-a", owner.provider);
    CHECK(done.taken == 1);
    CHECK(done.folded == 1);
    CHECK(outcome_events(*conn, owner.user, claims[0].id).size() == 1);
  }
}

TEST_CASE("a fold of more sends than one step takes folds them all", "[storage][journal]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    constexpr std::size_t count = 4100;  // two full steps of 2,000 and a part
    const auto [owner, claims] = testing::owner_with_claims(*conn, count);
    REQUIRE(claims.size() == count);
    std::vector<domain::attempt_result> sends;
    sends.reserve(count);
    for (const auto& claim : claims) {
      sends.push_back(result_of(claim, domain::attempt_outcome::sent));
    }
    CHECK(storage::journal_attempts(*conn, "node-a", sends) == static_cast<std::int64_t>(count));

    const auto done = storage::fold_sends(*conn, "node-a", owner.provider);
    CHECK(done.taken == static_cast<std::int64_t>(count));
    CHECK(done.folded == static_cast<std::int64_t>(count));
    CHECK(storage::find_message(*conn, owner.user, claims.back().id).value().status == "sent");
    CHECK(storage::fold_sends(*conn, "node-a", owner.provider).taken == 0);
  }
}
