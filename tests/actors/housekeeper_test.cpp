#include "storage/contact_store.hpp"
#include "storage/idempotency_store.hpp"
#include "storage/message_store.hpp"
#include "storage/oauth_store.hpp"
#include "tests/storage/message_rows.hpp"
#include "tests/storage/provider_rows.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/polling.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd;

namespace {

std::int64_t states_named(storage::connection& db, const std::string& hash) {
  return std::get<std::int64_t>(
      db.execute("SELECT COUNT(*) FROM oauth_states WHERE state_hash = $1", {hash})
          .rows.at(0)
          .at(0));
}

}  // namespace

TEST_CASE("an abandoned OAuth login's state is deleted once it expired, a pending one stays",
          "[actors][oauth]") {
  for (const auto* backend : {"sqlite", "postgres"}) {
    INFO(backend);
    testing::api_fixture api{backend, {}, [](app::service_options& options) {
                               options.housekeeping.purge = std::chrono::milliseconds{20};
                             }};
    auto db = storage::open_connection(api.settings().database_url);
    const auto now = api.clock().now_ms.load();
    storage::insert_oauth_state(*db, "abandoned", "login", "google", std::nullopt, "v1",
                                now - 700'000, now - 100'000);
    storage::insert_oauth_state(*db, "pending", "login", "google", std::nullopt, "v2", now,
                                now + 600'000);
    CHECK(testing::eventually([&] { return states_named(*db, "abandoned") == 0; }));
    CHECK(states_named(*db, "pending") == 1);
    // Expiry follows the service's clock: once it passes the pending state's end, it goes too.
    api.clock().advance(std::chrono::minutes{11});
    CHECK(testing::eventually([&] { return states_named(*db, "pending") == 0; }));
  }
}

TEST_CASE("expired idempotent answers are purged and list totals' pending changes folded in",
          "[actors][messages]") {
  for (const auto* backend : {"sqlite", "postgres"}) {
    INFO(backend);
    testing::api_fixture api{
        backend, {}, [](app::service_options& options) {
          options.housekeeping = {std::chrono::milliseconds{20}, std::chrono::milliseconds{20}};
        }};
    auto db = storage::open_connection(api.settings().database_url);
    const auto now = api.clock().now_ms.load();
    const auto owner = testing::new_message_owner(*db, "owner@example.com", 2, now);
    for (std::size_t n = 0; n < 3; ++n) {
      storage::insert_message(*db, owner.user, testing::draft_for(owner, n % 2, "Hi", now + 60'000),
                              now);
    }
    const storage::remembered_answer answer{"hash", 201, "message:1"};
    storage::remember_idempotent_answer(*db, owner.user, "old", answer, now - 100, now - 1);
    storage::remember_idempotent_answer(*db, owner.user, "live", answer, now, now + 60'000);

    CHECK(testing::eventually([&] {
      return testing::count_of(*db, "SELECT COUNT(*) FROM idempotency_keys") == 1 &&
             testing::count_of(*db, "SELECT COUNT(*) FROM message_count_deltas") == 0;
    }));
    CHECK(storage::find_idempotent_answer(*db, owner.user, "live", now).has_value());
    CHECK(testing::count_of(*db, "SELECT CAST(SUM(n) AS BIGINT) FROM message_counts") == 3);
    CHECK(storage::list_messages(*db, owner.user, {}).total == 3);
  }
}

TEST_CASE("a contact stored by older search rules is found by its other form without an import",
          "[actors][contacts]") {
  for (const auto* backend : {"sqlite", "postgres"}) {
    INFO(backend);
    testing::api_fixture api{backend, {}, [](app::service_options& options) {
                               options.housekeeping.refold = std::chrono::milliseconds{20};
                             }};
    auto db = storage::open_connection(api.settings().database_url);
    const auto provider =
        testing::new_provider(*db, "owner@example.com", api.clock().now_ms.load());
    storage::upsert_contacts(*db, provider, {{"1", "Ana", "", "+55 11 98765-4321"}},
                             api.clock().now_ms.load());
    // As the rules before the ninth digit's other form stored it.
    db->execute("UPDATE contacts SET search_version = 1, search_text = 'ana 5511987654321'");
    const auto found_by_old_form = [&] {
      return storage::search_contacts(*db, provider, "11 8765-4321", 10, 0).total == 1;
    };

    CHECK(testing::eventually(found_by_old_form));
    CHECK(testing::count_of(*db, "SELECT COUNT(*) FROM contacts WHERE search_version = 1") == 0);
    CHECK(api.log_text().find(R"("event":"contacts_refolded")") != std::string::npos);
  }
}
