// The real binary answers its health check on both database backends.

#include "tests/support/http_test_client.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace schedulerd;

namespace {

// Checks the body against the contract: exactly these keys, with these types.
void check_health_body(const nlohmann::json& body) {
  REQUIRE(body.is_object());
  CHECK(body.size() == 4);
  CHECK(body.value("status", "") == "ok");
  CHECK(body.value("version", "") == SCHEDULERD_VERSION);
  REQUIRE(body.contains("uptime_s"));
  CHECK(body["uptime_s"].is_number_integer());
  CHECK(body["uptime_s"].get<std::int64_t>() >= 0);
  REQUIRE(body.contains("checks"));
  const auto& checks = body["checks"];
  REQUIRE(checks.is_object());
  CHECK(checks.size() == 3);
  CHECK(checks.value("database", "") == "ok");
  REQUIRE(checks.contains("redis"));
  CHECK(checks["redis"].is_string());
  REQUIRE(checks.contains("scheduler"));
  CHECK(checks["scheduler"].is_string());
}

}  // namespace

TEST_CASE("the service started as make run starts it answers health 200 on SQLite", "[e2e]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};

  auto res = testing::get(service.base_url() + "/api/health");

  REQUIRE(res.status == 200);
  auto type = res.header("content-type");
  REQUIRE(type);
  CHECK(type->substr(0, 16) == "application/json");
  auto request_id = res.header("x-request-id");
  REQUIRE(request_id);
  CHECK_FALSE(request_id->empty());
  auto body = nlohmann::json::parse(res.body, nullptr, false);
  INFO("body: " << res.body);
  check_health_body(body);
}

TEST_CASE("the service answers health 200 on a fresh PostgreSQL database", "[e2e]") {
  auto db = testing::test_database::postgres(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};

  auto res = testing::get(service.base_url() + "/api/health");

  INFO("body: " << res.body);
  REQUIRE(res.status == 200);
  check_health_body(nlohmann::json::parse(res.body, nullptr, false));
}

TEST_CASE("the service echoes a well-formed X-Request-Id it was given", "[e2e]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};

  auto res = testing::get(service.base_url() + "/api/health", {{"x-request-id", "e2e-trace-42"}});

  REQUIRE(res.status == 200);
  CHECK(res.header("x-request-id").value_or("") == "e2e-trace-42");
}
