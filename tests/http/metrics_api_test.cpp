#include "tests/support/api_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/scheduling_api.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace schedulerd;
using testing::api_fixture;

namespace {

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Runs `promtool check metrics` on `text`; answers its exit code and what it printed.
std::pair<int, std::string> promtool_check(const std::string& text) {
  testing::scratch_dir dir;
  const auto input = dir.path() / "metrics.txt";
  std::ofstream{input, std::ios::binary} << text;
  testing::child_process promtool{"/usr/bin/promtool", {"check", "metrics"}, dir.path(), input};
  auto code = promtool.wait_exit(std::chrono::seconds{20});
  return {code.value_or(-1), promtool.stdout_text() + promtool.stderr_text()};
}

}  // namespace

TEST_CASE("GET /metrics answers Prometheus text without a token, labelled by route pattern",
          "[http][metrics]") {
  api_fixture api;
  const auto token = api.register_user("metrics@example.com");
  REQUIRE(api.call("GET", "/api/health").status == 200);
  REQUIRE(api.call("GET", "/api/scheduled-messages/12345", nullptr, token).status == 404);
  REQUIRE(api.call("GET", "/no/such/path/4711").status == 404);

  auto res = api.call("GET", "/metrics");

  REQUIRE(res.status == 200);
  CHECK(res.header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  const auto& text = res.body;
  INFO(text);
  CHECK(mentions(text, "# TYPE schedulerd_http_requests_total counter\n"));
  CHECK(mentions(text,
                 "schedulerd_http_requests_total{route=\"/api/health\",method=\"GET\","
                 "status=\"200\"} 1\n"));
  CHECK(mentions(text,
                 "schedulerd_http_requests_total{route=\"/api/scheduled-messages/{id}\","
                 "method=\"GET\",status=\"404\"} 1\n"));
  CHECK(mentions(text, "route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"));
  // Raw paths never become labels: the series stay bounded. (Whole paths are looked for: a bare
  // "4711" also turns up among the digits of a duration sum.)
  CHECK_FALSE(mentions(text, "/api/scheduled-messages/12345"));
  CHECK_FALSE(mentions(text, "/no/such/path"));
  CHECK(mentions(text,
                 "schedulerd_http_request_duration_seconds_bucket{route=\"/api/health\","
                 "le=\"+Inf\"} 1\n"));
  CHECK(
      mentions(text, "schedulerd_http_request_duration_seconds_count{route=\"/api/health\"} 1\n"));
  CHECK(mentions(text, "schedulerd_rate_limited_total{scope=\"ip\"} 0\n"));
  CHECK(mentions(text, "schedulerd_messages{status=\"pending\"} 0\n"));
  CHECK(mentions(text, "schedulerd_metrics_source_up{source=\"database\"} 1\n"));
  CHECK(mentions(text, "schedulerd_metrics_source_up{source=\"scheduler\"} 1\n"));
  CHECK(mentions(text, "schedulerd_metrics_source_up{source=\"directory\"} 1\n"));
  CHECK(mentions(text, "schedulerd_scheduler_wheel_entries{level=\"0\"} "));
  CHECK(mentions(text, "schedulerd_dispatch_handed_off_total 0\n"));
  CHECK(mentions(text, "schedulerd_actor_mailbox{name=\"core.db_pool\",kind=\"pool\"} "));
  CHECK(mentions(text, "schedulerd_actor_restarts_total{name=\"core.db_pool\",kind=\"pool\"} 0\n"));
  CHECK(mentions(text, "schedulerd_build_info{version=\"" SCHEDULERD_VERSION "\"} 1\n"));
  CHECK(mentions(text, "process_resident_memory_bytes "));
}

TEST_CASE("the /metrics output passes promtool check metrics", "[http][metrics]") {
  api_fixture api;
  api.register_user("lint@example.com");
  REQUIRE(api.call("GET", "/api/health").status == 200);
  auto res = api.call("GET", "/metrics");
  REQUIRE(res.status == 200);

  auto [code, output] = promtool_check(res.body);

  INFO("promtool said: " << output << "\non:\n" << res.body);
  CHECK(code == 0);
  CHECK(output.empty());
}

TEST_CASE("requests refused with 429 are counted by the budget that ran out", "[http][metrics]") {
  api_fixture api{
      "sqlite", [](config::service_config& settings) { settings.rate_limit_auth_per_minute = 1; }};
  const nlohmann::json login{{"email", "nobody@example.com"}, {"password", "wrong-password"}};
  REQUIRE(api.call("POST", "/api/auth/login", login).status == 401);
  REQUIRE(api.call("POST", "/api/auth/login", login).status == 429);
  REQUIRE(api.call("POST", "/api/auth/login", login).status == 429);

  auto text = api.call("GET", "/metrics").body;

  INFO(text);
  CHECK(mentions(text, "schedulerd_rate_limited_total{scope=\"auth\"} 2\n"));
  CHECK(mentions(text, "schedulerd_rate_limited_total{scope=\"ip\"} 0\n"));
  CHECK(mentions(text,
                 "schedulerd_http_requests_total{route=\"/api/auth/login\","
                 "method=\"POST\",status=\"429\"} 2\n"));
}

TEST_CASE("the /metrics counts message queue depths on PostgreSQL too", "[http][metrics]") {
  api_fixture api{"postgres"};
  auto res = api.call("GET", "/metrics");
  REQUIRE(res.status == 200);
  INFO(res.body);
  CHECK(mentions(res.body, "schedulerd_messages{status=\"sent\"} 0\n"));
  CHECK(mentions(res.body, "schedulerd_metrics_source_up{source=\"database\"} 1\n"));
}

TEST_CASE("/metrics counts the attempt outcomes this node stored, and the provider's latency",
          "[http][metrics]") {
  testing::scheduling_user user;
  user.huggy.fail_next("/chats/", 400, 1);
  const std::string refused = user.schedule(0, std::chrono::seconds{1})["id"];
  user.api.clock().advance(std::chrono::seconds{1});
  REQUIRE(user.await_status(refused, "failed")["status"] == "failed");
  const std::string sent = user.schedule(1, std::chrono::seconds{1})["id"];
  user.api.clock().advance(std::chrono::seconds{1});
  REQUIRE(user.await_status(sent, "sent")["status"] == "sent");
  auto res = user.api.call("GET", "/metrics");
  REQUIRE(res.status == 200);
  INFO(res.body);
  CHECK(mentions(res.body, "schedulerd_dispatch_outcomes_total{outcome=\"sent\"} 1\n"));
  CHECK(mentions(res.body, "schedulerd_dispatch_outcomes_total{outcome=\"failed\"} 1\n"));
  CHECK(mentions(res.body, "schedulerd_dispatch_outcomes_total{outcome=\"retry\"} 0\n"));
  CHECK(mentions(res.body, "schedulerd_dispatch_call_duration_seconds_count 2\n"));
}
