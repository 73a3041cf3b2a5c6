#include "providers/huggy/type.hpp"

#include "providers/huggy/fields.hpp"
#include "tests/support/fake_huggy.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using schedulerd::field_errors;
using schedulerd::domain::field_values;
using schedulerd::testing::fake_huggy;
namespace huggy = schedulerd::providers::huggy;

namespace {

const field_values token_only{{"access_token", fake_huggy::access_token}};

field_errors check(const field_values& credentials, const field_values& settings = {}) {
  return huggy::type().validate(credentials, settings);
}

std::vector<std::string> keys(const field_errors& errors) {
  std::vector<std::string> out;
  for (const auto& [key, messages] : errors) out.push_back(key);
  return out;
}

}  // namespace

TEST_CASE("the Huggy type describes its fields and offers OAuth", "[providers][huggy]") {
  const auto type = huggy::type();
  CHECK(type.info.type == "huggy");
  CHECK(type.info.name == "Huggy");
  CHECK(type.info.supports_oauth);
  std::vector<std::string> secrets;
  std::vector<std::string> names;
  for (const auto& field : type.info.credential_fields) {
    names.push_back(field.name);
    if (field.secret) secrets.push_back(field.name);
  }
  CHECK(names ==
        std::vector<std::string>{"access_token", "refresh_token", "client_id", "client_secret"});
  CHECK(secrets == std::vector<std::string>{"access_token", "refresh_token", "client_secret"});
  const auto& settings = type.info.settings_fields;
  const auto mode = std::find_if(settings.begin(), settings.end(),
                                 [](const auto& field) { return field.name == "send_mode"; });
  REQUIRE(mode != settings.end());
  CHECK(mode->choices == std::vector<std::string>{"chat", "flow"});
  CHECK(type.make_connector != nullptr);
  CHECK(type.make_oauth_flow != nullptr);
}

TEST_CASE("Huggy credentials are a token or an OAuth app", "[providers][huggy]") {
  CHECK(check(token_only).empty());
  CHECK(check({{"access_token", "  a.b.c  "}, {"refresh_token", "def502"}}).empty());
  CHECK(check({{"client_id", fake_huggy::client_id}, {"client_secret", "s3cret"}}).empty());
  CHECK(check({{"access_token", "a.b.c"}, {"expires_at", "1750000000000"}}).empty());

  CHECK(keys(check({})) == std::vector<std::string>{"credentials.access_token"});
  CHECK(keys(check({{"access_token", "   "}})) ==
        std::vector<std::string>{"credentials.access_token"});
  CHECK(keys(check({{"client_id", "APP-1"}})) ==
        std::vector<std::string>{"credentials.client_secret"});
  CHECK(keys(check({{"access_token", "a.b.c"}, {"client_secret", "s"}})) ==
        std::vector<std::string>{"credentials.client_id"});
  CHECK(keys(check({{"access_token", "two words"}})) ==
        std::vector<std::string>{"credentials.access_token"});
  CHECK(keys(check({{"access_token", std::string(4097, 'a')}})) ==
        std::vector<std::string>{"credentials.access_token"});
  CHECK(keys(check({{"access_token", "a.b.c"}, {"expires_at", "soon"}})) ==
        std::vector<std::string>{"credentials.expires_at"});
  CHECK(keys(check({{"access_token", "a.b.c"}, {"password", "x"}})) ==
        std::vector<std::string>{"credentials.password"});
}

TEST_CASE("Huggy settings choose a company and how texts go out", "[providers][huggy]") {
  CHECK(check(token_only, {{"company_id", " 38291 "}, {"send_mode", "chat"}}).empty());
  CHECK(check(token_only, {{"send_mode", "flow"},
                           {"flow_id", "4321"},
                           {"channel_uuid", fake_huggy::channel_uuid}})
            .empty());

  CHECK(keys(check(token_only, {{"company_id", "38-291"}})) ==
        std::vector<std::string>{"settings.company_id"});
  CHECK(keys(check(token_only, {{"send_mode", "sms"}})) ==
        std::vector<std::string>{"settings.send_mode"});
  CHECK(keys(check(token_only, {{"send_mode", "flow"}})) ==
        std::vector<std::string>{"settings.channel_uuid", "settings.flow_id"});
  CHECK(
      keys(check(token_only, {{"send_mode", "flow"}, {"flow_id", "12a"}, {"channel_uuid", "x"}})) ==
      std::vector<std::string>{"settings.flow_id"});
  CHECK(keys(check(token_only, {{"channel_uuid", "not a uuid"}})) ==
        std::vector<std::string>{"settings.channel_uuid"});
  CHECK(keys(check(token_only, {{"webhook", "https://x"}})) ==
        std::vector<std::string>{"settings.webhook"});
}

TEST_CASE("errors in credentials and settings are reported together", "[providers][huggy]") {
  const auto errors = check({}, {{"send_mode", "sms"}});
  CHECK(keys(errors) == std::vector<std::string>{"credentials.access_token", "settings.send_mode"});
  CHECK(errors.at("settings.send_mode") == std::vector<std::string>{"must be chat or flow"});
}
