#include "tests/support/api_fixture.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>
#include <string>

using namespace schedulerd;
using testing::api_fixture;
using testing::body_of;

namespace {

// A login with a wrong password, sent with `forwarded_for` as X-Forwarded-For when given.
providers::outbound_response failed_login(api_fixture& api, const std::string& forwarded_for = {}) {
  http::header_list headers;
  if (!forwarded_for.empty()) headers.emplace_back("x-forwarded-for", forwarded_for);
  return api.call("POST", "/api/auth/login",
                  {{"email", "nobody@example.com"}, {"password", "wrong-password"}}, {},
                  std::move(headers));
}

}  // namespace

TEST_CASE("login is limited per client address and says when to retry", "[http][ratelimit]") {
  api_fixture api{
      "sqlite", [](config::service_config& settings) { settings.rate_limit_auth_per_minute = 3; }};
  for (int i = 0; i < 3; ++i) {
    auto res = failed_login(api);
    CHECK(res.status == 401);
    CHECK(res.header("x-ratelimit-limit") == "3");
    CHECK(res.header("x-ratelimit-remaining") == std::to_string(2 - i));
  }
  auto refused = failed_login(api);
  CHECK(refused.status == 429);
  CHECK(body_of(refused)["error"]["code"] == "rate_limited");
  auto retry_after = std::stoi(std::string{refused.header("retry-after").value_or("0")});
  CHECK(retry_after >= 1);
  CHECK(retry_after <= 60);
  // Other endpoints keep their own, larger budget.
  CHECK(api.call("GET", "/api/health").status == 200);
}

TEST_CASE("API requests are limited per token", "[http][ratelimit]") {
  api_fixture api{"sqlite",
                  [](config::service_config& settings) { settings.rate_limit_per_minute = 5; }};
  auto alice = api.register_user("alice@example.com");
  auto bob = api.register_user("bob@example.com");
  int accepted = 0;
  for (int i = 0; i < 6; ++i) {
    accepted += api.call("GET", "/api/auth/me", nullptr, alice).status == 200 ? 1 : 0;
  }
  CHECK(accepted == 5);
  CHECK(api.call("GET", "/api/auth/me", nullptr, alice).status == 429);
  CHECK(api.call("GET", "/api/auth/me", nullptr, bob).status == 200);
}

TEST_CASE("with Redis, two nodes share one budget", "[http][ratelimit][redis]") {
  std::string redis = testing::test_redis_url();
  auto tune = [&redis](config::service_config& settings) {
    settings.redis_url = redis;
    settings.rate_limit_auth_per_minute = 4;
  };
  api_fixture first{"sqlite", tune};
  api_fixture second{"sqlite", tune};
  // Both nodes see the requests of 127.0.0.1; a fresh key space per run comes from the minute
  // window, so count what is accepted across both rather than assuming an empty window.
  int accepted = 0;
  for (int i = 0; i < 4; ++i) {
    accepted += failed_login(first).status == 401 ? 1 : 0;
    accepted += failed_login(second).status == 401 ? 1 : 0;
  }
  CHECK(accepted <= 4);
  CHECK(failed_login(second).status == 429);
  auto health = body_of(first.call("GET", "/api/health"));
  CHECK(health["checks"]["redis"] == "ok");
}

TEST_CASE("with Redis unreachable the service still serves, limits in process and says so",
          "[http][ratelimit][redis]") {
  api_fixture api{"sqlite", [](config::service_config& settings) {
                    settings.redis_url = "redis://127.0.0.1:1/0";
                    settings.rate_limit_auth_per_minute = 2;
                  }};
  auto health = api.call("GET", "/api/health");
  CHECK(health.status == 200);
  CHECK(body_of(health)["checks"]["redis"] == "down");
  CHECK(failed_login(api).status == 401);
  CHECK(failed_login(api).status == 401);
  CHECK(failed_login(api).status == 429);
}

TEST_CASE("behind a trusted proxy each forwarded client has its own budget and log entry",
          "[http][ratelimit][forwarded]") {
  api_fixture api{"sqlite", [](config::service_config& settings) {
                    settings.rate_limit_auth_per_minute = 2;
                    settings.trusted_proxies = *domain::parse_address_ranges("loopback");
                  }};
  auto login_from = [&api](const std::string& client) { return failed_login(api, client).status; };
  CHECK(login_from("203.0.113.9") == 401);
  CHECK(login_from("203.0.113.9") == 401);
  CHECK(login_from("203.0.113.9") == 429);
  // Another client behind the same proxy is not refused for the first one's attempts.
  CHECK(login_from("198.51.100.4") == 401);
  // A client cannot escape its budget by naming someone else: the proxy appends the address it
  // saw, and that right-most hop is the one counted.
  CHECK(login_from("192.0.2.1, 203.0.113.9") == 429);

  std::istringstream lines{api.log_text()};
  std::set<std::string> logged_clients;
  for (std::string line; std::getline(lines, line);) {
    auto entry = nlohmann::json::parse(line, nullptr, false);
    if (entry.is_object() && entry.value("path", "") == "/api/auth/login") {
      logged_clients.insert(entry.value("client", ""));
    }
  }
  CHECK(logged_clients == std::set<std::string>{"203.0.113.9", "198.51.100.4"});
}

TEST_CASE("without TRUSTED_PROXIES a forged X-Forwarded-For changes no budget",
          "[http][ratelimit][forwarded]") {
  api_fixture api{
      "sqlite", [](config::service_config& settings) { settings.rate_limit_auth_per_minute = 2; }};
  for (const auto* forged : {"203.0.113.1", "203.0.113.2", "203.0.113.3"}) {
    CAPTURE(forged);
    CHECK(failed_login(api, forged).status ==
          (std::string_view{forged} == "203.0.113.3" ? 429 : 401));
  }
}

TEST_CASE("IPv6 clients of one /64 share a budget, so rotating addresses gains nothing",
          "[http][ratelimit][forwarded]") {
  api_fixture api{"sqlite", [](config::service_config& settings) {
                    settings.rate_limit_auth_per_minute = 2;
                    settings.trusted_proxies = *domain::parse_address_ranges("loopback");
                  }};
  CHECK(failed_login(api, "2001:db8:1:2::a").status == 401);
  CHECK(failed_login(api, "2001:db8:1:2::b").status == 401);
  CHECK(failed_login(api, "2001:db8:1:2:ffff::c").status == 429);
  CHECK(failed_login(api, "2001:db8:1:3::a").status == 401);
}
