#include "tests/providers/huggy/huggy_connection.hpp"
#include "tests/support/fixed_instants.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using schedulerd::providers::failure_kind;
using schedulerd::testing::error_of;
using schedulerd::testing::fake_huggy;
using schedulerd::testing::huggy_connection;
using schedulerd::testing::value_of;

using schedulerd::testing::minute_ms;

namespace {

// The bodies the token endpoint received, parsed.
std::vector<nlohmann::json> token_requests(fake_huggy& huggy) {
  std::vector<nlohmann::json> bodies;
  for (const auto& request : huggy.server().requests()) {
    if (request.path == "/oauth/access_token") {
      bodies.push_back(nlohmann::json::parse(request.body));
    }
  }
  return bodies;
}

}  // namespace

TEST_CASE_METHOD(huggy_connection, "a 401 is answered by one refresh and one retry",
                 "[providers][huggy]") {
  const auto old = stale_credentials();
  auto connector = connect(old);
  CHECK(value_of(connector->test_connection()).account == "Ana Atendente");
  CHECK(huggy.server().count("/v3/agents/profile") == 2);
  CHECK(connector->credentials_version() == 1);

  const auto& now = connector->credentials();
  CHECK(now.at("access_token") != old.at("access_token"));
  CHECK(now.at("refresh_token") != old.at("refresh_token"));  // the fake rotates them
  CHECK(now.at("expires_at") == std::to_string(now_ms + 180LL * 24 * 3600 * 1000));
  CHECK(now.at("client_id") == fake_huggy::client_id);

  const auto bodies = token_requests(huggy);
  REQUIRE(bodies.size() == 1);
  CHECK(bodies[0] == nlohmann::json{{"grant_type", "refresh_token"},
                                    {"refresh_token", fake_huggy::refresh_token},
                                    {"client_id", fake_huggy::client_id},
                                    {"client_secret", fake_huggy::client_secret}});
}

TEST_CASE_METHOD(huggy_connection, "a refresh the auth server refuses rejects the credentials",
                 "[providers][huggy]") {
  auto credentials = stale_credentials();
  credentials["refresh_token"] = "def50200-not-a-refresh-token-we-know";
  auto connector = connect(credentials);
  const auto& error = error_of(connector->list_contacts(0));
  CHECK(error.kind == failure_kind::rejected_credentials);
  CHECK(error.http_status == 400);
  CHECK(error.message.find("Cannot decrypt the refresh token") != std::string::npos);
  CHECK(error.message.find(credentials["refresh_token"]) == std::string::npos);
  CHECK(connector->credentials_version() == 0);

  credentials.erase("client_id");
  credentials.erase("client_secret");
  huggy.server().clear_requests();
  CHECK(error_of(connect(credentials)->list_contacts(0)).kind ==
        failure_kind::rejected_credentials);
  const auto bodies = token_requests(huggy);
  REQUIRE(bodies.size() == 1);
  CHECK_FALSE(bodies[0].contains("client_id"));  // client fields only when known
}

TEST_CASE_METHOD(huggy_connection, "a 401 again after the refresh rejects the credentials",
                 "[providers][huggy]") {
  huggy.fail_next("/agents/profile", 401, 2, "",
                  R"({"error":"access_denied","message":"The resource owner or authorization )"
                  R"(server denied the request.","hint":"Access token has been revoked"})");
  auto connector = connect({{"access_token", fake_huggy::access_token},
                            {"refresh_token", fake_huggy::refresh_token},
                            {"client_id", fake_huggy::client_id},
                            {"client_secret", fake_huggy::client_secret}});
  const auto& error = error_of(connector->test_connection());
  CHECK(error.kind == failure_kind::rejected_credentials);
  CHECK(error.http_status == 401);
  CHECK(huggy.grants("refresh_token") == 1);  // once per call, not in a loop
  CHECK(connector->credentials_version() == 1);
}

TEST_CASE_METHOD(huggy_connection, "a token about to expire is renewed before the call",
                 "[providers][huggy]") {
  auto credentials = stale_credentials();
  credentials["access_token"] = fake_huggy::access_token;

  SECTION("ten minutes left: no refresh") {
    credentials["expires_at"] = std::to_string(now_ms + 10 * minute_ms);
    auto connector = connect(credentials);
    value_of(connector->test_connection());
    CHECK(huggy.grants("refresh_token") == 0);
    CHECK(connector->credentials_version() == 0);
  }
  SECTION("four minutes left: refresh first, then one call") {
    credentials["expires_at"] = std::to_string(now_ms + 4 * minute_ms);
    auto connector = connect(credentials);
    value_of(connector->test_connection());
    CHECK(huggy.grants("refresh_token") == 1);
    CHECK(huggy.server().count("/v3/agents/profile") == 1);
    CHECK(connector->credentials_version() == 1);
    const auto requests = huggy.server().requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].path == "/oauth/access_token");
    CHECK(requests[1].header("authorization") ==
          "Bearer " + connector->credentials().at("access_token"));
  }
  SECTION("the clock moves: the refresh comes when expiry is near") {
    huggy.set_token_lifetime(std::chrono::hours(1));
    auto connector = connect(credentials);
    REQUIRE(value_of(connector->refresh_credentials()));
    value_of(connector->test_connection());
    CHECK(huggy.grants("refresh_token") == 1);
    now_ms += 56 * minute_ms;
    value_of(connector->test_connection());
    CHECK(huggy.grants("refresh_token") == 2);
    CHECK(connector->credentials_version() == 2);
  }
}

TEST_CASE_METHOD(huggy_connection, "a renewal without a new refresh token keeps the old one",
                 "[providers][huggy]") {
  const std::string fresh = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI0MjQyIn0.bm92bw";
  huggy.accept_token(fresh);
  huggy.fail_next("/oauth/access_token", 200, 1, "",
                  nlohmann::json{{"token_type", "Bearer"}, {"access_token", fresh}}.dump());
  auto credentials = stale_credentials();
  credentials["expires_at"] = "1";
  auto connector = connect(credentials);
  value_of(connector->test_connection());
  CHECK(connector->credentials().at("access_token") == fresh);
  CHECK(connector->credentials().at("refresh_token") == fake_huggy::refresh_token);
  CHECK_FALSE(connector->credentials().contains("expires_at"));  // no lifetime given: unknown
}

TEST_CASE_METHOD(huggy_connection, "an explicit refresh needs a refresh token",
                 "[providers][huggy]") {
  auto without = connect();
  CHECK_FALSE(value_of(without->refresh_credentials()));
  CHECK(huggy.server().requests().empty());

  auto with = connect(stale_credentials());
  CHECK(value_of(with->refresh_credentials()));
  CHECK(with->credentials_version() == 1);
  value_of(with->test_connection());
}

TEST_CASE_METHOD(huggy_connection, "an OAuth connection not yet authorised has no token to use",
                 "[providers][huggy]") {
  auto connector =
      connect({{"client_id", fake_huggy::client_id}, {"client_secret", fake_huggy::client_secret}});
  const auto& error = error_of(connector->test_connection());
  CHECK(error.kind == failure_kind::rejected_credentials);
  CHECK(huggy.server().requests().empty());
}
