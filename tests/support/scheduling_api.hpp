#pragma once

#include "domain/rfc3339.hpp"
#include "tests/support/api_fixture.hpp"
#include "tests/support/fake_huggy.hpp"
#include "tests/support/huggy_api.hpp"
#include "tests/support/polling.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

// What the scheduled-message API tests share: a user with a Huggy connection whose contacts are
// imported, on a service whose clock the test moves.

namespace schedulerd::testing {

/// The storage backends every scheduling API test runs on.
inline constexpr std::array<const char*, 2> both_backends{"sqlite", "postgres"};

/// A user with one working Huggy connection and its 45 contacts imported.
struct scheduling_user {
  /// The fake platform.
  fake_huggy huggy;
  /// The service.
  api_fixture api;
  /// The user's session token.
  std::string token;
  /// The connection's id.
  std::string provider;
  /// The imported contacts' ids, in name order.
  std::vector<std::string> contacts;

  /// Starts on `backend`; `tune` may change settings further (retry policy, limits) and
  /// `tune_options` what the service lets tests replace (intervals).
  explicit scheduling_user(const std::string& backend = "sqlite",
                           const std::function<void(config::service_config&)>& tune = {},
                           const std::function<void(app::service_options&)>& tune_options = {})
      : api{backend,
            [this, tune](config::service_config& settings) {
              pointed_at(huggy)(settings);
              settings.dispatch_backoff_base_ms = 1000;
              settings.dispatch_backoff_max_ms = 4000;
              if (tune) {
                tune(settings);
              }
            },
            tune_options} {
    token = api.register_user("owner@example.com");
    provider = connect_huggy(api, token);
    REQUIRE(
        api.call("POST", "/api/providers/" + provider + "/sync-contacts", nullptr, token).status ==
        202);
    // The import has ended, not only stored its last page: a test may start another one.
    REQUIRE(eventually([&] {
      const auto connection =
          body_of(api.call("GET", "/api/providers/" + provider, nullptr, token));
      if (connection["sync"]["status"] != "succeeded") {
        return false;
      }
      auto page = body_of(
          api.call("GET", "/api/providers/" + provider + "/contacts?per_page=100", nullptr, token));
      if (page["meta"]["total"] != 45) {
        return false;
      }
      contacts.clear();
      for (const auto& row : page["data"]) {
        contacts.push_back(row["id"].get<std::string>());
      }
      return true;
    }));
  }

  /// The service's time now, plus `ahead`, as RFC 3339.
  std::string at(std::chrono::milliseconds ahead) {
    return domain::format_rfc3339(api.clock().now_ms.load() + ahead.count());
  }

  /// The body of a create request to contact `index`, due `ahead` from now.
  nlohmann::json message_to(std::size_t index, std::chrono::milliseconds ahead,
                            const std::string& content = "Your order has shipped") {
    return {{"provider_id", provider},
            {"contact_id", contacts.at(index)},
            {"content", content},
            {"send_at", at(ahead)}};
  }

  /// Schedules a message (the test fails unless it is created); answers it.
  nlohmann::json schedule(std::size_t index, std::chrono::milliseconds ahead,
                          const std::string& content = "Your order has shipped") {
    auto created =
        api.call("POST", "/api/scheduled-messages", message_to(index, ahead, content), token);
    REQUIRE(created.status == 201);
    return body_of(created);
  }

  /// Schedules one batch to `contact_ids`, due `ahead` from now (the test fails unless it is
  /// accepted); answers the batch's id.
  std::string bulk(const std::vector<std::string>& contact_ids, std::chrono::milliseconds ahead,
                   const std::string& content = "Doors open at nine") {
    nlohmann::json body{{"provider_id", provider},
                        {"contact_ids", contact_ids},
                        {"content", content},
                        {"send_at", at(ahead)}};
    auto accepted = api.call("POST", "/api/scheduled-messages/bulk", body, token);
    REQUIRE(accepted.status == 202);
    return body_of(accepted)["batch"]["id"];
  }

  /// The message `id` as the API shows it now.
  nlohmann::json message(const std::string& id) {
    return body_of(api.call("GET", "/api/scheduled-messages/" + id, nullptr, token));
  }

  /// The events of message `id`, oldest first.
  std::vector<std::string> events(const std::string& id) {
    std::vector<std::string> names;
    // Kept in a variable: a range-for over a temporary's element would outlive the temporary.
    const auto logs =
        body_of(api.call("GET", "/api/scheduled-messages/" + id + "/logs", nullptr, token));
    for (const auto& row : logs["data"]) {
      names.push_back(row["event"].get<std::string>());
    }
    return names;
  }

  /// Waits until message `id` reaches `status`; answers it as it is then.
  nlohmann::json await_status(const std::string& id, const std::string& status,
                              std::chrono::milliseconds timeout = std::chrono::seconds{15}) {
    nlohmann::json now;
    eventually(
        [&] {
          now = message(id);
          return now["status"] == status;
        },
        timeout);
    return now;
  }

  /// The platform's id of imported contact `index` (the contact the fake Huggy sends to).
  std::int64_t external_id(std::size_t index) {
    auto page = body_of(
        api.call("GET", "/api/providers/" + provider + "/contacts?per_page=100", nullptr, token));
    for (const auto& row : page["data"]) {
      if (row["id"] == contacts.at(index)) {
        return std::stoll(row["external_id"].get<std::string>());
      }
    }
    FAIL("no such contact");
    return 0;
  }
};

}  // namespace schedulerd::testing
