#include <catch2/catch.hpp>

#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/contact_store.hpp"
#include "storage/provider_store.hpp"
#include "storage/user_store.hpp"
#include "tests/storage/provider_rows.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace domain = schedulerd::domain;
namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::minute_ms;
using schedulerd::testing::now_ms;

namespace {

std::int64_t new_synced_provider(storage::connection& db, const std::string& email) {
  return testing::new_provider(db, email, now_ms);
}

}  // namespace

TEST_CASE("one contact import runs at a time until its heartbeat goes stale", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto id = new_synced_provider(*conn, "alice@example.com");
    const auto stale_before = [](std::int64_t at) { return at - 5 * minute_ms; };

    CHECK(storage::begin_contact_sync(*conn, id, now_ms, stale_before(now_ms)));
    CHECK_FALSE(storage::begin_contact_sync(*conn, id, now_ms + 1, stale_before(now_ms + 1)));
    CHECK(storage::record_sync_progress(*conn, id, now_ms, 40, now_ms + 4 * minute_ms));
    auto found = storage::find_provider_by_id(*conn, id);
    REQUIRE(found);
    CHECK(found->sync.status == "running");
    CHECK(found->sync.started_at == now_ms);
    CHECK(found->sync.imported == 40);
    // The heartbeat at +4 min keeps it alive at +8 min; by +10 min it has gone stale.
    const auto later = now_ms + 8 * minute_ms;
    CHECK_FALSE(storage::begin_contact_sync(*conn, id, later, stale_before(later)));
    const auto restart = now_ms + 10 * minute_ms;
    CHECK(storage::begin_contact_sync(*conn, id, restart, stale_before(restart)));
    found = storage::find_provider_by_id(*conn, id);
    REQUIRE(found);
    CHECK(found->sync.started_at == restart);
    CHECK(found->sync.imported == 0);

    storage::upsert_contacts(*conn, id, {{"1", "Ana", "", ""}, {"2", "Bruno", "", ""}}, restart);
    CHECK(storage::finish_contact_sync(*conn, id, restart, true, "", restart + 1));
    found = storage::find_provider_by_id(*conn, id);
    REQUIRE(found);
    CHECK(found->sync.status == "succeeded");
    CHECK(found->sync.finished_at == restart + 1);
    CHECK(found->contacts_count == 2);
    CHECK(found->contacts_synced_at == restart + 1);

    CHECK(storage::begin_contact_sync(*conn, id, restart + 2, stale_before(restart + 2)));
    found = storage::find_provider_by_id(*conn, id);
    REQUIRE(found);
    CHECK_FALSE(found->sync.finished_at);
    CHECK(storage::finish_contact_sync(*conn, id, restart + 2, false, "429 from the provider",
                                       restart + 3));
    found = storage::find_provider_by_id(*conn, id);
    REQUIRE(found);
    CHECK(found->sync.status == "failed");
    CHECK(found->sync.error == "429 from the provider");
    CHECK(found->contacts_synced_at == restart + 1);
    CHECK(found->contacts_count == 2);
  }
}

TEST_CASE("an import declared dead cannot overwrite the import that replaced it", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto id = new_synced_provider(*conn, "alice@example.com");
    const auto synced_before = storage::find_provider_by_id(*conn, id)->contacts_synced_at;
    const auto first = now_ms;
    REQUIRE(storage::begin_contact_sync(*conn, id, first, first - minute_ms));
    // Its node stalls; three minutes later another import takes over.
    const auto second = first + 3 * minute_ms;
    REQUIRE(storage::begin_contact_sync(*conn, id, second, second - 2 * minute_ms));
    REQUIRE(storage::record_sync_progress(*conn, id, second, 20, second + 1));

    // The first one wakes up: its progress and its end change nothing.
    CHECK_FALSE(storage::record_sync_progress(*conn, id, first, 500, second + 2));
    CHECK_FALSE(storage::finish_contact_sync(*conn, id, first, true, "", second + 3));
    auto found = storage::find_provider_by_id(*conn, id);
    REQUIRE(found);
    CHECK(found->sync.status == "running");
    CHECK(found->sync.started_at == second);
    CHECK(found->sync.imported == 20);
    CHECK(found->contacts_synced_at == synced_before);

    CHECK(storage::finish_contact_sync(*conn, id, second, false, "page 3: 500", second + 4));
    // Once ended, a late end of the same import changes nothing either.
    CHECK_FALSE(storage::finish_contact_sync(*conn, id, second, true, "", second + 5));
    found = storage::find_provider_by_id(*conn, id);
    REQUIRE(found);
    CHECK(found->sync.status == "failed");
    CHECK(found->sync.error == "page 3: 500");
  }
}

TEST_CASE("nodes beginning the same contact import at once start it once", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    const auto id = new_synced_provider(*db.connect(), "alice@example.com");
    constexpr int nodes = 4;
    std::vector<std::unique_ptr<storage::connection>> connections;
    connections.reserve(nodes);
    for (int i = 0; i < nodes; ++i) connections.push_back(db.connect());
    std::vector<int> won(nodes, 0);
    std::vector<std::string> errors(nodes);
    std::latch start(nodes);
    {
      std::vector<std::jthread> threads;
      threads.reserve(nodes);
      for (int i = 0; i < nodes; ++i) {
        threads.emplace_back([&, i] {
          start.arrive_and_wait();
          try {
            won[i] = storage::begin_contact_sync(*connections[i], id, now_ms, now_ms - minute_ms)
                         ? 1
                         : 0;
          } catch (const std::exception& error) {
            errors[i] = error.what();
          }
        });
      }
    }
    for (const auto& error : errors) CHECK(error.empty());
    CHECK(won[0] + won[1] + won[2] + won[3] == 1);
  }
}
