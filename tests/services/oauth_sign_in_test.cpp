#include "services/oauth_sign_in.hpp"

#include "domain/url_decoding.hpp"
#include "storage/user_store.hpp"
#include "tests/support/fake_github.hpp"
#include "tests/support/fake_google.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/service_harness.hpp"

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include <future>

using namespace schedulerd;
using testing::error_code;

namespace {

// The decoded value of query parameter `name` in `url`.
std::string query_value(const std::string& url, const std::string& name) {
  auto at = url.find(name + "=");
  REQUIRE(at != std::string::npos);
  auto start = at + name.size() + 1;
  auto decoded = domain::decode_query_component(url.substr(start, url.find('&', start) - start));
  REQUIRE(decoded);
  return *decoded;
}

struct sign_in_fixture {
  testing::fake_google google;
  testing::test_database database = testing::test_database::sqlite();
  testing::service_harness harness{database};
  services::oauth_sign_in_actor sign_in = harness.track(services::spawn_oauth_sign_in(
      harness.system(), harness.context(), {google.settings(), {}, "http://127.0.0.1:1"}));

  sign_in_fixture() = default;
  sign_in_fixture(const sign_in_fixture&) = delete;
  sign_in_fixture& operator=(const sign_in_fixture&) = delete;
  ~sign_in_fixture() = default;

  // Plays the browser through Google's consent page and back: the callback the service gets.
  domain::oauth_callback approved_callback() {
    auto url = harness.ask<std::string>(sign_in, authorize_atom::value, std::string{"google"});
    REQUIRE(url);
    auto consent = testing::get(*url);
    REQUIRE(consent.status == 302);
    auto back = std::string{consent.header("location").value_or("")};
    return {"google", query_value(back, "code"), query_value(back, "state"), std::nullopt};
  }
};

}  // namespace

TEST_CASE_METHOD(sign_in_fixture, "OAuth sign-in links a verified email to the existing account",
                 "[services][oauth]") {
  auto db = database.connect();
  auto existing = storage::insert_user(*db, "Ada", "ada@example.com", "$argon2id$x", 0);
  google.sign_in_as({"ada@example.com", true, "g-ada", "Ada Lovelace"});

  auto grant =
      harness.ask<domain::session_grant>(sign_in, sign_in_atom::value, approved_callback());
  REQUIRE(grant);
  CHECK(grant->user.id == existing.id);
  CHECK(grant->user.name == "Ada");
  CHECK(grant->user.oauth_providers == std::vector<std::string>{"google"});
  CHECK_FALSE(grant->token.empty());
}

TEST_CASE_METHOD(sign_in_fixture, "a callback's state works once", "[services][oauth]") {
  google.sign_in_as({"grace@example.com", true, "g-grace", "Grace Hopper"});
  auto callback = approved_callback();
  auto first = harness.ask<domain::session_grant>(sign_in, sign_in_atom::value, callback);
  REQUIRE(first);
  CHECK(first->user.name == "Grace Hopper");
  auto replay = harness.ask<domain::session_grant>(sign_in, sign_in_atom::value, callback);
  CHECK(error_code(replay) == errc::bad_request);
}

TEST_CASE_METHOD(sign_in_fixture, "an unverified email signs nobody in and creates no account",
                 "[services][oauth]") {
  google.sign_in_as({"eve@example.com", false, "g-eve", "Eve"});
  auto refused =
      harness.ask<domain::session_grant>(sign_in, sign_in_atom::value, approved_callback());
  CHECK(error_code(refused) == errc::forbidden);
  auto db = database.connect();
  CHECK_FALSE(storage::find_user_by_email(*db, "eve@example.com"));
}

TEST_CASE_METHOD(sign_in_fixture, "unconfigured providers, refusals and missing codes are refused",
                 "[services][oauth]") {
  auto github_url = harness.ask<std::string>(sign_in, authorize_atom::value, std::string{"github"});
  CHECK(error_code(github_url) == errc::not_found);
  auto github = harness.ask<domain::session_grant>(
      sign_in, sign_in_atom::value, domain::oauth_callback{"github", "c", "s", std::nullopt});
  CHECK(error_code(github) == errc::not_found);

  auto denied = harness.ask<domain::session_grant>(
      sign_in, sign_in_atom::value, domain::oauth_callback{"google", "", "", "access_denied"});
  REQUIRE(error_code(denied) == errc::bad_request);
  CHECK(describe(denied.error()).message == "The provider refused the login: access_denied");

  auto no_code = harness.ask<domain::session_grant>(
      sign_in, sign_in_atom::value, domain::oauth_callback{"google", "", "s", std::nullopt});
  CHECK(error_code(no_code) == errc::bad_request);
}

TEST_CASE("first sign-ins of one identity racing each other end as one user", "[services][oauth]") {
  testing::fake_google google;
  for (auto& database : testing::every_backend()) {
    INFO("backend: " << database.backend_name());
    testing::service_harness harness{database};
    auto sign_in = harness.track(services::spawn_oauth_sign_in(
        harness.system(), harness.context(), {google.settings(), {}, "http://127.0.0.1:1"}));
    for (int round = 0; round < 5; ++round) {
      auto email = "racer" + std::to_string(round) + "@example.com";
      google.sign_in_as({email, true, "g-racer-" + std::to_string(round), "Racer"});
      auto callback = [&] {
        auto url = harness.ask<std::string>(sign_in, authorize_atom::value, std::string{"google"});
        REQUIRE(url);
        auto back = std::string{testing::get(*url).header("location").value_or("")};
        return domain::oauth_callback{"google", query_value(back, "code"),
                                      query_value(back, "state"), std::nullopt};
      };
      auto first_callback = callback();
      auto second_callback = callback();
      auto attempt = [&](const domain::oauth_callback& which) {
        return harness.ask<domain::session_grant>(sign_in, sign_in_atom::value, which);
      };
      auto first = std::async(std::launch::async, attempt, first_callback);
      auto second = std::async(std::launch::async, attempt, second_callback);
      auto a = first.get();
      auto b = second.get();
      REQUIRE(a);
      REQUIRE(b);
      CHECK(a->user.id == b->user.id);
    }
  }
}

TEST_CASE_METHOD(sign_in_fixture,
                 "a provider's name is stored trimmed, or replaced when it breaks the name rules",
                 "[services][oauth]") {
  google.sign_in_as({"grace@example.com", true, "g-grace", "  Grace Hopper\t"});
  auto trimmed =
      harness.ask<domain::session_grant>(sign_in, sign_in_atom::value, approved_callback());
  REQUIRE(trimmed);
  CHECK(trimmed->user.name == "Grace Hopper");

  // "Mallory" U+202E "gpj.exe" would show as "Malloryexe.jpg".
  google.sign_in_as({"mallory@example.com", true, "g-mallory", "Mallory\xE2\x80\xAEgpj.exe"});
  auto replaced =
      harness.ask<domain::session_grant>(sign_in, sign_in_atom::value, approved_callback());
  REQUIRE(replaced);
  CHECK(replaced->user.name == "mallory");
}
