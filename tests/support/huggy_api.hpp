#pragma once

#include "config/service_config.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/fake_huggy.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <string>

// What the provider API tests share: a service pointed at a fake Huggy, and connections on it.

namespace schedulerd::testing {

/// Points the service's Huggy endpoints at `huggy`; its import paces itself at 1,000 calls/s so
/// that tests need not wait for the rate limit.
inline std::function<void(config::service_config&)> pointed_at(const fake_huggy& huggy) {
  return [&huggy](config::service_config& settings) {
    settings.huggy_api_base_url = huggy.api_base_url();
    settings.huggy_auth_base_url = huggy.auth_base_url();
    settings.connector_rate_per_second = 1000;
  };
}

/// The body of `POST /api/providers` for a Huggy connection holding `credentials`.
inline nlohmann::json huggy_connection_with(const nlohmann::json& credentials,
                                            const std::string& name = "Support") {
  return {{"type", "huggy"},
          {"name", name},
          {"credentials", credentials},
          {"settings", {{"send_mode", "chat"}}}};
}

/// The body of `POST /api/providers` for a Huggy connection with a pasted access token.
inline nlohmann::json huggy_connection(const std::string& access_token) {
  return huggy_connection_with({{"access_token", access_token}});
}

/// Creates a connection for the user of `token` (the test fails unless it is created) and
/// answers its id.
inline std::string connect_huggy(api_fixture& api, const std::string& token,
                                 const nlohmann::json& body = huggy_connection(std::string{
                                     fake_huggy::access_token})) {
  auto created = api.call("POST", "/api/providers", body, token);
  REQUIRE(created.status == 201);
  return body_of(created)["id"].get<std::string>();
}

}  // namespace schedulerd::testing
