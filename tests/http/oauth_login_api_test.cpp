#include "tests/support/api_fixture.hpp"
#include "tests/support/fake_github.hpp"
#include "tests/support/fake_google.hpp"
#include "tests/support/http_test_client.hpp"

#include <catch2/catch.hpp>

using namespace schedulerd;
using testing::api_fixture;
using testing::body_of;

namespace {

// Plays the browser: asks our API where to go, visits the provider's authorize page (which
// approves at once), and follows its redirect back to our callback. Returns the callback's answer.
providers::outbound_response browser_login(api_fixture& api, const std::string& provider) {
  auto start = api.call("GET", "/api/auth/oauth/" + provider + "?mode=json");
  REQUIRE(start.status == 200);
  auto consent = testing::get(body_of(start)["url"].get<std::string>());
  REQUIRE(consent.status == 302);
  auto location = std::string{consent.header("location").value_or("")};
  auto path = location.substr(location.find("/api/auth/oauth/"));
  return api.call("GET", path);
}

api_fixture with_providers(const testing::fake_google& google, const testing::fake_github& github,
                           const std::string& backend = "sqlite") {
  return api_fixture{backend, [&](config::service_config& settings) {
                       settings.google = google.settings();
                       settings.github = github.settings();
                     }};
}

}  // namespace

TEST_CASE("Google login creates a user from a verified email, then signs the same user in",
          "[http][oauth]") {
  testing::fake_google google;
  testing::fake_github github;
  for (const auto* backend : {"sqlite", "postgres"}) {
    INFO(backend);
    auto api = with_providers(google, github, backend);
    google.sign_in_as({"grace@example.com", true, "g-1", "Grace Hopper"});
    auto first = browser_login(api, "google");
    REQUIRE(first.status == 200);
    auto user = body_of(first)["user"];
    CHECK(user["email"] == "grace@example.com");
    CHECK(user["name"] == "Grace Hopper");
    CHECK(user["oauth"] == nlohmann::json{"google"});
    CHECK(api.call("GET", "/api/auth/me", nullptr, body_of(first)["token"]).status == 200);

    auto second = browser_login(api, "google");
    REQUIRE(second.status == 200);
    CHECK(body_of(second)["user"]["id"] == user["id"]);
  }
}

TEST_CASE("the authorize redirect carries state and a PKCE S256 challenge", "[http][oauth]") {
  testing::fake_google google;
  testing::fake_github github;
  auto api = with_providers(google, github);
  auto res = api.call("GET", "/api/auth/oauth/google");
  REQUIRE(res.status == 302);
  auto location = std::string{res.header("location").value_or("")};
  CHECK(location.rfind(google.base_url(), 0) == 0);
  CHECK(location.find("state=") != std::string::npos);
  CHECK(location.find("code_challenge_method=S256") != std::string::npos);
  CHECK(location.find("code_challenge=") != std::string::npos);
}

TEST_CASE("GitHub login links to an existing account with the same email", "[http][oauth]") {
  testing::fake_google google;
  testing::fake_github github;
  auto api = with_providers(google, github);
  api.register_user("linus@example.com");
  github.sign_in_as(testing::make_github_user("linus@example.com", true, "4242", "Linus"));
  auto res = browser_login(api, "github");
  REQUIRE(res.status == 200);
  auto user = body_of(res)["user"];
  CHECK(user["email"] == "linus@example.com");
  CHECK(user["name"] == "Test User");
  CHECK(user["oauth"] == nlohmann::json{"github"});
}

TEST_CASE("an unverified provider email is refused and creates no account", "[http][oauth]") {
  testing::fake_google google;
  testing::fake_github github;
  auto api = with_providers(google, github);
  google.sign_in_as({"mallory@example.com", false, "g-666", "Mallory"});
  auto res = browser_login(api, "google");
  CHECK(res.status == 403);
  github.sign_in_as(testing::make_github_user("mallory@example.com", false, "666", "Mallory"));
  CHECK(browser_login(api, "github").status == 403);
  CHECK(api.call("POST", "/api/auth/login",
                 {{"email", "mallory@example.com"}, {"password", "whatever1"}})
            .status == 401);
  api.register_user("mallory@example.com");
}

TEST_CASE("a bad, reused or foreign state is refused with 400", "[http][oauth]") {
  testing::fake_google google;
  testing::fake_github github;
  auto api = with_providers(google, github);
  CHECK(api.call("GET", "/api/auth/oauth/google/callback?code=abc&state=forged").status == 400);
  CHECK(api.call("GET", "/api/auth/oauth/google/callback").status == 400);

  auto start = api.call("GET", "/api/auth/oauth/google?mode=json");
  auto consent = testing::get(body_of(start)["url"].get<std::string>());
  auto location = std::string{consent.header("location").value_or("")};
  auto path = location.substr(location.find("/api/auth/oauth/"));
  CHECK(api.call("GET", path).status == 200);
  CHECK(api.call("GET", path).status == 400);

  auto github_start = api.call("GET", "/api/auth/oauth/github?mode=json");
  auto github_consent = testing::get(body_of(github_start)["url"].get<std::string>());
  auto github_location = std::string{github_consent.header("location").value_or("")};
  auto query = github_location.substr(github_location.find('?'));
  CHECK(api.call("GET", "/api/auth/oauth/google/callback" + query).status == 400);
}

TEST_CASE("a state older than ten minutes is refused", "[http][oauth]") {
  testing::fake_google google;
  testing::fake_github github;
  auto api = with_providers(google, github);
  auto start = api.call("GET", "/api/auth/oauth/google?mode=json");
  auto consent = testing::get(body_of(start)["url"].get<std::string>());
  auto location = std::string{consent.header("location").value_or("")};
  api.clock().advance(std::chrono::minutes{11});
  CHECK(api.call("GET", location.substr(location.find("/api/auth/oauth/"))).status == 400);
}

TEST_CASE("a provider without a client id answers 404", "[http][oauth]") {
  api_fixture api;
  CHECK(api.call("GET", "/api/auth/oauth/google").status == 404);
  CHECK(api.call("GET", "/api/auth/oauth/github/callback?code=a&state=b").status == 404);
  CHECK(api.call("GET", "/api/auth/oauth/myspace").status == 404);
}

TEST_CASE("a provider that fails or refuses consent gives a clear error", "[http][oauth]") {
  testing::fake_google google;
  testing::fake_github github;
  auto api = with_providers(google, github);
  google.fail(testing::fake_google::endpoint::token, 503);
  auto down = browser_login(api, "google");
  CHECK(down.status == 502);
  CHECK(body_of(down)["error"]["code"] == "upstream_failed");
  google.recover();
  google.deny_consent(true);
  CHECK(browser_login(api, "google").status == 400);
}
