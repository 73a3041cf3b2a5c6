#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage/dispatch_store.hpp"
#include "storage/message_counts.hpp"
#include "storage/message_store.hpp"
#include "storage/provider_store.hpp"
#include "tests/storage/message_rows.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace domain = schedulerd::domain;
namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::now_ms;

namespace {

// The list totals `user` gets unfiltered, by each status, by two statuses and by connection, each
// beside the COUNT(*) of the rows it should match: the kept counts must agree with the rows.
void check_totals_match_rows(storage::connection& db, std::int64_t user,
                             const std::vector<std::int64_t>& providers) {
  const auto total = [&](const domain::message_filter& filter) {
    return storage::list_messages(db, user, filter).total;
  };
  const auto rows = [&](const std::string& condition, const std::vector<storage::value>& params) {
    return testing::count_of(db, "SELECT COUNT(*) FROM scheduled_messages WHERE " + condition,
                             params);
  };
  domain::message_filter filter;
  CHECK(total(filter) == rows("user_id = $1", {user}));
  for (const std::string status : {"pending", "processing", "sent", "failed", "cancelled"}) {
    INFO("status " << status);
    filter.statuses = {status};
    CHECK(total(filter) == rows("user_id = $1 AND status = $2", {user, status}));
  }
  filter.statuses = {"pending", "sent"};
  CHECK(total(filter) == rows("user_id = $1 AND status IN ('pending', 'sent')", {user}));
  filter.statuses.clear();
  for (const auto provider : providers) {
    filter.provider_id = provider;
    CHECK(total(filter) == rows("user_id = $1 AND provider_id = $2", {user, provider}));
  }
}

}  // namespace

TEST_CASE("list totals read from the kept counts agree with the rows through every change",
          "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    auto alice = testing::new_message_owner(*conn, "alice@example.com", 3, now_ms);
    const auto bob = testing::new_message_owner(*conn, "bob@example.com", 2, now_ms);
    const auto second = testing::new_message_owner(*conn, "alice2@example.com", 2, now_ms);
    // Alice's second connection: move the one just made over to her.
    conn->execute("UPDATE providers SET user_id = $1 WHERE id = $2", {alice.user, second.provider});
    const std::vector<std::int64_t> alices = {alice.provider, second.provider};

    std::vector<std::int64_t> ids;
    for (std::size_t n = 0; n < 6; ++n) {
      ids.push_back(storage::insert_message(
                        *conn, alice.user,
                        testing::draft_for(alice, n % 3, "Hello", now_ms - 1000 + std::int64_t(n)),
                        now_ms - 2000)
                        .id);
    }
    storage::insert_batch(*conn, alice.user, {alice.provider, alice.contacts, "Later", now_ms + 1},
                          now_ms - 2000);
    storage::insert_message(*conn, bob.user, testing::draft_for(bob, 0, "Hi", now_ms), now_ms);
    check_totals_match_rows(*conn, alice.user, alices);

    // Claims, outcomes of each kind, a cancel and an expired lease each move messages around.
    const auto claimed = storage::claim_due(*conn, "node-a", now_ms, now_ms + 60'000, 4);
    REQUIRE(claimed.size() == 4);
    check_totals_match_rows(*conn, alice.user, alices);
    std::vector<domain::attempt_result> results;
    results.push_back({claimed[0], domain::attempt_outcome::sent, now_ms, 200, 5, "p-1", "", 0});
    results.push_back(
        {claimed[1], domain::attempt_outcome::retry, now_ms, 503, 5, "", "busy", now_ms + 10});
    results.push_back({claimed[2], domain::attempt_outcome::failed, now_ms, 400, 5, "", "bad", 0});
    CHECK(storage::record_attempts(*conn, "node-a", results) == 3);
    CHECK(storage::cancel_pending_message(*conn, alice.user, ids[5], now_ms).has_value());
    check_totals_match_rows(*conn, alice.user, alices);
    CHECK(storage::recover_expired_leases(*conn, now_ms + 120'000).recovered.size() == 1);
    check_totals_match_rows(*conn, alice.user, alices);

    // Folding keeps the totals; on PostgreSQL it empties the pending changes, on SQLite there are
    // none to fold.
    const auto folded = storage::fold_message_counts(*conn);
    CHECK((conn->kind() == storage::dialect::postgres ? folded > 0 : folded == 0));
    CHECK(storage::fold_message_counts(*conn) == 0);
    CHECK(testing::count_of(*conn, "SELECT COUNT(*) FROM message_count_deltas") == 0);
    check_totals_match_rows(*conn, alice.user, alices);

    // Deleting a connection deletes its messages, and their counts with them.
    CHECK(storage::delete_provider(*conn, alice.user, alice.provider));
    check_totals_match_rows(*conn, alice.user, alices);
    storage::fold_message_counts(*conn);
    check_totals_match_rows(*conn, alice.user, alices);
    CHECK(storage::list_messages(*conn, bob.user, {}).total == 1);
  }
}
