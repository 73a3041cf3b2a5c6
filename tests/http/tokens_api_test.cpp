#include "domain/rfc3339.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/polling.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace schedulerd;
using testing::api_fixture;
using testing::body_of;

TEST_CASE("a personal token is shown once, listed without its secret, and works",
          "[http][tokens]") {
  api_fixture api;
  auto session = api.register_user("tok@example.com");
  auto created = api.call("POST", "/api/auth/tokens", {{"name", "ci"}}, session);
  REQUIRE(created.status == 201);
  auto body = body_of(created);
  auto secret = body["token"].get<std::string>();
  CHECK(body["name"] == "ci");
  CHECK(body["expires_at"].is_null());
  CHECK(api.call("GET", "/api/auth/me", nullptr, secret).status == 200);

  auto list = api.call("GET", "/api/auth/tokens", nullptr, session);
  REQUIRE(list.status == 200);
  CHECK(list.body.find(secret) == std::string::npos);
  auto data = body_of(list)["data"];
  REQUIRE(data.size() == 2);
  CHECK(data[0]["name"] == "ci");
  CHECK(data[0].contains("last_used_at"));
  CHECK(body_of(list)["meta"]["total"] == 2);
}

TEST_CASE("a revoked personal token stops working at once", "[http][tokens]") {
  api_fixture api;
  auto session = api.register_user("rev@example.com");
  auto created = body_of(api.call("POST", "/api/auth/tokens", {{"name", "temp"}}, session));
  auto id = created["id"].get<std::string>();
  CHECK(api.call("DELETE", "/api/auth/tokens/" + id, nullptr, session).status == 204);
  CHECK(api.call("GET", "/api/auth/me", nullptr, created["token"]).status == 401);
  CHECK(api.call("DELETE", "/api/auth/tokens/" + id, nullptr, session).status == 404);
  CHECK(api.call("DELETE", "/api/auth/tokens/not-a-number", nullptr, session).status == 404);
}

TEST_CASE("a token with an expiry stops working when it passes", "[http][tokens]") {
  api_fixture api;
  auto session = api.register_user("exp@example.com");
  auto expires = domain::format_rfc3339(api.clock().now_ms + 60'000);
  auto created =
      api.call("POST", "/api/auth/tokens", {{"name", "short"}, {"expires_at", expires}}, session);
  REQUIRE(created.status == 201);
  auto secret = body_of(created)["token"].get<std::string>();
  CHECK(api.call("GET", "/api/auth/me", nullptr, secret).status == 200);
  api.clock().advance(std::chrono::minutes{2});
  CHECK(api.call("GET", "/api/auth/me", nullptr, secret).status == 401);
}

TEST_CASE("token requests with bad names or expiries are refused with 422", "[http][tokens]") {
  api_fixture api;
  auto session = api.register_user("bad@example.com");
  auto past = domain::format_rfc3339(api.clock().now_ms - 1000);
  CHECK(
      api.call("POST", "/api/auth/tokens", {{"name", "x"}, {"expires_at", past}}, session).status ==
      422);
  CHECK(api.call("POST", "/api/auth/tokens", {{"name", "x"}, {"expires_at", "2030-01-01T00:00:00"}},
                 session)
            .status == 422);
  CHECK(api.call("POST", "/api/auth/tokens", {{"name", ""}}, session).status == 422);
  CHECK(api.call("POST", "/api/auth/tokens", nlohmann::json::object(), session).status == 422);
}

TEST_CASE("one user can neither see nor revoke another user's tokens", "[http][tokens]") {
  api_fixture api;
  auto alice = api.register_user("alice@example.com");
  auto bob = api.register_user("bob@example.com");
  auto alices = body_of(api.call("POST", "/api/auth/tokens", {{"name", "alice-ci"}}, alice));
  auto id = alices["id"].get<std::string>();

  auto bobs_list = api.call("GET", "/api/auth/tokens", nullptr, bob);
  CHECK(bobs_list.body.find("alice-ci") == std::string::npos);
  CHECK(api.call("DELETE", "/api/auth/tokens/" + id, nullptr, bob).status == 404);
  CHECK(api.call("GET", "/api/auth/me", nullptr, alices["token"]).status == 200);
}

TEST_CASE("last use of a token is recorded without a write per request", "[http][tokens]") {
  api_fixture api{"sqlite", {}};
  auto session = api.register_user("used@example.com");
  auto created = body_of(api.call("POST", "/api/auth/tokens", {{"name", "used"}}, session));
  CHECK(api.call("GET", "/api/auth/me", nullptr, created["token"]).status == 200);
  // The flush runs on a timer; poll the listing until the time shows up.
  CHECK(testing::eventually([&] {
    auto list = body_of(api.call("GET", "/api/auth/tokens", nullptr, session))["data"];
    return std::any_of(list.begin(), list.end(), [](const auto& token) {
      return token["name"] == "used" && !token["last_used_at"].is_null();
    });
  }));
}
