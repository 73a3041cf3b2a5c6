// Delivery across process deaths and nodes, with the real binary: a node killed mid-dispatch
// loses nothing, and two nodes on one PostgreSQL send each message exactly once.

#include "domain/clock.hpp"
#include "domain/rfc3339.hpp"
#include "tests/e2e/service_logs.hpp"
#include "tests/support/fake_huggy.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/polling.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <csignal>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

constexpr const char* app_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

// The environment of a node: the database, the fake Huggy, a short lease (so a dead node's
// claims come back within the test) and no rate limit worth the name.
testing::environment node_env(const testing::test_database& db, const testing::fake_huggy& huggy) {
  return {{"DATABASE_URL", db.url()},
          {"APP_KEY", app_key},
          {"HUGGY_API_BASE_URL", huggy.api_base_url()},
          {"HUGGY_AUTH_BASE_URL", huggy.auth_base_url()},
          {"DISPATCH_LEASE_MS", "4000"},
          {"DISPATCH_BACKOFF_BASE_MS", "200"},
          {"DISPATCH_BACKOFF_MAX_MS", "1000"},
          {"CONNECTOR_RATE_PER_SECOND", "100000"},
          {"CONNECTOR_MAX_IN_FLIGHT", "8"},
          {"RATE_LIMIT_PER_MINUTE", "1000000"},
          {"RATE_LIMIT_AUTH_PER_MINUTE", "1000"}};
}

nlohmann::json json_of(const providers::outbound_response& res) {
  return nlohmann::json::parse(res.body, nullptr, false);
}

// A user driving a node over HTTP: registers, connects Huggy, imports the contacts.
struct remote_user {
  std::string base;
  std::string token;
  std::string provider;
  std::vector<std::string> contacts;

  [[nodiscard]] providers::outbound_response call(const std::string& method,
                                                  const std::string& path,
                                                  const nlohmann::json& body = nullptr) const {
    return testing::call(
        method, base + path, body.is_null() ? std::string{} : body.dump(),
        {{"authorization", "Bearer " + token}, {"content-type", "application/json"}});
  }

  remote_user(std::string url, std::int64_t contact_count) : base(std::move(url)) {
    auto registered = testing::post_json(base + "/api/auth/register",
                                         nlohmann::json{{"name", "Owner"},
                                                        {"email", "owner@example.com"},
                                                        {"password", "correct horse battery"}}
                                             .dump());
    REQUIRE(registered.status == 201);
    token = json_of(registered)["token"];
    auto connected = call("POST", "/api/providers",
                          {{"type", "huggy"},
                           {"name", "Support"},
                           {"credentials", {{"access_token", testing::fake_huggy::access_token}}},
                           {"settings", {{"send_mode", "chat"}}}});
    REQUIRE(connected.status == 201);
    provider = json_of(connected)["id"];
    REQUIRE(call("POST", "/api/providers/" + provider + "/sync-contacts").status == 202);
    REQUIRE(testing::eventually(
        [&] {
          return json_of(call("GET", "/api/providers/" + provider))["sync"]["status"] ==
                 "succeeded";
        },
        60s));
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

  // Schedules one text to every contact, due `ahead` from now (the real clock).
  [[nodiscard]] std::string schedule_all(std::chrono::milliseconds ahead) const {
    auto due = domain::format_rfc3339(domain::system_now_ms() + ahead.count());
    const nlohmann::json body{{"provider_id", provider},
                              {"contact_ids", contacts},
                              {"content", "Doors open at nine"},
                              {"send_at", due}};
    auto accepted = call("POST", "/api/scheduled-messages/bulk", body);
    REQUIRE(accepted.status == 202);
    return json_of(accepted)["batch"]["id"];
  }

  [[nodiscard]] nlohmann::json batch(const std::string& id) const {
    return json_of(call("GET", "/api/batches/" + id));
  }
};

// Every contact that received nothing, and every one that received more than one text.
std::pair<std::size_t, std::size_t> missing_and_repeated(const testing::fake_huggy& huggy,
                                                         std::int64_t contact_count) {
  std::size_t missing = 0;
  std::size_t repeated = 0;
  for (std::int64_t index = 0; index < contact_count; ++index) {
    const auto sends = huggy.sends_to(testing::fake_huggy::contact_id(index));
    missing += sends == 0 ? 1 : 0;
    repeated += sends > 1 ? sends - 1 : 0;
  }
  return {missing, repeated};
}

// A node stopped by `sig` while it sends one text to each of `contact_count` contacts (slowly,
// so some are in flight), then a fresh node on the same database; answers how many texts each
// contact got once the batch is all sent, and the second node's log.
struct interrupted_dispatch {
  static constexpr std::int64_t contact_count = 60;
  testing::fake_huggy huggy;
  testing::test_database db = testing::test_database::sqlite();
  std::optional<int> exit_code;
  std::size_t delivered_before_restart = 0;
  bool all_sent = false;
  std::string restarted_log;

  explicit interrupted_dispatch(int sig) {
    huggy.set_contact_count(contact_count);
    auto first = std::make_unique<testing::service_process>(node_env(db, huggy));
    remote_user user{first->base_url(), contact_count};
    huggy.set_latency(150ms);
    const auto batch = user.schedule_all(1s);
    REQUIRE(testing::eventually([&] { return huggy.deliveries().size() >= 10; }, 30s));
    first->signal(sig);
    exit_code = first->wait_exit(30s);
    REQUIRE(exit_code.has_value());
    delivered_before_restart = huggy.deliveries().size();
    first.reset();
    testing::service_process second{node_env(db, huggy)};
    user.base = second.base_url();
    all_sent = testing::eventually(
        [&] { return user.batch(batch)["counts"]["sent"] == contact_count; }, 60s);
    restarted_log = second.stderr_text();
  }
};

}  // namespace

TEST_CASE("a node killed mid-dispatch loses nothing, and its restart sends the rest",
          "[e2e][dispatch]") {
  interrupted_dispatch run{SIGKILL};
  INFO("delivered before the kill: " << run.delivered_before_restart);
  CHECK(run.delivered_before_restart <
        static_cast<std::size_t>(interrupted_dispatch::contact_count));
  CHECK(run.all_sent);
  auto [missing, repeated] = missing_and_repeated(run.huggy, interrupted_dispatch::contact_count);
  CHECK(missing == 0);
  // Only a send in flight when the node died may go out twice (at most the connector's cap).
  CHECK(repeated <= 8);
  CHECK_FALSE(testing::events_named(run.restarted_log, "leases_recovered").empty());
}

TEST_CASE("SIGTERM mid-dispatch gives unsent claims back and the restart delivers them",
          "[e2e][dispatch]") {
  interrupted_dispatch run{SIGTERM};
  CHECK(*run.exit_code == 0);
  CHECK(run.all_sent);
  auto [missing, repeated] = missing_and_repeated(run.huggy, interrupted_dispatch::contact_count);
  CHECK(missing == 0);
  CHECK(repeated == 0);  // a graceful stop finishes or gives back every claim: no duplicates
}

TEST_CASE("two nodes on one PostgreSQL share 5,000 messages and send each exactly once",
          "[e2e][dispatch][postgres]") {
  constexpr std::int64_t contact_count = 5000;
  testing::fake_huggy huggy;
  huggy.set_contact_count(contact_count);
  auto db = testing::test_database::postgres();
  testing::service_process first{node_env(db, huggy)};
  testing::service_process second{node_env(db, huggy)};
  remote_user user{first.base_url(), contact_count};
  const auto batch = user.schedule_all(3s);
  CHECK(testing::eventually([&] { return user.batch(batch)["counts"]["sent"] == contact_count; },
                            120s, 50ms));
  auto [missing, repeated] = missing_and_repeated(huggy, contact_count);
  CHECK(missing == 0);
  CHECK(repeated == 0);
  CHECK(huggy.deliveries().size() == static_cast<std::size_t>(contact_count));
  // Both nodes took part: each claim's event names the node that made it.
  auto owners = db.connect()->execute(
      "SELECT COUNT(DISTINCT detail) FROM message_events WHERE event = 'dispatched'");
  CHECK(std::get<std::int64_t>(owners.rows.at(0).at(0)) == 2);
}
