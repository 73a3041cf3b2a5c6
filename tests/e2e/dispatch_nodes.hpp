#pragma once

// What the multi-node delivery tests share: the environment of a node, a user driving a node
// over HTTP, and the count of what the fake Huggy received.

#include "domain/clock.hpp"
#include "domain/rfc3339.hpp"
#include "tests/support/fake_huggy.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/polling.hpp"
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

/// The JSON body of a response (discarded when it is not JSON).
inline nlohmann::json json_of(const providers::outbound_response& res) {
  return nlohmann::json::parse(res.body, nullptr, false);
}

/// A user driving a node over HTTP: registers, connects Huggy, imports the contacts.
struct remote_user {
  /// The node's root URL.
  std::string base;
  /// The user's session token.
  std::string token;
  /// The connection's id.
  std::string provider;
  /// The imported contacts' ids.
  std::vector<std::string> contacts;

  /// Calls the node as the user, waiting up to `timeout` for the answer.
  [[nodiscard]] providers::outbound_response call(
      const std::string& method, const std::string& path, const nlohmann::json& body = nullptr,
      std::chrono::milliseconds timeout = std::chrono::seconds{10}) const {
    return testing::call(
        method, base + path, body.is_null() ? std::string{} : body.dump(),
        {{"authorization", "Bearer " + token}, {"content-type", "application/json"}}, timeout);
  }

  /// Registers on the node at `url`, connects Huggy with `settings` and imports its first
  /// `contact_count` contacts.
  remote_user(std::string url, std::int64_t contact_count,
              const nlohmann::json& settings = {{"send_mode", "chat"}})
      : base(std::move(url)) {
    auto registered =
        post_json(base + "/api/auth/register", nlohmann::json{{"name", "Owner"},
                                                              {"email", "owner@example.com"},
                                                              {"password", "correct horse battery"}}
                                                   .dump());
    REQUIRE(registered.status == 201);
    token = json_of(registered)["token"];
    auto connected = call("POST", "/api/providers",
                          {{"type", "huggy"},
                           {"name", "Support"},
                           {"credentials", {{"access_token", fake_huggy::access_token}}},
                           {"settings", settings}});
    REQUIRE(connected.status == 201);
    provider = json_of(connected)["id"];
    REQUIRE(call("POST", "/api/providers/" + provider + "/sync-contacts").status == 202);
    REQUIRE(eventually(
        [&] {
          return json_of(call("GET", "/api/providers/" + provider))["sync"]["status"] ==
                 "succeeded";
        },
        std::chrono::seconds{60}));
    for (int page = 1; static_cast<std::int64_t>(contacts.size()) < contact_count; ++page) {
      auto rows =
          json_of(call("GET", "/api/providers/" + provider +
                                  "/contacts?per_page=100&page=" + std::to_string(page)))["data"];
      REQUIRE_FALSE(rows.empty());
      for (const auto& row : rows) {
        contacts.push_back(row["id"]);
      }
    }
  }

  /// Schedules one text to every contact, due `ahead` from now (the real clock); answers the batch.
  [[nodiscard]] std::string schedule_all(std::chrono::milliseconds ahead) const {
    auto due = domain::format_rfc3339(domain::system_now_ms() + ahead.count());
    const nlohmann::json body{{"provider_id", provider},
                              {"contact_ids", contacts},
                              {"content", "Doors open at nine"},
                              {"send_at", due}};
    // As long as the service itself gives a request: 10,000 rows on a busy machine take seconds.
    auto accepted = call("POST", "/api/scheduled-messages/bulk", body, std::chrono::seconds{30});
    REQUIRE(accepted.status == 202);
    return json_of(accepted)["batch"]["id"];
  }

  /// The batch `id` as the node shows it.
  [[nodiscard]] nlohmann::json batch(const std::string& id) const {
    return json_of(call("GET", "/api/batches/" + id));
  }
};

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
