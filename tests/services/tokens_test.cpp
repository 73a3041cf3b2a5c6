#include "services/tokens.hpp"

#include "domain/secrets.hpp"
#include "storage/token_store.hpp"
#include "storage/user_store.hpp"
#include "tests/support/service_harness.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

using namespace schedulerd;
using namespace std::chrono_literals;
using testing::error_code;

namespace {

std::int64_t add_user(const testing::test_database& database, const std::string& email) {
  auto db = database.connect();
  return storage::insert_user(*db, "Someone", email, "", 0).id;
}

}  // namespace

TEST_CASE("a created token is listed, works by its secret, and is gone once revoked",
          "[services][tokens]") {
  for (auto& database : testing::every_backend()) {
    INFO("backend: " << database.backend_name());
    testing::service_harness harness{database};
    auto tokens = harness.track(services::spawn_tokens(harness.system(), harness.context()));
    auto user = add_user(database, "owner@example.com");
    auto expires = harness.now() + std::chrono::milliseconds{24h}.count();

    auto issued = harness.ask<domain::issued_token>(tokens, create_atom::value, user,
                                                    domain::token_request{"ci", expires});
    REQUIRE(issued);
    CHECK(issued->record.name == "ci");
    CHECK(issued->record.kind == "personal");
    CHECK(issued->record.expires_at == expires);
    auto db = database.connect();
    auto live = storage::find_live_token(*db, domain::sha256_hex(issued->secret), harness.now());
    REQUIRE(live);
    CHECK(live->id == issued->record.id);

    auto listed = harness.ask<domain::page<domain::token_record>>(tokens, list_atom::value, user,
                                                                  domain::list_query{});
    REQUIRE(listed);
    REQUIRE(listed->items.size() == 1);
    CHECK(listed->total == 1);
    CHECK(listed->items.front().id == issued->record.id);

    auto revoked = harness.ask<bool>(tokens, revoke_atom::value, user, issued->record.id);
    REQUIRE(revoked);
    CHECK_FALSE(storage::find_live_token(*db, domain::sha256_hex(issued->secret), harness.now()));
    auto again = harness.ask<bool>(tokens, revoke_atom::value, user, issued->record.id);
    CHECK(error_code(again) == errc::not_found);
  }
}

TEST_CASE("another user's token can be neither listed nor revoked", "[services][tokens]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto tokens = harness.track(services::spawn_tokens(harness.system(), harness.context()));
  auto owner = add_user(database, "owner@example.com");
  auto intruder = add_user(database, "intruder@example.com");
  auto issued = harness.ask<domain::issued_token>(tokens, create_atom::value, owner,
                                                  domain::token_request{"mine", std::nullopt});
  REQUIRE(issued);

  auto seen = harness.ask<domain::page<domain::token_record>>(tokens, list_atom::value, intruder,
                                                              domain::list_query{});
  REQUIRE(seen);
  CHECK(seen->items.empty());
  CHECK(seen->total == 0);
  auto revoked = harness.ask<bool>(tokens, revoke_atom::value, intruder, issued->record.id);
  CHECK(error_code(revoked) == errc::not_found);
  auto db = database.connect();
  CHECK(storage::find_live_token(*db, domain::sha256_hex(issued->secret), harness.now()));
}

TEST_CASE("a token request with no name or a past expiry is refused and stores nothing",
          "[services][tokens]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto tokens = harness.track(services::spawn_tokens(harness.system(), harness.context()));
  auto user = add_user(database, "owner@example.com");

  auto refused = harness.ask<domain::issued_token>(
      tokens, create_atom::value, user, domain::token_request{" ", harness.now() - 1000});
  REQUIRE_FALSE(refused);
  auto info = describe(refused.error());
  CHECK(info.code == errc::invalid_input);
  CHECK(info.details.count("name") == 1);
  CHECK(info.details.count("expires_at") == 1);
  auto db = database.connect();
  CHECK(storage::list_tokens(*db, user).items.empty());
}

TEST_CASE("a token's name is stored without the white space around it", "[services][tokens]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto tokens = harness.track(services::spawn_tokens(harness.system(), harness.context()));
  auto user = add_user(database, "owner@example.com");
  auto issued = harness.ask<domain::issued_token>(tokens, create_atom::value, user,
                                                  domain::token_request{" deploy\t", std::nullopt});
  REQUIRE(issued);
  CHECK(issued->record.name == "deploy");
}
