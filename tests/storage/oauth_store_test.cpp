#include "storage/oauth_store.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "storage/user_store.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::now_ms;

namespace {

constexpr std::int64_t ten_minutes_ms = std::int64_t{10} * 60 * 1000;

storage::failure failure_of_link(storage::connection& db, std::int64_t user_id) {
  try {
    storage::link_identity(db, user_id, "github", "gh-42", "m@example.com", now_ms);
  } catch (const storage::storage_error& error) {
    return error.kind();
  }
  FAIL("an identity already linked to another user was linked again");
  return storage::failure::other;
}

std::int64_t rows_in(storage::connection& db, const std::string& table) {
  return std::get<std::int64_t>(db.execute("SELECT COUNT(*) FROM " + table).rows.at(0).at(0));
}

}  // namespace

TEST_CASE("an OAuth state can be consumed exactly once", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = storage::insert_user(*conn, "Alice", "alice@example.com", "", now_ms).id;
    storage::insert_oauth_state(*conn, "state-1", "login", "github", std::nullopt, "verifier-1",
                                now_ms, now_ms + ten_minutes_ms);
    storage::insert_oauth_state(*conn, "state-2", "provider", "huggy", alice, "verifier-2", now_ms,
                                now_ms + ten_minutes_ms);

    const auto first = storage::consume_oauth_state(*conn, "state-1", now_ms + 1000);
    REQUIRE(first);
    CHECK(first->id > 0);
    CHECK(first->purpose == "login");
    CHECK(first->provider == "github");
    CHECK_FALSE(first->user_id);
    CHECK(first->code_verifier == "verifier-1");
    CHECK(first->expires_at == now_ms + ten_minutes_ms);
    CHECK_FALSE(storage::consume_oauth_state(*conn, "state-1", now_ms + 2000));

    const auto second = storage::consume_oauth_state(*conn, "state-2", now_ms + 1000);
    REQUIRE(second);
    CHECK(second->user_id == alice);
    CHECK(second->purpose == "provider");
    CHECK_FALSE(storage::consume_oauth_state(*conn, "unknown", now_ms));
  }
}

TEST_CASE("only one of two callbacks racing with the same state gets it", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto first = db.connect();
    auto second = db.connect();
    storage::insert_oauth_state(*first, "state", "login", "github", std::nullopt, "v", now_ms,
                                now_ms + ten_minutes_ms);

    // The first callback has claimed the state but not committed when the second one arrives.
    first->begin();
    CHECK(storage::consume_oauth_state(*first, "state", now_ms + 1));
    std::optional<storage::oauth_state_record> second_result;
    std::string second_error;
    std::thread racer([&] {
      try {
        second_result = storage::consume_oauth_state(*second, "state", now_ms + 2);
      } catch (const std::exception& error) {
        second_error = error.what();
      }
    });
    first->commit();
    racer.join();
    CHECK(second_error.empty());
    CHECK_FALSE(second_result);
  }
}

TEST_CASE("an expired OAuth state is refused and later purged", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto expires = now_ms + ten_minutes_ms;
    storage::insert_oauth_state(*conn, "old", "login", "google", std::nullopt, "v", now_ms,
                                expires);
    storage::insert_oauth_state(*conn, "fresh", "login", "google", std::nullopt, "v", now_ms + 1000,
                                expires + 1000);

    CHECK_FALSE(storage::consume_oauth_state(*conn, "old", expires));
    CHECK_FALSE(storage::consume_oauth_state(*conn, "old", expires + 1));

    CHECK(storage::purge_oauth_states(*conn, expires + 1) == 1);
    CHECK(rows_in(*conn, "oauth_states") == 1);
    CHECK(storage::consume_oauth_state(*conn, "fresh", expires + 1));
    CHECK(storage::purge_oauth_states(*conn, expires + 1) == 0);
  }
}

TEST_CASE("linking an OAuth identity is idempotent and finds its user", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = storage::insert_user(*conn, "Alice", "alice@example.com", "", now_ms).id;
    CHECK_FALSE(storage::find_identity_user(*conn, "github", "gh-42"));

    storage::link_identity(*conn, alice, "github", "gh-42", "alice@example.com", now_ms);
    storage::link_identity(*conn, alice, "github", "gh-42", "alice@new.example", now_ms + 1);
    CHECK(storage::find_identity_user(*conn, "github", "gh-42") == alice);
    CHECK(rows_in(*conn, "oauth_identities") == 1);
    const auto email = conn->execute("SELECT email FROM oauth_identities");
    CHECK(std::get<std::string>(email.rows.at(0).at(0)) == "alice@new.example");

    // The same subject at another provider is another identity.
    CHECK_FALSE(storage::find_identity_user(*conn, "google", "gh-42"));
    const auto user = storage::find_user_by_id(*conn, alice);
    REQUIRE(user);
    CHECK(user->oauth_providers == std::vector<std::string>{"github"});
  }
}

TEST_CASE("an OAuth identity linked to one user cannot be taken over by another", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = storage::insert_user(*conn, "Alice", "alice@example.com", "", now_ms).id;
    const auto mallory = storage::insert_user(*conn, "M", "m@example.com", "", now_ms).id;
    storage::link_identity(*conn, alice, "github", "gh-42", "alice@example.com", now_ms);

    CHECK(failure_of_link(*conn, mallory) == storage::failure::unique_violation);
    CHECK(storage::find_identity_user(*conn, "github", "gh-42") == alice);
    const auto email = conn->execute("SELECT email FROM oauth_identities");
    CHECK(std::get<std::string>(email.rows.at(0).at(0)) == "alice@example.com");
  }
}
