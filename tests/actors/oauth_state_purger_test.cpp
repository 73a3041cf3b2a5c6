#include "storage/oauth_store.hpp"
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
                               options.oauth_state_purge_every = std::chrono::milliseconds{20};
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
