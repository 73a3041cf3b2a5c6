#pragma once

#include "providers/connector.hpp"
#include "providers/huggy/connector.hpp"
#include "tests/support/fake_huggy.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>

// A fake Huggy, an injected clock, and connectors built against them, for the huggy tests.

namespace schedulerd::testing {

/// The value of a call that must have succeeded (the test fails with the error otherwise); a
/// copy, so it outlives the result it came from.
template <class T>
T value_of(const providers::call_result<T>& result) {
  if (const auto* error = std::get_if<providers::call_error>(&result)) {
    FAIL("the call failed: " << error->message);
  }
  return std::get<T>(result);
}

/// The error of a call that must have failed (a copy, like value_of).
template <class T>
providers::call_error error_of(const providers::call_result<T>& result) {
  REQUIRE(std::holds_alternative<providers::call_error>(result));
  return std::get<providers::call_error>(result);
}

/// A fake Huggy and the clock its connectors read.
struct huggy_connection {
  fake_huggy huggy;
  /// What the injected clock answers, ms since the epoch.
  std::int64_t now_ms = 1'750'000'000'000;
  /// The whole-call timeout connectors get.
  std::chrono::milliseconds timeout{5000};

  /// The environment pointing at the fake, with the injected clock.
  [[nodiscard]] providers::connector_environment environment() {
    return {huggy.api_base_url(), huggy.auth_base_url(), timeout, [this] { return now_ms; }};
  }

  /// A connector with `credentials` (the fake's valid token when empty) and `settings`.
  std::unique_ptr<providers::connector> connect(domain::field_values credentials = {},
                                                const domain::field_values& settings = {}) {
    if (credentials.empty()) credentials = {{"access_token", fake_huggy::access_token}};
    return providers::huggy::make_connector(std::move(credentials), settings, environment());
  }

  /// Credentials whose access token Huggy no longer accepts, with a working refresh token.
  static domain::field_values stale_credentials() {
    return {{"access_token", "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiI0MjQyIn0.ZXhwaXJlZA"},
            {"refresh_token", fake_huggy::refresh_token},
            {"client_id", fake_huggy::client_id},
            {"client_secret", fake_huggy::client_secret}};
  }
};

}  // namespace schedulerd::testing
