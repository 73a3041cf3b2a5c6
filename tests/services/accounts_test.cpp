#include "services/accounts.hpp"

#include "storage/token_store.hpp"
#include "storage/user_store.hpp"
#include "tests/support/service_harness.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <future>

using namespace schedulerd;
using testing::error_code;

namespace {

domain::registration alice() {
  return {"Alice", "  Alice@Example.COM ", "correct horse battery"};
}

}  // namespace

TEST_CASE("register creates the user and a working session token, on both backends",
          "[services][accounts]") {
  for (auto& database : testing::every_backend()) {
    INFO("backend: " << database.backend_name());
    testing::service_harness harness{database};
    auto accounts = harness.track(services::spawn_accounts(harness.system(), harness.context()));

    auto grant = harness.ask<domain::session_grant>(accounts, register_atom::value, alice());
    REQUIRE(grant);
    CHECK(grant->user.id > 0);
    CHECK(grant->user.name == "Alice");
    CHECK(grant->user.email == "alice@example.com");
    CHECK(grant->user.created_at == harness.now());
    CHECK_FALSE(grant->token.empty());

    auto db = database.connect();
    auto stored = storage::find_user_by_email(*db, "alice@example.com");
    REQUIRE(stored);
    CHECK(stored->password_hash.rfind("$argon2id$", 0) == 0);
    auto tokens = storage::list_tokens(*db, stored->id).items;
    REQUIRE(tokens.size() == 1);
    CHECK(tokens.front().kind == "session");
    CHECK(tokens.front().expires_at == harness.now() + harness.context().session_token_ttl.count());

    auto me = harness.ask<domain::user_record>(accounts, get_atom::value, grant->user.id);
    REQUIRE(me);
    CHECK(me->email == "alice@example.com");
  }
}

TEST_CASE("an invalid registration names each field and stores nothing", "[services][accounts]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto accounts = harness.track(services::spawn_accounts(harness.system(), harness.context()));

  auto refused = harness.ask<domain::session_grant>(
      accounts, register_atom::value, domain::registration{"  ", "not-an-email", "short"});
  REQUIRE_FALSE(refused);
  auto info = describe(refused.error());
  CHECK(info.code == errc::invalid_input);
  CHECK(info.details.count("name") == 1);
  CHECK(info.details.count("email") == 1);
  CHECK(info.details.count("password") == 1);

  auto db = database.connect();
  CHECK(std::get<std::int64_t>(db->execute("SELECT COUNT(*) FROM users", {}).rows.at(0).at(0)) ==
        0);
}

TEST_CASE("two registrations racing for one email: one account, the other a field error",
          "[services][accounts]") {
  for (auto& database : testing::every_backend()) {
    INFO("backend: " << database.backend_name());
    testing::service_harness harness{database};
    auto accounts = harness.track(services::spawn_accounts(harness.system(), harness.context()));

    auto attempt = [&] {
      return harness.ask<domain::session_grant>(accounts, register_atom::value, alice());
    };
    auto first = std::async(std::launch::async, attempt);
    auto second = std::async(std::launch::async, attempt);
    auto a = first.get();
    auto b = second.get();
    CHECK(static_cast<int>(static_cast<bool>(a)) + static_cast<int>(static_cast<bool>(b)) == 1);
    const auto& loser = a ? b : a;
    REQUIRE_FALSE(loser);
    auto info = describe(loser.error());
    CHECK(info.code == errc::invalid_input);
    CHECK(info.details.at("email") == std::vector<std::string>{"has already been taken"});
  }
}

TEST_CASE("login answers a new token for the right password and one message for every wrong one",
          "[services][accounts]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto accounts = harness.track(services::spawn_accounts(harness.system(), harness.context()));
  auto registered = harness.ask<domain::session_grant>(accounts, register_atom::value, alice());
  REQUIRE(registered);

  auto login = [&](const std::string& email, const std::string& password) {
    return harness.ask<domain::session_grant>(accounts, login_atom::value,
                                              domain::credentials{email, password});
  };
  auto granted = login("ALICE@example.com ", "correct horse battery");
  REQUIRE(granted);
  CHECK(granted->user.id == registered->user.id);
  CHECK(granted->token != registered->token);

  auto wrong_password = login("alice@example.com", "wrong horse battery");
  auto unknown_email = login("nobody@example.com", "correct horse battery");
  REQUIRE_FALSE(wrong_password);
  REQUIRE_FALSE(unknown_email);
  CHECK(error_code(wrong_password) == errc::unauthenticated);
  CHECK(describe(wrong_password.error()).message == describe(unknown_email.error()).message);

  auto db = database.connect();
  CHECK(storage::list_tokens(*db, registered->user.id).items.size() == 2);
}

TEST_CASE("logout revokes only the token it names", "[services][accounts]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto accounts = harness.track(services::spawn_accounts(harness.system(), harness.context()));
  auto first = harness.ask<domain::session_grant>(accounts, register_atom::value, alice());
  REQUIRE(first);
  auto second = harness.ask<domain::session_grant>(
      accounts, login_atom::value, domain::credentials{"alice@example.com", alice().password});
  REQUIRE(second);

  auto db = database.connect();
  auto tokens = storage::list_tokens(*db, first->user.id).items;
  REQUIRE(tokens.size() == 2);
  auto revoked = harness.ask<bool>(accounts, logout_atom::value, first->user.id, tokens[0].id);
  REQUIRE(revoked);
  CHECK(*revoked);
  auto left = storage::list_tokens(*db, first->user.id).items;
  REQUIRE(left.size() == 1);
  CHECK(left.front().id == tokens[1].id);
}

TEST_CASE("the signed-in user of a deleted account is unauthenticated", "[services][accounts]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto accounts = harness.track(services::spawn_accounts(harness.system(), harness.context()));
  auto missing = harness.ask<domain::user_record>(accounts, get_atom::value, std::int64_t{4242});
  CHECK(error_code(missing) == errc::unauthenticated);
}

TEST_CASE("a login with a password longer than any account's is refused without hashing it",
          "[services][accounts]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto accounts = harness.track(services::spawn_accounts(harness.system(), harness.context()));
  REQUIRE(harness.ask<domain::session_grant>(accounts, register_atom::value, alice()));
  // This instance has no pool to hash on: had it tried, the answer would be another error.
  auto no_hashing = harness.context();
  no_hashing.blocking = caf::actor{};
  auto strict = harness.track(services::spawn_accounts(harness.system(), no_hashing));
  auto refused = harness.ask<domain::session_grant>(
      strict, login_atom::value, domain::credentials{"alice@example.com", std::string(1025, 'x')});
  REQUIRE_FALSE(refused);
  CHECK(error_code(refused) == errc::unauthenticated);
  CHECK(describe(refused.error()).message == "These credentials do not match our records.");
}
