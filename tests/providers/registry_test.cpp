#include "providers/registry.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using schedulerd::domain::field_values;
using schedulerd::providers::builtin_registry;
using schedulerd::providers::connector;
using schedulerd::providers::connector_environment;
using schedulerd::providers::provider_endpoints;
using schedulerd::providers::provider_type;
using schedulerd::providers::registry;

namespace {

// A whole second platform, as a test sees it: a description and a check; no connector yet.
provider_type echo_type(std::string name = "Echo") {
  provider_type type;
  type.info.type = "echo";
  type.info.name = std::move(name);
  type.info.credential_fields = {{"api_key", "API key", true, true, {}, "The key."}};
  type.validate = [](const field_values& credentials, const field_values&) {
    schedulerd::field_errors errors;
    if (!credentials.contains("api_key")) errors["credentials.api_key"].push_back("is required");
    return errors;
  };
  return type;
}

std::vector<std::string> names(const registry& types) {
  std::vector<std::string> out;
  for (const auto& info : types.list()) out.push_back(info.type);
  return out;
}

}  // namespace

TEST_CASE("the built-in registry holds Huggy with the configured endpoints", "[providers]") {
  provider_endpoints endpoints;
  endpoints.huggy_api_base_url = "http://127.0.0.1:9/v3";
  endpoints.huggy_auth_base_url = "http://127.0.0.1:9";
  endpoints.timeout = 1234ms;
  endpoints.now = [] { return std::int64_t{42}; };
  const auto types = builtin_registry(endpoints);

  CHECK(names(types) == std::vector<std::string>{"huggy"});
  const auto* huggy = types.find("huggy");
  REQUIRE(huggy != nullptr);
  CHECK(huggy->info.name == "Huggy");
  const auto& environment = types.environment("huggy");
  CHECK(environment.api_base_url == "http://127.0.0.1:9/v3");
  CHECK(environment.auth_base_url == "http://127.0.0.1:9");
  CHECK(environment.timeout == 1234ms);
  CHECK(environment.now() == 42);
  CHECK(huggy->make_connector({{"access_token", "a.b.c"}}, {}, environment) != nullptr);

  CHECK(types.find("nope") == nullptr);
  CHECK(types.environment("nope").api_base_url.empty());
}

TEST_CASE("a second provider type is one registration away", "[providers]") {
  auto types = builtin_registry({});
  types.add(echo_type(), connector_environment{"http://echo.test", "", 1s});

  CHECK(names(types) == std::vector<std::string>{"echo", "huggy"});  // ordered by type
  const auto* echo = types.find("echo");
  REQUIRE(echo != nullptr);
  CHECK(echo->validate({}, {}).count("credentials.api_key") == 1);
  CHECK(echo->make_oauth_flow == nullptr);
  CHECK(types.environment("echo").api_base_url == "http://echo.test");

  types.add(echo_type("Echo 2"), {});
  CHECK(types.find("echo")->info.name == "Echo 2");  // the later registration wins
  CHECK(types.list().size() == 2);
}
