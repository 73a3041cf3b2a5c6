#include "tests/support/fake_huggy.hpp"

#include "providers/http_client.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using schedulerd::providers::outbound_request;
using schedulerd::providers::outbound_response;
using schedulerd::testing::fake_huggy;

namespace {

outbound_response call(const std::string& method, const std::string& url,
                       const std::string& body = {},
                       const std::string& token = fake_huggy::access_token,
                       const std::string& content_type = "application/json") {
  outbound_request request;
  request.method = method;
  request.url = url;
  request.body = body;
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  if (!body.empty()) request.headers.emplace_back("Content-Type", content_type);
  return schedulerd::providers::send(request);
}

nlohmann::json json_of(const outbound_response& response) {
  return nlohmann::json::parse(response.body);
}

}  // namespace

TEST_CASE("the fake Huggy serves 50,000 contacts page by page without holding them",
          "[support][huggy]") {
  fake_huggy huggy;
  huggy.set_contact_count(50'000);
  const auto first = json_of(call("GET", huggy.api_base_url() + "/contacts?page=0"));
  REQUIRE(first.size() == 20);
  CHECK(first[0]["name"] == "José Silva");
  CHECK(first[0]["id"] == fake_huggy::first_contact_id);
  CHECK(first[3]["email"].is_null());
  CHECK(json_of(call("GET", huggy.api_base_url() + "/contacts?page=2499")).size() == 20);
  CHECK(json_of(call("GET", huggy.api_base_url() + "/contacts?page=2500")) ==
        nlohmann::json::array());
  const auto found = json_of(
      call("GET", huggy.api_base_url() + "/contacts?phone=" + fake_huggy::contact_phone(49'999)));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["id"] == fake_huggy::contact_id(49'999));
  CHECK(json_of(call("GET", huggy.api_base_url() + "/contacts?phone=%2B" +
                                fake_huggy::contact_phone(1))) == nlohmann::json::array());
}

TEST_CASE("the fake Huggy refuses a missing or unknown token like league/oauth2-server",
          "[support][huggy]") {
  fake_huggy huggy;
  const auto missing = call("GET", huggy.api_base_url() + "/agents/profile", {}, "");
  CHECK(missing.status == 401);
  CHECK(
      json_of(missing) ==
      nlohmann::json{{"error", "access_denied"},
                     {"message", "The resource owner or authorization server denied the request."},
                     {"hint", "Missing \"Authorization\" header"}});
  const auto garbage = call("GET", huggy.api_base_url() + "/agents/profile", {}, "garbage");
  CHECK(json_of(garbage)["hint"] == "The JWT string must have two dots");
  huggy.revoke_token(fake_huggy::access_token);
  CHECK(call("GET", huggy.api_base_url() + "/agents/profile").status == 401);
}

TEST_CASE("the fake Huggy's token endpoint takes JSON or a form and rotates refresh tokens",
          "[support][huggy]") {
  fake_huggy huggy;
  const auto url = huggy.auth_base_url() + "/oauth/access_token";
  const auto form = std::string{"grant_type=refresh_token&refresh_token="} +
                    fake_huggy::refresh_token + "&client_id=" + fake_huggy::client_id +
                    "&client_secret=" + fake_huggy::client_secret;
  const auto granted = call("POST", url, form, "", "application/x-www-form-urlencoded");
  REQUIRE(granted.status == 200);
  const auto tokens = json_of(granted);
  CHECK(tokens["token_type"] == "Bearer");
  CHECK(tokens["expires_in"] == 180 * 24 * 3600);
  CHECK(call("GET", huggy.api_base_url() + "/agents/profile", {},
             tokens["access_token"].get<std::string>())
            .status == 200);
  CHECK(call("GET", huggy.api_base_url() + "/agents/profile").status == 401);  // old one revoked

  const auto reused = call("POST", url, form, "", "application/x-www-form-urlencoded");
  CHECK(reused.status == 400);
  CHECK(json_of(reused)["hint"] == "Token has been revoked");

  const auto unsupported = call("POST", url, R"({"grant_type":"password"})", "");
  CHECK(unsupported.status == 400);
  CHECK(json_of(unsupported)["error"] == "unsupported_grant_type");
  const auto bad_client = call("POST", url,
                               nlohmann::json{{"grant_type", "authorization_code"},
                                              {"code", "x"},
                                              {"client_id", fake_huggy::client_id},
                                              {"client_secret", "wrong"}}
                                   .dump(),
                               "");
  CHECK(bad_client.status == 401);
  CHECK(json_of(bad_client)["error"] == "invalid_client");
}

TEST_CASE("the fake Huggy's authorize page redirects with a code, or with a refusal",
          "[support][huggy]") {
  fake_huggy huggy;
  const auto url = huggy.auth_base_url() +
                   "/oauth/authorize?response_type=code&client_id=" + fake_huggy::client_id +
                   "&redirect_uri=http%3A%2F%2Fapp.test%2Fcb&state=xyz";
  const auto approved = call("GET", url, {}, "");
  CHECK(approved.status == 302);
  CHECK(std::string{approved.header("location").value_or("")}.rfind(
            "http://app.test/cb?code=def50200", 0) == 0);
  huggy.deny_consent(true);
  const auto denied = call("GET", url, {}, "");
  CHECK(std::string{denied.header("location").value_or("")}.rfind(
            "http://app.test/cb?error=access_denied", 0) == 0);
}

TEST_CASE("injected failures fire the given number of times, then the fake recovers",
          "[support][huggy]") {
  fake_huggy huggy;
  huggy.fail_next("/agents", 429, 2, "17");
  const auto limited = call("GET", huggy.api_base_url() + "/agents/profile");
  CHECK(limited.status == 429);
  CHECK(limited.header("retry-after") == "17");
  CHECK(call("GET", huggy.api_base_url() + "/agents/profile").status == 429);
  CHECK(call("GET", huggy.api_base_url() + "/agents/profile").status == 200);

  huggy.fail_contacts_page(1, 503, fake_huggy::always);
  CHECK(call("GET", huggy.api_base_url() + "/contacts?page=0").status == 200);
  CHECK(call("GET", huggy.api_base_url() + "/contacts?page=1").status == 503);
  CHECK(call("GET", huggy.api_base_url() + "/contacts?page=1").status == 503);
  huggy.clear_failures();
  CHECK(call("GET", huggy.api_base_url() + "/contacts?page=1").status == 200);
}

TEST_CASE("the fake Huggy counts the texts each contact received", "[support][huggy]") {
  fake_huggy huggy;
  const auto contact = fake_huggy::contact_id(9);
  const auto chat = huggy.add_chat(contact, "auto");
  const auto messages = huggy.api_base_url() + "/chats/" + std::to_string(chat) + "/messages";
  const auto refused = call("POST", messages, R"({"text":"Oi"})");
  CHECK(refused.status == 403);
  CHECK(json_of(refused)["reason"] == "Desculpe, você não tem permissão");
  huggy.set_situation(chat, "in_chat");
  CHECK(call("POST", messages, R"({"text":""})").status == 400);
  CHECK(call("POST", messages, R"({"text":"Oi"})").status == 201);
  CHECK(call("POST",
             huggy.api_base_url() + "/companies/38291/chats/" + std::to_string(chat) + "/messages",
             R"({"text":"De novo"})")
            .status == 201);
  CHECK(huggy.sends_to(contact) == 2);
  CHECK(huggy.sends_to(fake_huggy::contact_id(10)) == 0);
  CHECK(huggy.deliveries().back().company_id == std::string{fake_huggy::company_id});
}
