// The access log of the real binary: one JSON line per request, and no secrets in it.

#include "tests/e2e/service_logs.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace schedulerd;

namespace {

// A fixed key: without one the service logs a warning that names its generated key file.
constexpr const char* app_key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

}  // namespace

TEST_CASE("every request leaves one http_request line in the JSON log", "[e2e]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}, {"APP_KEY", app_key}}};

  auto res = testing::get(service.base_url() + "/api/health", {{"x-request-id", "e2e-log-1"}});
  REQUIRE(res.status == 200);

  auto lines = testing::events_named(service.stderr_text(), "http_request");
  INFO("stderr:\n" << service.stderr_text());
  REQUIRE(lines.size() == 1);
  const auto& line = lines.front();
  CHECK(line.value("method", "") == "GET");
  CHECK(line.value("path", "") == "/api/health");
  CHECK(line.value("status", 0) == 200);
  CHECK(line.value("request_id", "") == "e2e-log-1");
  REQUIRE(line.contains("duration_ms"));
  CHECK(line["duration_ms"].is_number());
  CHECK(line["duration_ms"].get<double>() >= 0.0);
  CHECK(line.value("level", "") == "info");
  CHECK(line.contains("ts"));
}

TEST_CASE("bearer tokens and query strings never reach the logs", "[e2e]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}, {"APP_KEY", app_key}}};

  auto res = testing::get(
      service.base_url() + "/api/health?token=abc",
      {{"authorization", "Bearer secret-token-123"}, {"x-request-id", "e2e-secrets-1"}});
  REQUIRE(res.status == 200);
  auto missing = testing::get(
      service.base_url() + "/api/nothing-here?token=abc",
      {{"authorization", "Bearer secret-token-123"}, {"x-request-id", "e2e-secrets-2"}});
  REQUIRE(missing.status == 404);

  auto err = service.stderr_text();
  auto out = service.stdout_text();
  INFO("stderr:\n" << err);
  auto lines = testing::events_named(err, "http_request");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].value("path", "") == "/api/health");
  for (const auto& text : {err, out}) {
    CHECK(text.find("secret-token-123") == std::string::npos);
    CHECK(text.find("token=abc") == std::string::npos);
    CHECK(text.find("abc") == std::string::npos);
  }
}
