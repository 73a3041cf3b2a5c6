#include "tests/support/api_fixture.hpp"
#include "tests/support/fake_huggy.hpp"
#include "tests/support/fake_oauth_grants.hpp"
#include "tests/support/huggy_api.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace schedulerd;
using testing::api_fixture;
using testing::body_of;
using testing::fake_huggy;

namespace {

struct oauth_setup {
  fake_huggy huggy;
  api_fixture api{"sqlite", testing::pointed_at(huggy)};
  std::string token = api.register_user("oauth@example.com");

  // A connection that holds only the Huggy app's client id and secret.
  std::string app_connection() {
    auto created = api.call(
        "POST", "/api/providers",
        testing::huggy_connection_with(
            {{"client_id", fake_huggy::client_id}, {"client_secret", fake_huggy::client_secret}},
            "Via OAuth"),
        token);
    REQUIRE(created.status == 201);
    // No token yet: the connection cannot work until it is authorised.
    CHECK(body_of(created)["status"] == "error");
    return body_of(created)["id"].get<std::string>();
  }
};

// Plays the browser: opens Huggy's consent page (which approves at once) and answers the path of
// our callback it redirects to.
std::string consent(const std::string& authorize_url) {
  const auto location = testing::follow_consent(authorize_url);
  REQUIRE_FALSE(location.empty());
  return location.substr(location.find("/api/providers/"));
}

}  // namespace

TEST_CASE("a Huggy app connects through OAuth and the tokens it gets are used",
          "[http][providers][oauth]") {
  oauth_setup setup;
  auto id = setup.app_connection();
  auto started = setup.api.call("GET", "/api/providers/" + id + "/oauth/authorize?mode=json",
                                nullptr, setup.token);
  REQUIRE(started.status == 200);
  auto url = body_of(started)["url"].get<std::string>();
  CHECK(url.rfind(setup.huggy.auth_base_url() + "/oauth/authorize?", 0) == 0);
  auto params = setup.huggy.authorize_params();
  CHECK(params.empty());

  auto callback = consent(url);
  params = setup.huggy.authorize_params();
  CHECK(params["client_id"] == fake_huggy::client_id);
  CHECK(params["redirect_uri"] == "http://schedulerd.test/api/providers/" + id + "/oauth/callback");
  // The callback comes from the browser without our token; the state alone identifies it.
  auto connected = setup.api.call("GET", callback);
  REQUIRE(connected.status == 200);
  auto provider = body_of(connected);
  CHECK(provider["status"] == "active");
  CHECK(provider["credentials"].contains("access_token"));
  CHECK(provider["credentials"].contains("refresh_token"));
  CHECK(setup.huggy.grants("authorization_code") == 1);
  CHECK(connected.body.find(fake_huggy::client_secret) == std::string::npos);

  // The state is single use.
  auto replay = setup.api.call("GET", callback);
  CHECK(replay.status == 400);
  CHECK(setup.huggy.grants("authorization_code") == 1);

  // The redirect form answers 302 to the same place.
  auto redirect =
      setup.api.call("GET", "/api/providers/" + id + "/oauth/authorize", nullptr, setup.token);
  CHECK(redirect.status == 302);
  CHECK(std::string{redirect.header("location").value_or("")}.rfind(setup.huggy.auth_base_url(),
                                                                    0) == 0);
  CHECK(setup.api.log_text().find(fake_huggy::client_secret) == std::string::npos);
}

TEST_CASE("an OAuth callback with a forged, foreign or refused state changes nothing",
          "[http][providers][oauth]") {
  oauth_setup setup;
  auto id = setup.app_connection();
  auto other = setup.app_connection();
  CHECK(setup.api.call("GET", "/api/providers/" + id + "/oauth/callback?code=abc&state=forged")
            .status == 400);
  CHECK(setup.api.call("GET", "/api/providers/" + id + "/oauth/callback").status == 400);
  // A state issued for one connection does not complete another.
  auto url = body_of(setup.api.call("GET", "/api/providers/" + id + "/oauth/authorize?mode=json",
                                    nullptr, setup.token))["url"]
                 .get<std::string>();
  auto callback = consent(url);
  auto query = callback.substr(callback.find('?'));
  CHECK(setup.api.call("GET", "/api/providers/" + other + "/oauth/callback" + query).status == 400);
  CHECK(setup.huggy.grants("authorization_code") == 0);
  // The user said no at Huggy.
  CHECK(
      setup.api.call("GET", "/api/providers/" + id + "/oauth/callback?error=access_denied&state=x")
          .status == 400);
  auto still = body_of(setup.api.call("GET", "/api/providers/" + id, nullptr, setup.token));
  CHECK(still["status"] == "error");
}

TEST_CASE("a pasted token has no OAuth to start", "[http][providers][oauth]") {
  oauth_setup setup;
  auto id = testing::connect_huggy(setup.api, setup.token, testing::huggy_connection("abc-123456"));
  auto res = setup.api.call("GET", "/api/providers/" + id + "/oauth/authorize?mode=json", nullptr,
                            setup.token);
  CHECK(res.status == 409);
  CHECK(body_of(res)["error"]["code"] == "conflict");
}
