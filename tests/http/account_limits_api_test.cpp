#include "tests/support/api_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace schedulerd;
using testing::api_fixture;
using testing::body_of;

namespace {

providers::outbound_response login(api_fixture& api, const std::string& email,
                                   const std::string& password) {
  return api.call("POST", "/api/auth/login", {{"email", email}, {"password", password}});
}

}  // namespace

TEST_CASE("failed logins per account answer 429 alike for known and unknown emails",
          "[http][auth][limits]") {
  api_fixture api{"sqlite", [](config::service_config& settings) {
                    settings.login_failures_per_account = 2;
                    settings.rate_limit_auth_per_minute = 100;
                  }};
  api.register_user("ada@example.com");
  std::vector<providers::outbound_response> refusals;
  for (const auto* email : {"ada@example.com", "nobody@example.com"}) {
    INFO(email);
    CHECK(login(api, email, "wrong horse battery").status == 401);
    CHECK(login(api, email, "wrong horse battery").status == 401);
    auto refused = login(api, email, "wrong horse battery");
    REQUIRE(refused.status == 429);
    auto retry_after = std::stoi(std::string{refused.header("retry-after").value_or("0")});
    CHECK(retry_after > 800);
    CHECK(retry_after <= 900);
    CHECK(refused.header("x-ratelimit-limit") == "100");
    refusals.push_back(refused);
  }
  CHECK(body_of(refusals[0]) == body_of(refusals[1]));
  CHECK(body_of(refusals[0])["error"]["code"] == "rate_limited");
  // The right password waits for the window as well; another account does not.
  CHECK(login(api, "ada@example.com", "correct horse").status == 429);
  api.register_user("bo@example.com");
  CHECK(login(api, "bo@example.com", "correct horse").status == 200);
}

TEST_CASE("the tokens list is paginated like every list", "[http][tokens][limits]") {
  api_fixture api;
  auto token = api.register_user("ada@example.com");
  for (const auto* name : {"first", "second", "third"}) {
    REQUIRE(api.call("POST", "/api/auth/tokens", {{"name", name}}, token).status == 201);
    api.clock().advance(std::chrono::seconds{1});
  }
  // Four tokens: the session from registering and three personal ones.
  auto first_page = api.call("GET", "/api/auth/tokens?per_page=2", nullptr, token);
  REQUIRE(first_page.status == 200);
  auto body = body_of(first_page);
  CHECK(body["meta"] ==
        nlohmann::json{{"page", 1}, {"per_page", 2}, {"total", 4}, {"last_page", 2}});
  REQUIRE(body["data"].size() == 2);
  CHECK(body["data"][0]["name"] == "third");
  CHECK(body["data"][1]["name"] == "second");

  auto second_page = body_of(api.call("GET", "/api/auth/tokens?per_page=2&page=2", nullptr, token));
  REQUIRE(second_page["data"].size() == 2);
  CHECK(second_page["data"][0]["name"] == "first");
  CHECK(second_page["data"][1]["name"] == "session");

  auto oldest_first = body_of(api.call("GET", "/api/auth/tokens?sort=created_at", nullptr, token));
  CHECK(oldest_first["data"][0]["name"] == "session");
  CHECK(oldest_first["meta"]["per_page"] == 25);

  for (const auto* bad : {"per_page=0", "per_page=101", "page=0", "sort=name"}) {
    INFO(bad);
    auto refused = api.call("GET", std::string{"/api/auth/tokens?"} + bad, nullptr, token);
    CHECK(refused.status == 422);
  }
}

TEST_CASE("creating a token beyond the live-token cap answers 422 until one is revoked",
          "[http][tokens][limits]") {
  api_fixture api{"sqlite",
                  [](config::service_config& settings) { settings.max_tokens_per_user = 2; }};
  auto token = api.register_user("ada@example.com");
  auto first = api.call("POST", "/api/auth/tokens", {{"name", "one"}}, token);
  REQUIRE(first.status == 201);
  REQUIRE(api.call("POST", "/api/auth/tokens", {{"name", "two"}}, token).status == 201);
  auto refused = api.call("POST", "/api/auth/tokens", {{"name", "three"}}, token);
  REQUIRE(refused.status == 422);
  CHECK(body_of(refused)["error"]["message"] ==
        "You have 2 live personal tokens, the most allowed; revoke one first.");
  auto id = body_of(first)["id"].get<std::string>();
  REQUIRE(api.call("DELETE", "/api/auth/tokens/" + id, nullptr, token).status == 204);
  CHECK(api.call("POST", "/api/auth/tokens", {{"name", "three"}}, token).status == 201);
}
