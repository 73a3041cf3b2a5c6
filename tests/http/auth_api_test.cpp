#include "tests/support/api_fixture.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace schedulerd;
using testing::api_fixture;
using testing::body_of;

TEST_CASE("a new user registers, gets a token and sees themself", "[http][auth]") {
  for (const auto* backend : {"sqlite", "postgres"}) {
    INFO(backend);
    api_fixture api{backend};
    auto res =
        api.call("POST", "/api/auth/register",
                 {{"name", "Ada"}, {"email", "  Ada@Example.COM "}, {"password", "s3cret-pass"}});
    REQUIRE(res.status == 201);
    auto body = body_of(res);
    CHECK(body["user"]["email"] == "ada@example.com");
    CHECK(body["user"]["id"].is_string());
    CHECK(body["user"]["oauth"] == nlohmann::json::array());
    CHECK(body["user"]["created_at"].get<std::string>().back() == 'Z');
    CHECK_FALSE(body["user"].contains("password_hash"));
    auto token = body["token"].get<std::string>();
    CHECK(token.rfind("sd_", 0) == 0);
    CHECK(res.header("cache-control") == "no-store");

    auto me = api.call("GET", "/api/auth/me", nullptr, token);
    REQUIRE(me.status == 200);
    CHECK(body_of(me)["user"]["email"] == "ada@example.com");
  }
}

TEST_CASE("an email is taken whatever its letter case", "[http][auth]") {
  api_fixture api;
  api.register_user("dup@example.com");
  auto res =
      api.call("POST", "/api/auth/register",
               {{"name", "Other"}, {"email", "DUP@Example.com"}, {"password", "another-pass"}});
  CHECK(res.status == 422);
  CHECK(body_of(res)["error"]["details"]["email"][0] == "has already been taken");
}

TEST_CASE("registration with bad fields answers 422 naming each field and stores nothing",
          "[http][auth]") {
  api_fixture api;
  const auto details_of = [](const providers::outbound_response& res) {
    INFO(res.body);
    CHECK(res.status == 422);
    CHECK(body_of(res)["error"]["code"] == "validation_failed");
    return body_of(res)["error"]["details"];
  };

  auto weak = api.call("POST", "/api/auth/register",
                       {{"name", "Weak"}, {"email", "weak@example.com"}, {"password", "short"}});
  CHECK(details_of(weak) == nlohmann::json::parse(R"({
          "password": ["must be at least 8 characters"]
        })"));

  // Every field is a string and every one is unacceptable: each is named with its own problem.
  auto bad = api.call("POST", "/api/auth/register",
                      {{"name", "  "}, {"email", "not-an-email"}, {"password", "short"}});
  CHECK(details_of(bad) == nlohmann::json::parse(R"({
          "name": ["is required"],
          "email": ["must be a valid email address"],
          "password": ["must be at least 8 characters"]
        })"));

  // Wrong types and missing fields are named before any value is judged.
  auto mistyped = api.call("POST", "/api/auth/register", {{"name", 42}, {"password", 12345678}});
  CHECK(details_of(mistyped) == nlohmann::json::parse(R"({
          "name": ["must be a string"],
          "email": ["is required"],
          "password": ["must be a string"]
        })"));

  auto not_object = api.call("POST", "/api/auth/register", nlohmann::json::array());
  CHECK(details_of(not_object) == nlohmann::json::parse(R"({
          "body": ["must be a JSON object"],
          "name": ["is required"],
          "email": ["is required"],
          "password": ["is required"]
        })"));

  // Nothing was stored: the weak password's email is still free.
  api.register_user("weak@example.com");
}

TEST_CASE("a wrong password and an unknown email get the same 401", "[http][auth]") {
  api_fixture api;
  api.register_user("login@example.com", "right-password");
  auto wrong = api.call("POST", "/api/auth/login",
                        {{"email", "login@example.com"}, {"password", "wrong-password"}});
  auto unknown = api.call("POST", "/api/auth/login",
                          {{"email", "nobody@example.com"}, {"password", "wrong-password"}});
  CHECK(wrong.status == 401);
  CHECK(unknown.status == 401);
  CHECK(body_of(wrong)["error"] == nlohmann::json::parse(R"({
          "code": "unauthenticated",
          "message": "These credentials do not match our records."
        })"));
  CHECK(body_of(unknown)["error"] == body_of(wrong)["error"]);

  auto good = api.call("POST", "/api/auth/login",
                       {{"email", "LOGIN@example.com"}, {"password", "right-password"}});
  REQUIRE(good.status == 200);
  CHECK(body_of(good)["user"]["email"] == "login@example.com");
  CHECK(api.call("GET", "/api/auth/me", nullptr, body_of(good)["token"]).status == 200);
}

TEST_CASE("logout revokes the token on the very next request", "[http][auth]") {
  api_fixture api;
  auto token = api.register_user("bye@example.com");
  CHECK(api.call("POST", "/api/auth/logout", nullptr, token).status == 204);
  CHECK(api.call("GET", "/api/auth/me", nullptr, token).status == 401);
  CHECK(api.call("POST", "/api/auth/logout", nullptr, token).status == 401);
}

TEST_CASE("missing, malformed and unknown tokens are all 401 with the envelope", "[http][auth]") {
  api_fixture api;
  CHECK(api.call("GET", "/api/auth/me").status == 401);
  auto malformed = api.call("GET", "/api/auth/me", nullptr, {}, {{"authorization", "Basic abc"}});
  CHECK(malformed.status == 401);
  CHECK(body_of(malformed)["error"]["code"] == "unauthenticated");
  CHECK(api.call("GET", "/api/auth/me", nullptr, "sd_" + std::string(43, 'x')).status == 401);
  CHECK(api.call("GET", "/api/auth/me", nullptr, std::string(5000, 'a')).status == 401);
}

TEST_CASE("a session token expires after its lifetime", "[http][auth]") {
  api_fixture api;
  auto token = api.register_user("old@example.com");
  const std::chrono::milliseconds lifetime{api.settings().session_token_ttl_ms};
  api.clock().advance(lifetime - std::chrono::minutes{1});
  CHECK(api.call("GET", "/api/auth/me", nullptr, token).status == 200);
  api.clock().advance(std::chrono::minutes{2});
  auto expired = api.call("GET", "/api/auth/me", nullptr, token);
  CHECK(expired.status == 401);
  CHECK(body_of(expired)["error"]["code"] == "unauthenticated");
}

TEST_CASE("no token or password ever reaches the log", "[http][auth]") {
  api_fixture api;
  auto token = api.register_user("quiet@example.com", "very-secret-password");
  auto me = api.call("GET", "/api/auth/me?token=" + token, nullptr, token);
  CHECK(me.status == 200);
  // The access log is written before the answer leaves, so both requests are in it by now.
  auto log = api.log_text();
  INFO(log);
  CHECK(log.find(R"("path":"/api/auth/register")") != std::string::npos);
  CHECK(log.find(R"("path":"/api/auth/me")") != std::string::npos);
  CHECK(log.find(token) == std::string::npos);
  CHECK(log.find(token.substr(3)) == std::string::npos);  // nor its secret part alone
  CHECK(log.find("very-secret-password") == std::string::npos);
}

TEST_CASE("the access log names the user of an authenticated request", "[http][auth]") {
  api_fixture api;
  auto token = api.register_user("known@example.com");
  auto me = api.call("GET", "/api/auth/me", nullptr, token);
  REQUIRE(me.status == 200);
  const auto user_id = std::stoll(body_of(me)["user"]["id"].get<std::string>());
  std::istringstream lines{api.log_text()};
  std::vector<std::int64_t> logged_users;
  for (std::string line; std::getline(lines, line);) {
    auto entry = nlohmann::json::parse(line, nullptr, false);
    if (entry.is_object() && entry.value("path", "") == "/api/auth/me") {
      logged_users.push_back(entry.value("user_id", std::int64_t{-1}));
    }
  }
  CHECK(logged_users == std::vector<std::int64_t>{user_id});
}
