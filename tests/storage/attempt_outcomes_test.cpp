#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage/dispatch_store.hpp"
#include "storage/message_store.hpp"
#include "tests/storage/attempt_rows.hpp"
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

using schedulerd::testing::claimed;
using schedulerd::testing::outcome_events;
using schedulerd::testing::result_of;
using schedulerd::testing::retry_at;

TEST_CASE("each outcome of an attempt is stored with its events", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 4, now_ms);
    const auto claims = claimed(*conn, owner, 4);
    REQUIRE(claims.size() == 4);
    using outcome = domain::attempt_outcome;
    const std::vector<domain::attempt_result> results{
        result_of(claims[0], outcome::sent), result_of(claims[1], outcome::retry),
        result_of(claims[2], outcome::failed), result_of(claims[3], outcome::released)};

    CHECK(storage::record_attempts(*conn, "node-a", results) == 4);

    const auto sent = storage::find_message(*conn, owner.user, claims[0].id).value();
    CHECK(sent.status == "sent");
    CHECK(sent.sent_at == now_ms + 100);
    CHECK(sent.provider_message_id == "pm-1");
    CHECK(sent.last_error.empty());
    CHECK(sent.attempts == 1);
    CHECK(sent.updated_at == now_ms + 100);
    auto events = outcome_events(*conn, owner.user, claims[0].id);
    REQUIRE(events.size() == 1);
    CHECK(events[0].event == "sent");
    CHECK(events[0].attempt == 1);
    CHECK(events[0].at == now_ms + 100);
    CHECK(events[0].http_status == 200);
    CHECK(events[0].latency_ms == 42);
    CHECK(events[0].detail == "pm-1");

    const auto retried = storage::find_message(*conn, owner.user, claims[1].id).value();
    CHECK(retried.status == "pending");
    CHECK(retried.next_attempt_at == retry_at);
    CHECK(retried.last_error == "HTTP 503 from the provider");
    CHECK(retried.attempts == 1);
    events = outcome_events(*conn, owner.user, claims[1].id);
    REQUIRE(events.size() == 2);
    CHECK(events[0].event == "attempt_failed");
    CHECK(events[0].http_status == 503);
    CHECK(events[0].latency_ms == 42);
    CHECK(events[0].detail == "HTTP 503 from the provider");
    CHECK(events[1].event == "retry_scheduled");
    CHECK(events[1].attempt == 1);
    CHECK(events[1].detail == "next attempt at 2026-05-28T20:31:40.000Z");
    CHECK_FALSE(events[1].http_status);

    const auto failed = storage::find_message(*conn, owner.user, claims[2].id).value();
    CHECK(failed.status == "failed");
    CHECK(failed.last_error == "HTTP 503 from the provider");
    events = outcome_events(*conn, owner.user, claims[2].id);
    REQUIRE(events.size() == 2);
    CHECK(events[0].event == "attempt_failed");
    CHECK(events[1].event == "failed");
    CHECK(events[1].detail == "HTTP 503 from the provider");

    const auto released = storage::find_message(*conn, owner.user, claims[3].id).value();
    CHECK(released.status == "pending");
    CHECK(released.attempts == 0);
    CHECK(released.next_attempt_at == retry_at);
    // A release records only why the attempt never began.
    events = outcome_events(*conn, owner.user, claims[3].id);
    REQUIRE(events.size() == 1);
    CHECK(events[0].event == "retry_scheduled");
    CHECK(events[0].detail == "not sent: the node is stopping");
    CHECK_FALSE(events[0].http_status);

    for (const auto& claim : claims) {
      CHECK(testing::message_column(*conn, claim.id, "lease_owner") == value{});
      CHECK(testing::message_column(*conn, claim.id, "lease_expires_at") == value{});
    }
    // Stored once: the same results again find no claim to store them under.
    CHECK(storage::record_attempts(*conn, "node-a", results) == 0);
    CHECK(outcome_events(*conn, owner.user, claims[1].id).size() == 2);
  }
}

TEST_CASE("an outcome whose claim no longer holds changes nothing", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 1, now_ms);
    const auto claims = claimed(*conn, owner, 1);
    REQUIRE(claims.size() == 1);
    const auto sent = result_of(claims[0], domain::attempt_outcome::sent);

    CHECK(storage::record_attempts(*conn, "node-b", {sent}) == 0);
    auto stale = sent;
    stale.claim.attempt = 2;
    CHECK(storage::record_attempts(*conn, "node-a", {stale}) == 0);
    CHECK(storage::record_attempts(*conn, "node-b",
                                   {result_of(claims[0], domain::attempt_outcome::released)}) == 0);
    CHECK(storage::record_attempts(*conn, "node-a", {}) == 0);
    CHECK(testing::message_column(*conn, claims[0].id, "status") ==
          value{std::string("processing")});
    CHECK(testing::message_column(*conn, claims[0].id, "attempts") == value{std::int64_t{1}});
    CHECK(outcome_events(*conn, owner.user, claims[0].id).empty());

    // The lease expired and another node claimed it again: the first node's result is stale.
    storage::recover_expired_leases(*conn, now_ms + 2 * minute_ms);
    const auto again =
        storage::claim_due(*conn, "node-b", now_ms + 2 * minute_ms, now_ms + 3 * minute_ms, 1);
    REQUIRE(again.size() == 1);
    CHECK(storage::record_attempts(*conn, "node-a", {sent}) == 0);
    CHECK(storage::record_attempts(
              *conn, "node-b", {result_of(again[0], domain::attempt_outcome::failed), sent}) == 1);
    CHECK(testing::message_column(*conn, claims[0].id, "status") == value{std::string("failed")});
  }
}

TEST_CASE("outcome texts are stored exactly as given, quotes, backslashes and braces too",
          "[storage]") {
  const std::string awkward = R"(Huggy said "no", {"error": "C:\path"} NULL)";
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", 2, now_ms);
    const auto claims = claimed(*conn, owner, 2);
    REQUIRE(claims.size() == 2);
    auto sent = result_of(claims[0], domain::attempt_outcome::sent);
    sent.provider_message_id = awkward;
    auto failed = result_of(claims[1], domain::attempt_outcome::failed);
    failed.error = "é Olá, 日本 \\ \"";

    CHECK(storage::record_attempts(*conn, "node-a", {sent, failed}) == 2);

    CHECK(storage::find_message(*conn, owner.user, claims[0].id)->provider_message_id == awkward);
    CHECK(outcome_events(*conn, owner.user, claims[0].id).at(0).detail == awkward);
    CHECK(storage::find_message(*conn, owner.user, claims[1].id)->last_error == failed.error);
    const auto events = outcome_events(*conn, owner.user, claims[1].id);
    REQUIRE(events.size() == 2);
    CHECK(events[0].detail == failed.error);
    CHECK(events[1].detail == failed.error);
  }
}

// How fast is for the benchmarks (bench/, the burst scenario); a timed test fails on a busy
// machine without telling anything about the code.
TEST_CASE("10,000 outcomes are stored at once", "[storage]") {
  constexpr std::size_t count = 10'000;
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto owner = testing::new_message_owner(*conn, "alice@example.com", count, now_ms);
    const auto claims = claimed(*conn, owner, count);
    REQUIRE(claims.size() == count);
    std::vector<domain::attempt_result> results;
    results.reserve(count);
    for (std::size_t n = 0; n < count; ++n) {
      results.push_back(result_of(
          claims[n], n % 2 == 0 ? domain::attempt_outcome::sent : domain::attempt_outcome::retry));
    }

    CHECK(storage::record_attempts(*conn, "node-a", results) == static_cast<std::int64_t>(count));
    CHECK(
        testing::count_of(*conn, "SELECT COUNT(*) FROM scheduled_messages WHERE status = 'sent'") ==
        static_cast<std::int64_t>(count / 2));
    CHECK(testing::count_of(*conn,
                            "SELECT COUNT(*) FROM message_events"
                            " WHERE event = 'retry_scheduled'") ==
          static_cast<std::int64_t>(count / 2));
  }
}
