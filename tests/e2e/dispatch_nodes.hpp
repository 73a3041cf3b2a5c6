#pragma once

// What the multi-node delivery tests share: the environment of a node, the user driving a node
// over HTTP (tests/support/remote_user.hpp), and the count of what the fake Huggy received.

#include "domain/clock.hpp"
#include "domain/rfc3339.hpp"
#include "tests/support/fake_huggy.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/polling.hpp"
#include "tests/support/remote_user.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace schedulerd::testing {

/// The key every node of a test shares (they read one database).
inline constexpr const char* app_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// The environment of a node: the database, the fake Huggy, a short lease (so a dead node's
/// claims come back within the test) with a lead under its half, and no rate limit worth the
/// name.
inline environment node_env(const test_database& db, const fake_huggy& huggy) {
  return {{"DATABASE_URL", db.url()},
          {"APP_KEY", app_key},
          {"HUGGY_API_BASE_URL", huggy.api_base_url()},
          {"HUGGY_AUTH_BASE_URL", huggy.auth_base_url()},
          {"DISPATCH_LEASE_MS", "4000"},
          {"DISPATCH_LEAD_MS", "1000"},  // under half the short lease
          {"DISPATCH_BACKOFF_BASE_MS", "200"},
          {"DISPATCH_BACKOFF_MAX_MS", "1000"},
          {"CONNECTOR_RATE_PER_SECOND", "100000"},
          {"CONNECTOR_MAX_IN_FLIGHT", "8"},
          {"RATE_LIMIT_PER_MINUTE", "1000000"},
          {"RATE_LIMIT_AUTH_PER_MINUTE", "1000"}};
}

/// How many contacts received nothing, and how many texts were repeats.
inline std::pair<std::size_t, std::size_t> missing_and_repeated(const fake_huggy& huggy,
                                                                std::int64_t contact_count) {
  std::size_t missing = 0;
  std::size_t repeated = 0;
  const auto counts = huggy.sends_per_contact();
  for (std::int64_t index = 0; index < contact_count; ++index) {
    const auto found = counts.find(fake_huggy::contact_id(index));
    const auto sends = found == counts.end() ? std::size_t{0} : found->second;
    missing += sends == 0 ? 1 : 0;
    repeated += sends > 1 ? sends - 1 : 0;
  }
  return {missing, repeated};
}

}  // namespace schedulerd::testing
