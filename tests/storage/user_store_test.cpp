#include "storage/user_store.hpp"

#include <catch2/catch.hpp>

#include "domain/accounts.hpp"
#include "tests/support/fixed_instants.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

using schedulerd::testing::now_ms;

namespace {

storage::failure failure_of_insert(storage::connection& db, const std::string& email) {
  try {
    storage::insert_user(db, "Someone", schedulerd::domain::normalize_email(email), "", now_ms);
  } catch (const storage::storage_error& error) {
    return error.kind();
  }
  FAIL("registering " << email << " a second time was accepted");
  return storage::failure::other;
}

void link(storage::connection& db, std::int64_t user_id, const std::string& provider,
          const std::string& subject) {
  db.execute(
      "INSERT INTO oauth_identities (user_id, provider, subject, email, created_at)"
      " VALUES ($1, $2, $3, 'x@example.com', 0)",
      {user_id, provider, subject});
}

}  // namespace

TEST_CASE("a registered user is found by email and by id", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice =
        storage::insert_user(*conn, "Alice", "alice@example.com", "$argon2id$v=19$fake", now_ms);
    CHECK(alice.id > 0);
    CHECK(alice.created_at == now_ms);
    CHECK(alice.updated_at == now_ms);
    const auto bob = storage::insert_user(*conn, "Bob", "bob@example.com", "", now_ms + 5);
    CHECK(bob.id != alice.id);

    const auto by_email = storage::find_user_by_email(*conn, "alice@example.com");
    REQUIRE(by_email);
    CHECK(by_email->id == alice.id);
    CHECK(by_email->name == "Alice");
    CHECK(by_email->email == "alice@example.com");
    CHECK(by_email->password_hash == "$argon2id$v=19$fake");
    CHECK(by_email->created_at == now_ms);
    CHECK(by_email->oauth_providers.empty());

    const auto by_id = storage::find_user_by_id(*conn, bob.id);
    REQUIRE(by_id);
    CHECK(by_id->email == "bob@example.com");
    CHECK(by_id->password_hash.empty());  // an OAuth-only user has no password
    CHECK(by_id->created_at == now_ms + 5);

    CHECK_FALSE(storage::find_user_by_email(*conn, "carol@example.com"));
    CHECK_FALSE(storage::find_user_by_id(*conn, bob.id + 1000));
  }
}

TEST_CASE("an email cannot register twice in any letter case", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    storage::insert_user(*conn, "Alice", schedulerd::domain::normalize_email("Alice@Example.com"),
                         "", now_ms);
    for (const std::string email :
         {"alice@example.com", "ALICE@EXAMPLE.COM", " aLiCe@example.COM "}) {
      CAPTURE(email);
      CHECK(failure_of_insert(*conn, email) == storage::failure::unique_violation);
    }
    const auto count = conn->execute("SELECT COUNT(*) FROM users");
    CHECK(std::get<std::int64_t>(count.rows.at(0).at(0)) == 1);
  }
}

TEST_CASE("a user lists each linked OAuth provider once, sorted", "[storage]") {
  for (auto& db : testing::every_backend()) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    const auto alice = storage::insert_user(*conn, "Alice", "alice@example.com", "", now_ms);
    const auto bob = storage::insert_user(*conn, "Bob", "bob@example.com", "", now_ms);
    link(*conn, alice.id, "google", "g-1");
    link(*conn, alice.id, "github", "gh-1");
    link(*conn, alice.id, "github", "gh-2");
    link(*conn, bob.id, "google", "g-2");

    const auto found = storage::find_user_by_id(*conn, alice.id);
    REQUIRE(found);
    CHECK(found->oauth_providers == std::vector<std::string>{"github", "google"});
    const auto other = storage::find_user_by_email(*conn, "bob@example.com");
    REQUIRE(other);
    CHECK(other->oauth_providers == std::vector<std::string>{"google"});
  }
}
