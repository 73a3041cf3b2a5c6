#include "storage/dispatch_store.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/message_store.hpp"
#include "tests/storage/message_rows.hpp"
#include "tests/storage/value_printing.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace domain = schedulerd::domain;
namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;
using storage::value;

using schedulerd::testing::minute_ms;
using schedulerd::testing::now_ms;

namespace {

std::int64_t schedule(storage::connection& db, const testing::message_owner& owner,
                      std::int64_t send_at, std::size_t contact = 0) {
  return storage::insert_message(db, owner.user, testing::draft_for(owner, contact, "Hi", send_at),
                                 now_ms - 1)
      .id;
}

std::vector<std::int64_t> ids_of(const std::vector<domain::claimed_message>& claims) {
  std::vector<std::int64_t> ids;
  ids.reserve(claims.size());
  for (const auto& claim : claims) ids.push_back(claim.id);
  return ids;
}

std::vector<std::int64_t> ids_of(const std::vector<domain::due_entry>& entries) {
  std::vector<std::int64_t> ids;
  ids.reserve(entries.size());
  for (const auto& entry : entries) ids.push_back(entry.message_id);
  return ids;
}

using ids = std::vector<std::int64_t>;

// The messages of three claims, each with a lease to a minute from now: node-a's made a minute
// ago and now, and node-b's made now.
struct two_nodes_claims {
  std::int64_t old_claim;
  std::int64_t young_claim;
  std::int64_t other_node;
};

two_nodes_claims claims_of_two_nodes(storage::connection& db) {
  const auto owner = testing::new_message_owner(db, "alice@example.com", 1, now_ms);
  const two_nodes_claims claims{schedule(db, owner, now_ms - 3), schedule(db, owner, now_ms - 2),
                                schedule(db, owner, now_ms - 1)};
  storage::claim_due(db, "node-a", now_ms - minute_ms, now_ms + minute_ms, 1, now_ms);
  storage::claim_due(db, "node-a", now_ms, now_ms + minute_ms, 1);
  storage::claim_due(db, "node-b", now_ms, now_ms + minute_ms, 1);
  return claims;
}

}  // namespace

TEST_CASE("the due window and the earliest due time skip what cannot be sent", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 1, now_ms);
    const auto held = testing::new_message_owner(*conn, "bob@example.com", 1, now_ms);
    CHECK_FALSE(storage::earliest_due(*conn));

    const auto late = schedule(*conn, owner, now_ms + 2 * minute_ms);
    const auto a = schedule(*conn, owner, now_ms + minute_ms);
    const auto b = schedule(*conn, owner, now_ms + minute_ms);
    const auto c = schedule(*conn, owner, now_ms + minute_ms);
    const auto sent = schedule(*conn, owner, now_ms);
    testing::set_message_column(*conn, sent, "status", std::string("sent"));
    const auto outside = schedule(*conn, owner, now_ms + 10 * minute_ms);
    schedule(*conn, held, now_ms - minute_ms);
    testing::set_provider_status(*conn, held.provider, "error");

    CHECK(storage::earliest_due(*conn) == now_ms + minute_ms);
    const auto window = storage::due_window(*conn, now_ms, now_ms + 5 * minute_ms, 0, 10);
    CHECK(ids_of(window) == ids{a, b, c, late});
    CHECK(window[0].due_at == now_ms + minute_ms);
    CHECK(window[3].due_at == now_ms + 2 * minute_ms);
    // Keyset paging: two at a time, continuing after the last one's (due time, id).
    const auto first = storage::due_window(*conn, now_ms, now_ms + 5 * minute_ms, 0, 2);
    CHECK(ids_of(first) == ids{a, b});
    CHECK(ids_of(storage::due_window(*conn, first[1].due_at, now_ms + 5 * minute_ms, b, 2)) ==
          ids{c, late});
    CHECK(
        ids_of(storage::due_window(*conn, now_ms + 2 * minute_ms, now_ms + 5 * minute_ms, late, 2))
            .empty());
    CHECK(ids_of(storage::due_window(*conn, now_ms, now_ms + minute_ms, 0, 10)).empty());
    CHECK(ids_of(storage::due_window(*conn, now_ms, now_ms + 11 * minute_ms, 0, 10)).back() ==
          outside);

    testing::set_provider_status(*conn, owner.provider, "inactive");
    CHECK_FALSE(storage::earliest_due(*conn));
    CHECK(storage::due_window(*conn, now_ms, now_ms + 5 * minute_ms, 0, 10).empty());
    testing::set_provider_status(*conn, held.provider, "active");
    CHECK(storage::earliest_due(*conn) == now_ms - minute_ms);
  }
}

TEST_CASE("a claim takes due messages of sendable connections, earliest first", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 2, now_ms);
    const auto failing = testing::new_message_owner(*conn, "bob@example.com", 1, now_ms);
    const auto disabled = testing::new_message_owner(*conn, "carol@example.com", 1, now_ms);
    const auto second = schedule(*conn, owner, now_ms - minute_ms, 1);
    const auto first = schedule(*conn, owner, now_ms - 2 * minute_ms);
    const auto third = schedule(*conn, owner, now_ms);
    const auto future = schedule(*conn, owner, now_ms + 1);
    const auto cancelled = schedule(*conn, owner, now_ms - 3 * minute_ms);
    testing::set_message_column(*conn, cancelled, "status", std::string("cancelled"));
    const auto failed = schedule(*conn, owner, now_ms - 3 * minute_ms);
    testing::set_message_column(*conn, failed, "status", std::string("failed"));
    const auto of_error = schedule(*conn, failing, now_ms - 3 * minute_ms);
    testing::set_provider_status(*conn, failing.provider, "error");
    const auto of_inactive = schedule(*conn, disabled, now_ms - 3 * minute_ms);
    testing::set_provider_status(*conn, disabled.provider, "inactive");

    const auto lease = now_ms + 5 * minute_ms;
    auto claims = storage::claim_due(*conn, "node-a", now_ms, lease, 2);
    CHECK(ids_of(claims) == ids{first, second});
    REQUIRE(claims.size() == 2);
    CHECK(claims[0].provider_id == owner.provider);
    CHECK(claims[0].attempt == 1);
    CHECK(claims[0].contact_external_id == "ext-0");
    CHECK(claims[1].contact_external_id == "ext-1");
    CHECK(claims[0].content == "Hi");
    CHECK(claims[0].due_at == now_ms - 2 * minute_ms);
    CHECK(testing::message_column(*conn, first, "status") == value{std::string("processing")});
    CHECK(testing::message_column(*conn, first, "lease_owner") == value{std::string("node-a")});
    CHECK(testing::message_column(*conn, first, "lease_expires_at") == value{lease});
    CHECK(testing::message_column(*conn, first, "attempts") == value{std::int64_t{1}});
    CHECK(testing::message_column(*conn, first, "updated_at") == value{now_ms});
    const auto events = storage::message_events(*conn, owner.user, first).value();
    REQUIRE(events.size() == 2);
    CHECK(events[1].event == "dispatched");
    CHECK(events[1].attempt == 1);
    CHECK(events[1].at == now_ms);
    CHECK(events[1].detail == "claimed by node-a");

    claims = storage::claim_due(*conn, "node-b", now_ms, lease, 10);
    CHECK(ids_of(claims) == ids{third});
    CHECK(storage::claim_due(*conn, "node-b", now_ms, lease, 10).empty());
    CHECK(ids_of(storage::claim_due(*conn, "node-b", now_ms + 1, lease, 10)) == ids{future});
    for (const auto id : {cancelled, failed, of_error, of_inactive}) {
      CHECK(testing::message_column(*conn, id, "attempts") == value{std::int64_t{0}});
    }
    // A connection that can send again gets its waiting messages claimed.
    testing::set_provider_status(*conn, failing.provider, "active");
    CHECK(ids_of(storage::claim_due(*conn, "node-b", now_ms, lease, 10)) == ids{of_error});
  }
}

TEST_CASE("claims running at once never take the same message twice", "[storage]") {
  constexpr std::size_t due = 2'000;
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto setup = db.connect();
    const auto owner = testing::new_message_owner(*setup, "alice@example.com", due, now_ms);
    storage::insert_batch(*setup, owner.user, {owner.provider, owner.contacts, "Hi", now_ms},
                          now_ms - 1);

    constexpr int claimers = 2;
    std::vector<std::vector<std::int64_t>> taken(claimers);
    std::latch start(claimers);
    std::vector<std::thread> threads;
    threads.reserve(claimers);
    for (int n = 0; n < claimers; ++n) {
      threads.emplace_back([&, n] {
        auto conn = db.connect();
        const auto owner_name = "node-" + std::to_string(n);
        start.arrive_and_wait();
        for (;;) {
          const auto claims = storage::claim_due(*conn, owner_name, now_ms, now_ms + 1, 50);
          if (claims.empty()) break;
          for (const auto& claim : claims) taken[n].push_back(claim.id);
        }
      });
    }
    for (auto& thread : threads) thread.join();

    std::set<std::int64_t> all;
    for (const auto& ids : taken) all.insert(ids.begin(), ids.end());
    CHECK(taken[0].size() + taken[1].size() == due);
    CHECK(all.size() == due);
    CHECK(testing::count_of(*setup,
                            "SELECT COUNT(*) FROM message_events"
                            " WHERE event = 'dispatched'") == static_cast<std::int64_t>(due));
  }
}

// How fast is for the benchmarks (bench/: the bare SQL claim loop); a timed test fails on a busy
// machine without telling anything about the code.
TEST_CASE("one claim takes 10,000 due messages at once, in id order", "[storage]") {
  constexpr std::size_t due = 10'000;
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", due, now_ms);
    storage::insert_batch(*conn, owner.user, {owner.provider, owner.contacts, "Hi", now_ms},
                          now_ms - 1);

    const auto claims = storage::claim_due(*conn, "node-a", now_ms, now_ms + minute_ms, due);
    CHECK(claims.size() == due);
    CHECK(std::is_sorted(claims.begin(), claims.end(),
                         [](const auto& a, const auto& b) { return a.id < b.id; }));
  }
}

TEST_CASE("expired leases go back to pending with an attempt of unknown outcome", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 1, now_ms);
    const auto expiring = schedule(*conn, owner, now_ms - 2);
    const auto holding = schedule(*conn, owner, now_ms - 1);
    storage::claim_due(*conn, "node-a", now_ms, now_ms + minute_ms, 1);
    storage::claim_due(*conn, "node-b", now_ms, now_ms + 2 * minute_ms, 1);

    CHECK(storage::recover_expired_leases(*conn, now_ms + minute_ms).recovered.empty());
    const auto later = now_ms + minute_ms + 1;
    const auto recovered = storage::recover_expired_leases(*conn, later).recovered;
    REQUIRE(recovered.size() == 1);
    CHECK(recovered[0].message_id == expiring);
    CHECK(recovered[0].due_at == later);
    CHECK(testing::message_column(*conn, expiring, "status") == value{std::string("pending")});
    CHECK(testing::message_column(*conn, expiring, "next_attempt_at") == value{later});
    CHECK(testing::message_column(*conn, expiring, "lease_owner") == value{});
    CHECK(testing::message_column(*conn, expiring, "lease_expires_at") == value{});
    CHECK(testing::message_column(*conn, expiring, "attempts") == value{std::int64_t{1}});
    CHECK(testing::message_column(*conn, holding, "status") == value{std::string("processing")});
    const auto events = storage::message_events(*conn, owner.user, expiring).value();
    REQUIRE(events.size() == 3);
    CHECK(events[2].event == "attempt_failed");
    CHECK(events[2].attempt == 1);
    CHECK(events[2].at == later);
    CHECK(events[2].detail ==
          "the node sending this attempt stopped; whether the provider received it is unknown");

    // Its next claim is the second attempt.
    const auto again = storage::claim_due(*conn, "node-c", later, later + minute_ms, 10);
    REQUIRE(again.size() == 1);
    CHECK(again[0].attempt == 2);
  }
}

TEST_CASE("a node renews the leases of its young claims, and only its own", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto [old_claim, young_claim, other_node] = claims_of_two_nodes(*conn);

    // A lease that already ends late enough is not written again: a burst's fresh claims.
    CHECK(storage::renew_leases(
              *conn, {"node-a", now_ms, now_ms + minute_ms, now_ms + 3 * minute_ms}) == 0);
    CHECK(testing::message_column(*conn, young_claim, "lease_expires_at") ==
          value{now_ms + minute_ms});
    // Claims made before `claimed_since` (one a crashed connector may have lost) run out.
    CHECK(storage::renew_leases(
              *conn, {"node-a", now_ms, now_ms + 2 * minute_ms, now_ms + 3 * minute_ms}) == 1);
    CHECK(testing::message_column(*conn, young_claim, "lease_expires_at") ==
          value{now_ms + 3 * minute_ms});
    const auto recovered = storage::recover_expired_leases(*conn, now_ms + 2 * minute_ms).recovered;
    CHECK(ids_of(recovered) == ids{old_claim, other_node});
    CHECK(testing::message_column(*conn, young_claim, "status") ==
          value{std::string("processing")});
    // A renewal never shortens a lease.
    CHECK(storage::renew_leases(
              *conn, {"node-a", now_ms, now_ms + 4 * minute_ms, now_ms + minute_ms}) == 0);
  }
}

TEST_CASE(
    "a recovery renews its own node's young claims first: a node stalled past its lease "
    "keeps what it is still sending",
    "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto [old_claim, young_claim, other_node] = claims_of_two_nodes(*conn);

    // node-a stalled: every lease ended a minute ago, and its recovery runs before its renewal.
    const auto resumed = now_ms + 2 * minute_ms;
    const auto done = storage::recover_expired_leases(
        *conn, resumed,
        storage::kept_claims{"node-a", now_ms, resumed + minute_ms, resumed + minute_ms});
    CHECK(ids_of(done.recovered) == ids{old_claim, other_node});
    CHECK(testing::message_column(*conn, young_claim, "status") ==
          value{std::string("processing")});
    CHECK(testing::message_column(*conn, young_claim, "lease_owner") ==
          value{std::string("node-a")});
    CHECK(testing::message_column(*conn, young_claim, "lease_expires_at") ==
          value{resumed + minute_ms});
  }
}

TEST_CASE("released claims go back to pending without using their attempt, due when they were",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 1, now_ms);
    const auto a = schedule(*conn, owner, now_ms - 3);
    const auto b = schedule(*conn, owner, now_ms - 2);
    const auto c = schedule(*conn, owner, now_ms - 1);
    storage::claim_due(*conn, "node-a", now_ms, now_ms + minute_ms, 2);
    storage::claim_due(*conn, "node-b", now_ms, now_ms + minute_ms, 1);

    CHECK(storage::release_claims(*conn, "node-a", {}, now_ms + 5) == 0);
    CHECK(storage::release_claims(*conn, "node-a", {a, c, 999'999}, now_ms + 5) == 1);
    CHECK(testing::message_column(*conn, a, "status") == value{std::string("pending")});
    CHECK(testing::message_column(*conn, a, "attempts") == value{std::int64_t{0}});
    CHECK(testing::message_column(*conn, a, "next_attempt_at") == value{now_ms - 3});
    CHECK(testing::message_column(*conn, a, "lease_owner") == value{});
    CHECK(testing::message_column(*conn, b, "status") == value{std::string("processing")});
    CHECK(testing::message_column(*conn, c, "lease_owner") == value{std::string("node-b")});
    CHECK(storage::release_claims(*conn, "node-a", {a}, now_ms + 6) == 0);

    const auto claims = storage::claim_due(*conn, "node-c", now_ms + 5, now_ms + minute_ms, 10);
    REQUIRE(claims.size() == 1);
    CHECK(claims[0].id == a);
    CHECK(claims[0].attempt == 1);
  }
}
