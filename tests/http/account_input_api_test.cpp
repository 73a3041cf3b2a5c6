#include "tests/support/api_fixture.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace schedulerd;
using testing::api_fixture;
using testing::body_of;

namespace {

providers::outbound_response register_as(api_fixture& api, const std::string& name,
                                         const std::string& email, const std::string& password) {
  return api.call("POST", "/api/auth/register",
                  {{"name", name}, {"email", email}, {"password", password}});
}

}  // namespace

TEST_CASE("registering with a password from the common-password list answers 422 on password",
          "[http][auth]") {
  api_fixture api;
  auto res = register_as(api, "Ada", "ada@example.com", "12345678");
  INFO(res.body);
  REQUIRE(res.status == 422);
  const auto error = body_of(res)["error"];
  CHECK(error["code"] == "validation_failed");
  CHECK(error["details"] == nlohmann::json::parse(R"({"password": ["is too common"]})"));
  // Nothing was stored: the email is still free.
  api.register_user("ada@example.com", "a long and private passphrase");
}

TEST_CASE("a registered name is stored without the white space around it", "[http][auth]") {
  api_fixture api;
  auto res = register_as(api, " Ada Lovelace\t", "ada@example.com", "correct horse");
  INFO(res.body);
  REQUIRE(res.status == 201);
  CHECK(body_of(res)["user"]["name"] == "Ada Lovelace");
  auto me = api.call("GET", "/api/auth/me", nullptr, body_of(res)["token"]);
  CHECK(body_of(me)["user"]["name"] == "Ada Lovelace");
}

TEST_CASE("a name with a right-to-left override answers 422 on name", "[http][auth]") {
  api_fixture api;
  // "Ada" U+202E "gpj.exe": shown as "Adaexe.jpg".
  auto res = register_as(api, "Ada\xE2\x80\xAEgpj.exe", "ada@example.com", "correct horse");
  INFO(res.body);
  REQUIRE(res.status == 422);
  const auto details = body_of(res)["error"]["details"];
  CHECK(details.size() == 1);
  CHECK(details.contains("name"));
}
