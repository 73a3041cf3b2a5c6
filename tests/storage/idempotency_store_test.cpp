#include "storage/idempotency_store.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "storage/transaction.hpp"
#include "storage/user_store.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::now_ms;

namespace {

constexpr std::int64_t day_in_ms = 86'400'000;

storage::remembered_answer answer(const std::string& resource) {
  return {"hash-of-" + resource, 201, resource};
}

}  // namespace

TEST_CASE("an answer is remembered per user and key until it expires", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = storage::insert_user(*conn, "Alice", "alice@example.com", "", now_ms).id;
    const auto bob = storage::insert_user(*conn, "Bob", "bob@example.com", "", now_ms).id;
    CHECK_FALSE(storage::find_idempotent_answer(*conn, alice, "key-1", now_ms));

    storage::remember_idempotent_answer(*conn, alice, "key-1", answer("message:7"), now_ms,
                                        now_ms + day_in_ms);
    auto found = storage::find_idempotent_answer(*conn, alice, "key-1", now_ms + 1);
    REQUIRE(found);
    CHECK(found->request_hash == "hash-of-message:7");
    CHECK(found->status == 201);
    CHECK(found->resource == "message:7");
    CHECK_FALSE(storage::find_idempotent_answer(*conn, bob, "key-1", now_ms + 1));
    CHECK_FALSE(storage::find_idempotent_answer(*conn, alice, "key-2", now_ms + 1));
    CHECK_FALSE(storage::find_idempotent_answer(*conn, alice, "key-1", now_ms + day_in_ms));

    // Another user's same key is theirs alone.
    storage::remember_idempotent_answer(*conn, bob, "key-1", answer("batch:3"), now_ms,
                                        now_ms + day_in_ms);
    CHECK(storage::find_idempotent_answer(*conn, bob, "key-1", now_ms)->resource == "batch:3");

    // An expired answer is replaced.
    storage::remember_idempotent_answer(*conn, alice, "key-1", answer("message:8"),
                                        now_ms + day_in_ms, now_ms + 2 * day_in_ms);
    found = storage::find_idempotent_answer(*conn, alice, "key-1", now_ms + day_in_ms);
    REQUIRE(found);
    CHECK(found->resource == "message:8");
  }
}

TEST_CASE("remembering a key that holds an unexpired answer is a unique violation", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = storage::insert_user(*conn, "Alice", "alice@example.com", "", now_ms).id;
    storage::remember_idempotent_answer(*conn, alice, "key-1", answer("message:7"), now_ms,
                                        now_ms + day_in_ms);

    // Inside a transaction, as the service runs it: the failure rolls the whole request back.
    conn->begin();
    try {
      storage::remember_idempotent_answer(*conn, alice, "key-1", answer("message:9"), now_ms + 1,
                                          now_ms + day_in_ms);
      FAIL("the second answer was stored");
    } catch (const storage::storage_error& error) {
      CHECK(error.kind() == storage::failure::unique_violation);
    }
    conn->rollback();
    const auto found = storage::find_idempotent_answer(*conn, alice, "key-1", now_ms + 2);
    REQUIRE(found);
    CHECK(found->resource == "message:7");
  }
}

TEST_CASE("purging deletes only the answers that expired", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = storage::insert_user(*conn, "Alice", "alice@example.com", "", now_ms).id;
    storage::remember_idempotent_answer(*conn, alice, "old", answer("message:1"), now_ms,
                                        now_ms + 10);
    storage::remember_idempotent_answer(*conn, alice, "new", answer("message:2"), now_ms,
                                        now_ms + day_in_ms);

    CHECK(storage::purge_idempotent_answers(*conn, now_ms + 10) == 0);
    CHECK(storage::purge_idempotent_answers(*conn, now_ms + 11) == 1);
    CHECK(storage::purge_idempotent_answers(*conn, now_ms + 11) == 0);
    CHECK(storage::find_idempotent_answer(*conn, alice, "new", now_ms + 11));
  }
}
