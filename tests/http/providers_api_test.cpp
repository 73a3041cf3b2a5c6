#include "tests/support/api_fixture.hpp"
#include "tests/support/fake_huggy.hpp"
#include "tests/support/huggy_api.hpp"
#include "tests/support/polling.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace schedulerd;
using testing::api_fixture;
using testing::body_of;
using testing::connect_huggy;
using testing::fake_huggy;
using testing::huggy_connection;
using testing::pointed_at;

namespace {

const std::string mask = "\u2022\u2022\u2022\u2022";

std::string last_four(const std::string& secret) {
  return secret.substr(secret.size() - 4);
}

}  // namespace

TEST_CASE("a connection with a token Huggy accepts is active at once and never shows the token",
          "[http][providers]") {
  fake_huggy huggy;
  api_fixture api{"sqlite", pointed_at(huggy)};
  auto session = api.register_user("ana@example.com");
  auto created =
      api.call("POST", "/api/providers", huggy_connection(fake_huggy::access_token), session);
  REQUIRE(created.status == 201);
  auto provider = body_of(created);
  CHECK(provider["type"] == "huggy");
  CHECK(provider["status"] == "active");
  CHECK(provider["enabled"] == true);
  CHECK(provider["last_error"].is_null());
  CHECK_FALSE(provider["last_checked_at"].is_null());
  CHECK(provider["settings"]["send_mode"] == "chat");
  CHECK(provider["credentials"]["access_token"] == mask + last_four(fake_huggy::access_token));
  CHECK(provider["sync"]["status"].is_null());
  CHECK(huggy.server().count("/v3/agents/profile") == 1);

  auto id = provider["id"].get<std::string>();
  auto listed = api.call("GET", "/api/providers", nullptr, session);
  REQUIRE(listed.status == 200);
  CHECK(body_of(listed)["meta"]["total"] == 1);
  CHECK(body_of(listed)["data"][0]["id"] == id);
  auto one = api.call("GET", "/api/providers/" + id, nullptr, session);
  CHECK(one.status == 200);
  // The secret appears in no answer and no log line.
  for (const auto* body : {&created.body, &listed.body, &one.body}) {
    CHECK(body->find(fake_huggy::access_token) == std::string::npos);
  }
  CHECK(api.log_text().find(fake_huggy::access_token) == std::string::npos);
}

TEST_CASE("a token Huggy rejects leaves the connection in error until new credentials work",
          "[http][providers]") {
  fake_huggy huggy;
  api_fixture api{"sqlite", pointed_at(huggy)};
  auto session = api.register_user("bruno@example.com");
  auto created =
      api.call("POST", "/api/providers", huggy_connection("not-a-valid-token-123"), session);
  REQUIRE(created.status == 201);
  auto provider = body_of(created);
  CHECK(provider["status"] == "error");
  CHECK_FALSE(provider["last_error"].get<std::string>().empty());
  CHECK(provider["last_error"].get<std::string>().find("not-a-valid") == std::string::npos);

  auto id = provider["id"].get<std::string>();
  auto fixed = api.call("PUT", "/api/providers/" + id,
                        {{"credentials", {{"access_token", fake_huggy::access_token}}}}, session);
  REQUIRE(fixed.status == 200);
  CHECK(body_of(fixed)["status"] == "active");
  CHECK(body_of(fixed)["last_error"].is_null());
  CHECK(body_of(fixed)["credentials"]["access_token"] ==
        mask + last_four(fake_huggy::access_token));
}

TEST_CASE("a rejected token is refreshed once and the new one stored sealed", "[http][providers]") {
  fake_huggy huggy;
  api_fixture api{"sqlite", pointed_at(huggy)};
  auto session = api.register_user("carla@example.com");
  auto created =
      api.call("POST", "/api/providers",
               testing::huggy_connection_with({{"access_token", "expired-access-token-0001"},
                                               {"refresh_token", fake_huggy::refresh_token},
                                               {"client_id", fake_huggy::client_id},
                                               {"client_secret", fake_huggy::client_secret}}),
               session);
  REQUIRE(created.status == 201);
  auto provider = body_of(created);
  CHECK(provider["status"] == "active");
  CHECK(huggy.grants("refresh_token") == 1);
  auto id = provider["id"].get<std::string>();
  // The refreshed token was stored: a later test works without another refresh.
  CHECK(testing::eventually([&] {
    auto again = body_of(api.call("GET", "/api/providers/" + id, nullptr, session));
    return again["credentials"]["access_token"] != mask + "0001";
  }));
  auto test = api.call("POST", "/api/providers/" + id + "/test-connection", nullptr, session);
  REQUIRE(test.status == 200);
  CHECK(body_of(test)["status"] == "active");
  CHECK(huggy.grants("refresh_token") == 1);
  // A connector rebuilt from storage (a rename reloads it) holds the new tokens, not the old ones
  // Huggy has since revoked.
  REQUIRE(api.call("PUT", "/api/providers/" + id, {{"name", "Renamed"}}, session).status == 200);
  auto after_reload =
      api.call("POST", "/api/providers/" + id + "/test-connection", nullptr, session);
  CHECK(body_of(after_reload)["status"] == "active");
  CHECK(huggy.grants("refresh_token") == 1);
  CHECK(api.log_text().find(fake_huggy::refresh_token) == std::string::npos);
}

TEST_CASE("test-connection reports Huggy's verdict and records it on the connection",
          "[http][providers]") {
  fake_huggy huggy;
  api_fixture api{"sqlite", pointed_at(huggy)};
  auto session = api.register_user("dora@example.com");
  auto id = connect_huggy(api, session);
  auto passed =
      body_of(api.call("POST", "/api/providers/" + id + "/test-connection", nullptr, session));
  CHECK(passed["status"] == "active");
  CHECK(passed["error"].is_null());
  CHECK(passed["latency_ms"].get<std::int64_t>() >= 0);

  huggy.revoke_token(fake_huggy::access_token);
  auto failed = api.call("POST", "/api/providers/" + id + "/test-connection", nullptr, session);
  REQUIRE(failed.status == 200);
  CHECK(body_of(failed)["status"] == "error");
  CHECK_FALSE(body_of(failed)["error"].is_null());
  auto provider = body_of(api.call("GET", "/api/providers/" + id, nullptr, session));
  CHECK(provider["status"] == "error");
  CHECK(provider["last_error"] == body_of(failed)["error"]);

  // Disabled, the connection says so whatever Huggy answers.
  auto disabled = api.call("PUT", "/api/providers/" + id, {{"enabled", false}}, session);
  CHECK(body_of(disabled)["status"] == "inactive");
  CHECK(body_of(disabled)["enabled"] == false);
}

TEST_CASE("provider types list Huggy with its fields", "[http][providers]") {
  fake_huggy huggy;
  api_fixture api{"sqlite", pointed_at(huggy)};
  auto session = api.register_user("eva@example.com");
  auto types = api.call("GET", "/api/provider-types", nullptr, session);
  REQUIRE(types.status == 200);
  auto data = body_of(types)["data"];
  REQUIRE(data.size() == 1);
  CHECK(data[0]["type"] == "huggy");
  CHECK(data[0]["oauth"] == true);
  std::vector<std::string> credential_names;
  for (const auto& field : data[0]["credential_fields"]) {
    credential_names.push_back(field["name"]);
  }
  CHECK_THAT(credential_names, Catch::Matchers::VectorContains(std::string{"access_token"}));
  CHECK_THAT(credential_names, Catch::Matchers::VectorContains(std::string{"client_secret"}));
  CHECK(api.call("GET", "/api/provider-types").status == 401);
}

TEST_CASE("bad connection requests are refused with 422 and store nothing", "[http][providers]") {
  fake_huggy huggy;
  api_fixture api{"sqlite", pointed_at(huggy)};
  auto session = api.register_user("fabio@example.com");
  auto unknown =
      api.call("POST", "/api/providers",
               {{"type", "telegraph"}, {"name", "x"}, {"credentials", {{"a", "b"}}}}, session);
  CHECK(unknown.status == 422);
  CHECK(body_of(unknown)["error"]["details"].contains("type"));
  auto no_credentials =
      api.call("POST", "/api/providers", {{"type", "huggy"}, {"name", "x"}}, session);
  CHECK(no_credentials.status == 422);
  CHECK(body_of(no_credentials)["error"]["details"].contains("credentials"));
  auto bad_mode = huggy_connection(fake_huggy::access_token);
  bad_mode["settings"]["send_mode"] = "carrier-pigeon";
  auto refused = api.call("POST", "/api/providers", bad_mode, session);
  CHECK(refused.status == 422);
  CHECK(body_of(refused)["error"]["details"].contains("settings.send_mode"));
  auto not_strings = huggy_connection(fake_huggy::access_token);
  not_strings["credentials"]["access_token"] = 42;
  CHECK(api.call("POST", "/api/providers", not_strings, session).status == 422);
  CHECK(huggy.server().count("/v3/agents/profile") == 0);
  CHECK(body_of(api.call("GET", "/api/providers", nullptr, session))["meta"]["total"] == 0);

  auto id = connect_huggy(api, session);
  CHECK(api.call("PUT", "/api/providers/" + id, nlohmann::json::object(), session).status == 422);
  CHECK(api.call("PUT", "/api/providers/" + id, {{"enabled", "yes"}}, session).status == 422);
  CHECK(api.call("DELETE", "/api/providers/" + id + "?force=maybe", nullptr, session).status ==
        422);
  CHECK(api.call("GET", "/api/providers?sort=secret", nullptr, session).status == 422);
}

TEST_CASE("another user's connection answers 404 on every route", "[http][providers]") {
  fake_huggy huggy;
  api_fixture api{"sqlite", pointed_at(huggy)};
  auto owner = api.register_user("owner@example.com");
  auto other = api.register_user("other@example.com");
  auto id = connect_huggy(api, owner);
  const auto base = "/api/providers/" + id;
  CHECK(api.call("GET", base, nullptr, other).status == 404);
  CHECK(api.call("PUT", base, {{"name", "mine now"}}, other).status == 404);
  CHECK(api.call("DELETE", base, nullptr, other).status == 404);
  CHECK(api.call("POST", base + "/test-connection", nullptr, other).status == 404);
  CHECK(api.call("POST", base + "/sync-contacts", nullptr, other).status == 404);
  CHECK(api.call("GET", base + "/contacts", nullptr, other).status == 404);
  CHECK(api.call("GET", base + "/contacts?source=remote&q=5511", nullptr, other).status == 404);
  CHECK(api.call("GET", base + "/oauth/authorize?mode=json", nullptr, other).status == 404);
  CHECK(body_of(api.call("GET", "/api/providers", nullptr, other))["meta"]["total"] == 0);
  CHECK(api.call("GET", "/api/providers/not-a-number", nullptr, owner).status == 404);
  // The owner still sees it unchanged.
  auto mine = body_of(api.call("GET", base, nullptr, owner));
  CHECK(mine["name"] == "Support");
}

TEST_CASE("a connection with waiting messages is deleted only when forced", "[http][providers]") {
  fake_huggy huggy;
  api_fixture api{"sqlite", pointed_at(huggy)};
  auto session = api.register_user("gil@example.com");
  auto id = connect_huggy(api, session);
  {
    auto db = api.database().connect();
    auto user_id = std::get<std::int64_t>(
        db->execute("SELECT id FROM users WHERE email = 'gil@example.com'", {}).rows.at(0).at(0));
    auto provider_id = std::stoll(id);
    db->execute(
        "INSERT INTO contacts (provider_id, external_id, name, synced_at, created_at, "
        "updated_at) VALUES ($1, '1', 'Ana', 0, 0, 0)",
        {provider_id});
    auto contact_id = std::get<std::int64_t>(
        db->execute("SELECT id FROM contacts WHERE provider_id = $1", {provider_id})
            .rows.at(0)
            .at(0));
    db->execute(
        "INSERT INTO scheduled_messages (user_id, provider_id, contact_id, content, "
        "send_at, next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, 'hi', "
        "$4, $4, 0, 0)",
        {user_id, provider_id, contact_id, api.clock().now_ms + 3'600'000});
  }
  auto refused = api.call("DELETE", "/api/providers/" + id, nullptr, session);
  CHECK(refused.status == 409);
  CHECK(body_of(refused)["error"]["code"] == "conflict");
  CHECK(api.call("GET", "/api/providers/" + id, nullptr, session).status == 200);
  CHECK(api.call("DELETE", "/api/providers/" + id + "?force=true", nullptr, session).status == 204);
  CHECK(api.call("GET", "/api/providers/" + id, nullptr, session).status == 404);
  CHECK(api.call("DELETE", "/api/providers/" + id + "?force=true", nullptr, session).status == 404);
}

TEST_CASE("credentials that no longer open put the connection in error instead of being used",
          "[http][providers]") {
  fake_huggy huggy;
  api_fixture api{"sqlite", pointed_at(huggy)};
  auto session = api.register_user("hana@example.com");
  auto id = connect_huggy(api, session);
  {
    auto db = api.database().connect();
    auto sealed = std::get<std::string>(
        db->execute("SELECT credentials_ciphertext FROM providers WHERE id = $1", {std::stoll(id)})
            .rows.at(0)
            .at(0));
    sealed[sealed.size() - 2] = sealed[sealed.size() - 2] == 'A' ? 'B' : 'A';
    db->execute("UPDATE providers SET credentials_ciphertext = $1 WHERE id = $2",
                {sealed, std::stoll(id)});
  }
  // The connector that already runs holds the old credentials; a reload reads the tampered ones.
  CHECK(api.call("PUT", "/api/providers/" + id, {{"name", "Renamed"}}, session).status == 200);
  const auto calls_before = huggy.server().count("/v3/agents/profile");
  auto test = api.call("POST", "/api/providers/" + id + "/test-connection", nullptr, session);
  REQUIRE(test.status == 200);
  CHECK(body_of(test)["status"] == "error");
  CHECK(body_of(test)["error"].get<std::string>().find("decrypt") != std::string::npos);
  CHECK(huggy.server().count("/v3/agents/profile") == calls_before);
}
