// A PostgreSQL outage while the real binary runs: health turns degraded, then recovers by itself.

#include "tests/support/http_test_client.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/tcp_proxy.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <thread>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

// Where a postgresql:// URL points, and the URL rewritten to point elsewhere.
struct pg_endpoint {
  std::string host;
  std::uint16_t port = 5432;
  std::string before;  // scheme and user info
  std::string after;   // path and query
};

pg_endpoint split_url(const std::string& url) {
  auto scheme_end = url.find("://");
  REQUIRE(scheme_end != std::string::npos);
  auto authority_start = scheme_end + 3;
  auto path_start = std::min(url.find('/', authority_start), url.size());
  auto at = url.rfind('@', path_start);
  auto host_start = at == std::string::npos || at < authority_start ? authority_start : at + 1;
  auto host_port = url.substr(host_start, path_start - host_start);
  auto colon = host_port.rfind(':');
  pg_endpoint out;
  out.before = url.substr(0, host_start);
  out.after = url.substr(path_start);
  out.host = host_port.substr(0, colon);
  if (colon != std::string::npos) {
    out.port = static_cast<std::uint16_t>(std::stoi(host_port.substr(colon + 1)));
  }
  return out;
}

struct health_reading {
  int status = 0;
  nlohmann::json body;
};

health_reading read_health(const std::string& base_url) {
  auto res = testing::get(base_url + "/api/health");
  return {res.status, nlohmann::json::parse(res.body, nullptr, false)};
}

// Polls health until `wanted` holds or `deadline` passes; returns the last reading.
template <class Predicate>
health_reading poll_health(const std::string& base_url, std::chrono::seconds deadline,
                           Predicate wanted) {
  auto until = std::chrono::steady_clock::now() + deadline;
  auto reading = read_health(base_url);
  while (!wanted(reading) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(50ms);
    reading = read_health(base_url);
  }
  return reading;
}

std::string database_check(const health_reading& reading) {
  if (!reading.body.is_object() || !reading.body.contains("checks")) {
    return "";
  }
  return reading.body["checks"].value("database", "");
}

}  // namespace

TEST_CASE("health is degraded while PostgreSQL is unreachable and recovers without a restart",
          "[e2e]") {
  auto db = testing::test_database::postgres(testing::schema::empty);
  auto target = split_url(db.url());
  testing::tcp_proxy proxy{target.host, target.port};
  auto through_proxy = target.before + "127.0.0.1:" + std::to_string(proxy.port()) + target.after;
  testing::service_process service{{{"DATABASE_URL", through_proxy}}};

  auto before = read_health(service.base_url());
  INFO("before the cut: " << before.body.dump());
  REQUIRE(before.status == 200);

  proxy.cut();
  auto during =
      poll_health(service.base_url(), 15s, [](const health_reading& r) { return r.status == 503; });
  INFO("during the cut: " << during.body.dump());
  REQUIRE(during.status == 503);
  CHECK(during.body.value("status", "") == "degraded");
  CHECK(database_check(during) == "down");

  proxy.restore();
  auto after =
      poll_health(service.base_url(), 15s, [](const health_reading& r) { return r.status == 200; });
  INFO("after the restore: " << after.body.dump() << "\nstderr:\n" << service.stderr_text());
  REQUIRE(after.status == 200);
  CHECK(after.body.value("status", "") == "ok");
  CHECK(database_check(after) == "ok");
}
