#include "storage/token_store.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage/user_store.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::hour_ms;
using schedulerd::testing::now_ms;

namespace {

std::int64_t new_token_owner(storage::connection& db, const std::string& email) {
  return storage::insert_user(db, "User", email, "", now_ms).id;
}

// Stands in for the SHA-256 hex of a secret; the store never sees secrets.
std::string hash_of(const std::string& secret) {
  return "hash-of-" + secret;
}

std::optional<std::int64_t> last_used_at(storage::connection& db, std::int64_t token_id) {
  const auto row = db.execute("SELECT last_used_at FROM api_tokens WHERE id = $1", {token_id});
  const auto& cell = row.rows.at(0).at(0);
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  return std::get<std::int64_t>(cell);
}

}  // namespace

TEST_CASE("a token authenticates until it is revoked", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_token_owner(*conn, "alice@example.com");
    const auto token =
        storage::insert_token(*conn, alice, "login", hash_of("a"), "session", now_ms, std::nullopt);
    CHECK(token.id > 0);

    const auto live = storage::find_live_token(*conn, hash_of("a"), now_ms + 100 * hour_ms);
    REQUIRE(live);
    CHECK(live->id == token.id);
    CHECK(live->user_id == alice);
    CHECK(live->name == "login");
    CHECK(live->kind == "session");
    CHECK(live->created_at == now_ms);
    CHECK_FALSE(live->expires_at);
    CHECK_FALSE(live->revoked_at);
    CHECK_FALSE(storage::find_live_token(*conn, hash_of("unknown"), now_ms));

    CHECK(storage::revoke_token(*conn, alice, token.id, now_ms + 1));
    CHECK_FALSE(storage::find_live_token(*conn, hash_of("a"), now_ms + 2));
    CHECK_FALSE(storage::revoke_token(*conn, alice, token.id, now_ms + 3));  // already revoked
  }
}

TEST_CASE("an expiring token stops authenticating at its expiry", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_token_owner(*conn, "alice@example.com");
    const auto expires = now_ms + hour_ms;
    const auto token =
        storage::insert_token(*conn, alice, "ci", hash_of("ci"), "personal", now_ms, expires);
    CHECK(token.expires_at == expires);

    const auto before = storage::find_live_token(*conn, hash_of("ci"), expires - 1);
    REQUIRE(before);
    CHECK(before->expires_at == expires);
    CHECK_FALSE(storage::find_live_token(*conn, hash_of("ci"), expires));
    CHECK_FALSE(storage::find_live_token(*conn, hash_of("ci"), expires + hour_ms));
  }
}

TEST_CASE("a user cannot revoke another user's token", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_token_owner(*conn, "alice@example.com");
    const auto mallory = new_token_owner(*conn, "mallory@example.com");
    const auto token =
        storage::insert_token(*conn, alice, "ci", hash_of("a"), "personal", now_ms, std::nullopt);

    CHECK_FALSE(storage::revoke_token(*conn, mallory, token.id, now_ms + 1));
    CHECK_FALSE(storage::revoke_token(*conn, mallory, token.id + 1000, now_ms + 1));
    const auto still = storage::find_live_token(*conn, hash_of("a"), now_ms + 2);
    REQUIRE(still);
    CHECK_FALSE(still->revoked_at);
    CHECK(storage::list_tokens(*conn, alice).items.size() == 1);
  }
}

TEST_CASE("a user's token list is newest first and leaves out revoked tokens", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_token_owner(*conn, "alice@example.com");
    const auto bob = new_token_owner(*conn, "bob@example.com");
    const auto old_one =
        storage::insert_token(*conn, alice, "old", hash_of("1"), "personal", now_ms, std::nullopt);
    const auto expired = storage::insert_token(*conn, alice, "expired", hash_of("2"), "personal",
                                               now_ms + 1, now_ms + 2);
    const auto revoked = storage::insert_token(*conn, alice, "revoked", hash_of("3"), "personal",
                                               now_ms + 3, std::nullopt);
    const auto newest = storage::insert_token(*conn, alice, "new", hash_of("4"), "session",
                                              now_ms + 4, std::nullopt);
    storage::insert_token(*conn, bob, "bob's", hash_of("5"), "personal", now_ms + 5, std::nullopt);
    REQUIRE(storage::revoke_token(*conn, alice, revoked.id, now_ms + 6));

    const auto listed = storage::list_tokens(*conn, alice).items;
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].id == newest.id);
    CHECK(listed[0].kind == "session");
    CHECK(listed[1].id == expired.id);  // expired tokens stay visible so they can be deleted
    CHECK(listed[1].expires_at == now_ms + 2);
    CHECK(listed[2].id == old_one.id);
    CHECK(listed[2].name == "old");
    CHECK(storage::list_tokens(*conn, bob).items.size() == 1);
    CHECK(storage::list_tokens(*conn, bob + alice + 1000).items.empty());
  }
}

TEST_CASE("recording token use never moves the last-used time backwards", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_token_owner(*conn, "alice@example.com");
    const auto a =
        storage::insert_token(*conn, alice, "a", hash_of("a"), "personal", now_ms, std::nullopt);
    const auto b =
        storage::insert_token(*conn, alice, "b", hash_of("b"), "personal", now_ms, std::nullopt);
    CHECK_FALSE(last_used_at(*conn, a.id));

    storage::touch_tokens(*conn, {{a.id, now_ms + 50}, {b.id, now_ms + 10}});
    CHECK(last_used_at(*conn, a.id) == now_ms + 50);
    CHECK(last_used_at(*conn, b.id) == now_ms + 10);

    storage::touch_tokens(*conn, {{a.id, now_ms + 20}, {b.id, now_ms + 30}, {b.id + 1000, now_ms}});
    CHECK(last_used_at(*conn, a.id) == now_ms + 50);
    CHECK(last_used_at(*conn, b.id) == now_ms + 30);

    storage::touch_tokens(*conn, {});
    const auto live = storage::find_live_token(*conn, hash_of("a"), now_ms + 60);
    REQUIRE(live);
    CHECK(live->last_used_at == now_ms + 50);
  }
}

TEST_CASE("the tokens list pages in either order and counts every unrevoked token", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_token_owner(*conn, "alice@example.com");
    std::vector<std::int64_t> ids;
    ids.reserve(5);
    for (int i = 0; i < 5; ++i) {
      ids.push_back(storage::insert_token(*conn, alice, "t" + std::to_string(i),
                                          hash_of(std::to_string(i)), "personal", now_ms + i,
                                          std::nullopt)
                        .id);
    }
    REQUIRE(storage::revoke_token(*conn, alice, ids[2], now_ms + 10));

    const auto newest = storage::list_tokens(*conn, alice, 2, 0);
    CHECK(newest.total == 4);
    REQUIRE(newest.items.size() == 2);
    CHECK(newest.items[0].id == ids[4]);
    CHECK(newest.items[1].id == ids[3]);
    const auto last = storage::list_tokens(*conn, alice, 2, 2);
    REQUIRE(last.items.size() == 2);
    CHECK(last.items[0].id == ids[1]);
    CHECK(last.items[1].id == ids[0]);
    CHECK(storage::list_tokens(*conn, alice, 2, 4).items.empty());

    const auto oldest = storage::list_tokens(*conn, alice, 3, 0, true);
    REQUIRE(oldest.items.size() == 3);
    CHECK(oldest.items[0].id == ids[0]);
    CHECK(oldest.items[2].id == ids[3]);
  }
}

TEST_CASE("live tokens are counted per kind, and only the newest sessions are kept", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_token_owner(*conn, "alice@example.com");
    const auto bob = new_token_owner(*conn, "bob@example.com");
    storage::insert_token(*conn, alice, "p", hash_of("p"), "personal", now_ms, std::nullopt);
    storage::insert_token(*conn, alice, "soon", hash_of("soon"), "personal", now_ms,
                          now_ms + hour_ms);
    for (int i = 0; i < 4; ++i) {
      storage::insert_token(*conn, alice, "session", hash_of("s" + std::to_string(i)), "session",
                            now_ms + i, now_ms + 24 * hour_ms);
    }
    storage::insert_token(*conn, bob, "session", hash_of("bob"), "session", now_ms,
                          now_ms + 24 * hour_ms);

    CHECK(storage::count_live_tokens(*conn, alice, "personal", now_ms) == 2);
    CHECK(storage::count_live_tokens(*conn, alice, "personal", now_ms + 2 * hour_ms) == 1);
    CHECK(storage::count_live_tokens(*conn, alice, "session", now_ms) == 4);

    CHECK(storage::revoke_sessions_beyond(*conn, alice, 2, now_ms + 5) == 2);
    CHECK(storage::count_live_tokens(*conn, alice, "session", now_ms + 5) == 2);
    CHECK_FALSE(storage::find_live_token(*conn, hash_of("s0"), now_ms + 5));
    CHECK_FALSE(storage::find_live_token(*conn, hash_of("s1"), now_ms + 5));
    CHECK(storage::find_live_token(*conn, hash_of("s3"), now_ms + 5));
    // Personal tokens and other users' sessions are untouched.
    CHECK(storage::count_live_tokens(*conn, alice, "personal", now_ms + 5) == 2);
    CHECK(storage::count_live_tokens(*conn, bob, "session", now_ms + 5) == 1);
    CHECK(storage::revoke_sessions_beyond(*conn, alice, 2, now_ms + 6) == 0);
  }
}

TEST_CASE("one lookup finds the live token of each hash, in the order asked", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = new_token_owner(*conn, "alice@example.com");
    const auto bob = new_token_owner(*conn, "bob@example.com");
    const auto a =
        storage::insert_token(*conn, alice, "a", hash_of("a"), "personal", now_ms, std::nullopt);
    const auto b =
        storage::insert_token(*conn, bob, "b", hash_of("b"), "session", now_ms, now_ms + hour_ms);
    const auto gone = storage::insert_token(*conn, alice, "gone", hash_of("gone"), "personal",
                                            now_ms, std::nullopt);
    REQUIRE(storage::revoke_token(*conn, alice, gone.id, now_ms));

    const auto found = storage::find_live_tokens(
        *conn, {hash_of("b"), hash_of("unknown"), hash_of("a"), hash_of("gone"), hash_of("b")},
        now_ms + 1);
    REQUIRE(found.size() == 5);
    REQUIRE(found[0]);
    CHECK(found[0]->id == b.id);
    CHECK(found[0]->user_id == bob);
    CHECK_FALSE(found[1]);
    REQUIRE(found[2]);
    CHECK(found[2]->id == a.id);
    CHECK(found[2]->user_id == alice);
    CHECK_FALSE(found[3]);  // revoked
    REQUIRE(found[4]);
    CHECK(found[4]->id == b.id);

    const auto later =
        storage::find_live_tokens(*conn, {hash_of("a"), hash_of("b")}, now_ms + hour_ms);
    CHECK(later[0]);
    CHECK_FALSE(later[1]);  // expired
    CHECK(storage::find_live_tokens(*conn, {}, now_ms).empty());
  }
}
