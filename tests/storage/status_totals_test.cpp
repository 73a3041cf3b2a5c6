#include "storage/status_totals.hpp"
#include "storage/message_counts.hpp"
#include "storage/message_store.hpp"
#include "tests/storage/message_rows.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

TEST_CASE("message totals by status add every user's counts and the changes not folded yet",
          "[storage][metrics]") {
  constexpr std::int64_t now_ms = 1'780'000'000'000;
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const std::map<std::string, std::int64_t> none{
        {"cancelled", 0}, {"failed", 0}, {"pending", 0}, {"processing", 0}, {"sent", 0}};
    CHECK(storage::message_totals_by_status(*conn) == none);

    const auto alice = testing::new_message_owner(*conn, "alice@example.com", 2, now_ms);
    const auto bob = testing::new_message_owner(*conn, "bob@example.com", 1, now_ms);
    std::vector<std::int64_t> ids;
    ids.reserve(3);
    for (int n = 0; n < 3; ++n) {
      ids.push_back(storage::insert_message(*conn, alice.user,
                                            testing::draft_for(alice, 0, "Hi", now_ms + 60'000),
                                            now_ms)
                        .id);
    }
    storage::insert_message(*conn, bob.user, testing::draft_for(bob, 0, "Yo", now_ms + 60'000),
                            now_ms);
    testing::set_message_column(*conn, ids[0], "status", std::string{"sent"});
    testing::set_message_column(*conn, ids[1], "status", std::string{"failed"});

    auto expected = none;
    expected["pending"] = 2;
    expected["sent"] = 1;
    expected["failed"] = 1;
    // On PostgreSQL the changes still wait in message_count_deltas; folding changes nothing.
    CHECK(storage::message_totals_by_status(*conn) == expected);
    storage::fold_message_counts(*conn);
    CHECK(storage::message_totals_by_status(*conn) == expected);
  }
}
