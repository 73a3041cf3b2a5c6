#include "services/accounts.hpp"
#include "services/tokens.hpp"

#include "actors/rate_limiter.hpp"
#include "domain/secrets.hpp"
#include "storage/token_store.hpp"
#include "storage/user_store.hpp"
#include "tests/support/service_harness.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

using namespace schedulerd;
using testing::error_code;

namespace {

constexpr const char* password = "correct horse battery";

// An email no earlier run used, since failure budgets in a shared Redis outlive a test.
std::string fresh_email() {
  return "limited-" + domain::random_urlsafe(8) + "@example.com";
}

// A context whose accounts allow `failures` failed logins and `live_tokens` tokens.
services::service_context limited(const testing::service_harness& harness, int failures,
                                  int live_tokens = 100) {
  auto context = harness.context();
  context.limits.login_failures = failures;
  context.limits.live_tokens = live_tokens;
  return context;
}

caf::expected<domain::session_grant> login(testing::service_harness& harness,
                                           const services::accounts_actor& accounts,
                                           const std::string& email, const std::string& secret) {
  return harness.ask<domain::session_grant>(accounts, login_atom::value,
                                            domain::credentials{email, secret});
}

}  // namespace

TEST_CASE("failed logins are limited per account, and the refusal does not tell if it exists",
          "[services][accounts][limits]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto accounts = harness.track(services::spawn_accounts(harness.system(), limited(harness, 3)));
  auto known = fresh_email();
  REQUIRE(harness.ask<domain::session_grant>(accounts, register_atom::value,
                                             domain::registration{"Ada", known, password}));
  auto unknown = fresh_email();

  for (const auto& email : {known, unknown}) {
    INFO(email);
    for (int i = 0; i < 3; ++i) {
      CHECK(error_code(login(harness, accounts, email, "wrong horse battery")) ==
            errc::unauthenticated);
    }
    auto refused = login(harness, accounts, email, "wrong horse battery");
    REQUIRE(error_code(refused) == errc::rate_limited);
    auto info = describe(refused.error());
    REQUIRE(info.retry_after_s);
    CHECK(*info.retry_after_s > 800);
    CHECK(*info.retry_after_s <= 900);
    CHECK(info.message.empty());  // the same default message as any 429
  }
  // The right password does not get through either while the budget is spent...
  CHECK(error_code(login(harness, accounts, known, password)) == errc::rate_limited);
  // ...and another account is not affected.
  auto other = fresh_email();
  REQUIRE(harness.ask<domain::session_grant>(accounts, register_atom::value,
                                             domain::registration{"Bo", other, password}));
  CHECK(login(harness, accounts, other, password));
}

TEST_CASE("successful logins do not spend the failure budget", "[services][accounts][limits]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto accounts = harness.track(services::spawn_accounts(harness.system(), limited(harness, 2)));
  auto email = fresh_email();
  REQUIRE(harness.ask<domain::session_grant>(accounts, register_atom::value,
                                             domain::registration{"Ada", email, password}));
  CHECK(error_code(login(harness, accounts, email, "wrong horse battery")) ==
        errc::unauthenticated);
  for (int i = 0; i < 5; ++i) {
    CHECK(login(harness, accounts, email, password));
  }
  CHECK(error_code(login(harness, accounts, email, "wrong horse battery")) ==
        errc::unauthenticated);
  CHECK(error_code(login(harness, accounts, email, password)) == errc::rate_limited);
}

TEST_CASE("with Redis, two nodes count an account's failed logins together",
          "[services][accounts][limits][redis]") {
  auto database = testing::test_database::sqlite();
  auto redis = testing::test_redis_url();
  testing::service_harness harness{database, redis};
  // The second node's accounts service, with a limiter of its own on the same Redis.
  auto second_context = limited(harness, 3);
  auto logger = std::make_shared<log::logger>(log::level::error, log::format::json);
  second_context.limiter =
      harness.track(actors::spawn_rate_limiter(harness.system(), redis, logger));
  auto first = harness.track(services::spawn_accounts(harness.system(), limited(harness, 3)));
  auto second = harness.track(services::spawn_accounts(harness.system(), second_context));
  auto email = fresh_email();
  CHECK(error_code(login(harness, first, email, "guess one")) == errc::unauthenticated);
  CHECK(error_code(login(harness, second, email, "guess two")) == errc::unauthenticated);
  CHECK(error_code(login(harness, first, email, "guess three")) == errc::unauthenticated);
  CHECK(error_code(login(harness, second, email, "guess four")) == errc::rate_limited);
  CHECK(error_code(login(harness, first, email, "guess five")) == errc::rate_limited);
}

TEST_CASE("a user holds at most the configured live personal tokens",
          "[services][tokens][limits]") {
  for (auto& database : testing::every_backend()) {
    INFO("backend: " << database.backend_name());
    testing::service_harness harness{database};
    auto tokens = harness.track(services::spawn_tokens(harness.system(), limited(harness, 20, 2)));
    auto user = storage::insert_user(*database.connect(), "Ada", fresh_email(), "", 0).id;
    auto create = [&](std::optional<std::int64_t> expires_at = std::nullopt) {
      return harness.ask<domain::issued_token>(tokens, create_atom::value, user,
                                               domain::token_request{"ci", expires_at});
    };
    auto soon = harness.now() + 60'000;
    auto first = create(soon);
    REQUIRE(first);
    REQUIRE(create());
    auto refused = create();
    REQUIRE(error_code(refused) == errc::invalid_input);
    CHECK(describe(refused.error()).message ==
          "You have 2 live personal tokens, the most allowed; revoke one first.");
    CHECK(storage::list_tokens(*database.connect(), user).total == 2);

    // An expired token no longer counts, nor does a revoked one.
    harness.advance(std::chrono::minutes{2});
    auto third = create();
    REQUIRE(third);
    REQUIRE(harness.ask<bool>(tokens, revoke_atom::value, user, third->record.id));
    CHECK(create());
  }
}

TEST_CASE("a login beyond the session cap ends the user's oldest session",
          "[services][accounts][limits]") {
  auto database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  auto accounts =
      harness.track(services::spawn_accounts(harness.system(), limited(harness, 20, 2)));
  auto email = fresh_email();
  auto registered = harness.ask<domain::session_grant>(
      accounts, register_atom::value, domain::registration{"Ada", email, password});
  REQUIRE(registered);
  auto second = login(harness, accounts, email, password);
  auto third = login(harness, accounts, email, password);
  REQUIRE(second);
  REQUIRE(third);
  auto db = database.connect();
  auto works = [&](const std::string& token) {
    return storage::find_live_token(*db, domain::sha256_hex(token), harness.now()).has_value();
  };
  CHECK_FALSE(works(registered->token));
  CHECK(works(second->token));
  CHECK(works(third->token));
}
