// Start-up commands and shutdown of the real binary.

#include "tests/e2e/service_logs.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/service_process.hpp"
#include "tests/support/test_databases.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <memory>
#include <string>

using namespace schedulerd;
using namespace std::chrono_literals;

namespace {

struct sqlite_closer {
  void operator()(sqlite3* db) const noexcept { sqlite3_close(db); }
};

// The names of the tables in the SQLite file at `path`, opened read-only.
std::vector<std::string> sqlite_tables(const std::string& path) {
  sqlite3* raw = nullptr;
  int opened = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, sqlite_closer> db{raw};
  REQUIRE(opened == SQLITE_OK);
  std::vector<std::string> names;
  auto collect = [](void* out, int, char** values, char**) {
    static_cast<std::vector<std::string>*>(out)->emplace_back(values[0]);
    return 0;
  };
  REQUIRE(sqlite3_exec(db.get(), "SELECT name FROM sqlite_master WHERE type = 'table'", collect,
                       &names, nullptr) == SQLITE_OK);
  return names;
}

void check_stops_cleanly_on(int sig) {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  testing::service_process service{{{"DATABASE_URL", db.url()}}};
  REQUIRE(testing::get(service.base_url() + "/api/health").status == 200);

  service.signal(sig);

  auto code = service.wait_exit(10s);
  INFO("stderr:\n" << service.stderr_text());
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  CHECK(testing::events_named(service.stderr_text(), "stopped").size() == 1);
  CHECK_FALSE(testing::get(service.base_url() + "/api/health").answered());
}

}  // namespace

TEST_CASE("SIGTERM stops the service with exit code 0 within 10 s", "[e2e]") {
  check_stops_cleanly_on(SIGTERM);
}

TEST_CASE("SIGINT stops the service with exit code 0 within 10 s", "[e2e]") {
  check_stops_cleanly_on(SIGINT);
}

TEST_CASE("schedulerd version prints the version and exits 0", "[e2e]") {
  auto done = testing::service_process::run_to_completion({}, {"version"}, 10s);

  CHECK(done.exit_code == 0);
  CHECK(done.stdout_text == std::string{"schedulerd "} + SCHEDULERD_VERSION + "\n");
}

TEST_CASE("schedulerd migrate creates the tables in a fresh SQLite file and exits 0", "[e2e]") {
  auto db = testing::test_database::sqlite(testing::schema::empty);
  const std::string prefix = "sqlite://";
  REQUIRE(db.url().rfind(prefix, 0) == 0);

  auto done =
      testing::service_process::run_to_completion({{"DATABASE_URL", db.url()}}, {"migrate"}, 20s);

  INFO("stderr:\n" << done.stderr_text);
  REQUIRE(done.exit_code == 0);
  auto tables = sqlite_tables(db.url().substr(prefix.size()));
  CHECK(std::find(tables.begin(), tables.end(), "users") != tables.end());
  CHECK(testing::events_named(done.stderr_text, "listening").empty());
}
