#include "providers/huggy/oauth_flow.hpp"

#include "providers/http_client.hpp"
#include "tests/providers/huggy/huggy_connection.hpp"
#include "tests/support/fake_oauth_grants.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

using schedulerd::providers::failure_kind;
using schedulerd::testing::error_of;
using schedulerd::testing::fake_huggy;
using schedulerd::testing::follow_consent;
using schedulerd::testing::huggy_connection;
using schedulerd::testing::parse_form;
using schedulerd::testing::value_of;

namespace {

const std::string callback = "http://127.0.0.1:8080/api/providers/oauth/huggy/callback";

const schedulerd::domain::field_values app{{"client_id", fake_huggy::client_id},
                                           {"client_secret", fake_huggy::client_secret}};

// What a browser does with the authorize URL: the fake approves at once and redirects back.
std::map<std::string, std::string> visit(const std::string& url) {
  const auto location = follow_consent(url);
  REQUIRE(location.rfind(callback + "?", 0) == 0);
  return parse_form(location.substr(callback.size() + 1));
}

}  // namespace

TEST_CASE_METHOD(huggy_connection, "the authorize URL is Huggy's, with every value encoded",
                 "[providers][huggy]") {
  schedulerd::providers::huggy::oauth_flow flow{environment()};
  const auto url = flow.authorize_url(app, callback, "s t&1");
  CHECK(url ==
        huggy.auth_base_url() +
            "/oauth/authorize?scope=install_app%20read_agent_profile&response_type=code"
            "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2Fapi%2Fproviders%2Foauth%2Fhuggy"
            "%2Fcallback&client_id=APP-5b0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d&state=s%20t%261");
  const auto back = visit(url);
  CHECK(back.at("state") == "s t&1");
  CHECK(back.at("code").rfind("def50200", 0) == 0);
  CHECK(huggy.authorize_params().at("scope") == "install_app read_agent_profile");
}

TEST_CASE_METHOD(huggy_connection, "a code is exchanged for tokens that work",
                 "[providers][huggy]") {
  auto flow = schedulerd::providers::huggy::make_oauth_flow(environment());
  const auto code = visit(flow->authorize_url(app, callback, "st")).at("code");
  const auto credentials = value_of(flow->exchange_code(app, code, callback));
  CHECK(credentials.at("client_id") == fake_huggy::client_id);
  CHECK(credentials.at("client_secret") == fake_huggy::client_secret);
  CHECK(credentials.at("refresh_token").rfind("def50200", 0) == 0);
  CHECK(credentials.at("expires_at") == std::to_string(now_ms + 180LL * 24 * 3600 * 1000));

  const auto requests = huggy.server().requests();
  const auto body = nlohmann::json::parse(requests.back().body);
  CHECK(body == nlohmann::json{{"grant_type", "authorization_code"},
                               {"code", code},
                               {"client_id", fake_huggy::client_id},
                               {"client_secret", fake_huggy::client_secret},
                               {"redirect_uri", callback}});
  CHECK(requests.back().header("content-type") == "application/json");
  CHECK(value_of(connect(credentials)->test_connection()).account == "Ana Atendente");

  const auto& reused = error_of(flow->exchange_code(app, code, callback));
  CHECK(reused.kind == failure_kind::rejected_credentials);
  CHECK(reused.message.find("Authorization code has been revoked") != std::string::npos);
}

TEST_CASE_METHOD(huggy_connection, "a code exchange with the wrong app secret is refused",
                 "[providers][huggy]") {
  auto flow = schedulerd::providers::huggy::make_oauth_flow(environment());
  const auto code = visit(flow->authorize_url(app, callback, "st")).at("code");
  auto wrong = app;
  wrong["client_secret"] = "00000000-0000-4000-8000-000000000000";
  const auto& error = error_of(flow->exchange_code(wrong, code, callback));
  CHECK(error.kind == failure_kind::rejected_credentials);
  CHECK(error.http_status == 401);
  CHECK(error.message.find(wrong["client_secret"]) == std::string::npos);

  const auto& incomplete = error_of(flow->exchange_code({}, code, callback));
  CHECK(incomplete.kind == failure_kind::permanent);
}
