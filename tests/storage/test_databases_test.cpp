#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "tests/storage/value_printing.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

namespace {

// Unsets an environment variable for one scope; Catch2 runs test cases one after another.
class unset_variable {
 public:
  explicit unset_variable(const char* name) : name_(name) {
    if (const char* old = std::getenv(name)) saved_ = old;
    ::unsetenv(name);
  }
  unset_variable(const unset_variable&) = delete;
  unset_variable& operator=(const unset_variable&) = delete;
  ~unset_variable() {
    if (saved_) ::setenv(name_, saved_->c_str(), 1);
  }

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

}  // namespace

TEST_CASE("without SCHEDULERD_TEST_PG the PostgreSQL half fails and says how to fix it",
          "[storage]") {
  const unset_variable unset("SCHEDULERD_TEST_PG");
  try {
    testing::every_backend();
    FAIL("every_backend() pretended PostgreSQL was there");
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    CHECK(message.find("SCHEDULERD_TEST_PG") != std::string::npos);
    CHECK(message.find("make test") != std::string::npos);
    CHECK(message.find("scripts/services start") != std::string::npos);
  }
}

TEST_CASE("a test database is fresh and is removed when the object dies", "[storage]") {
  std::string sqlite_url;
  std::string postgres_url;
  {
    auto backends = testing::every_backend();
    REQUIRE(backends.size() == 2);
    CHECK(backends[0].backend_name() == "sqlite");
    CHECK(backends[1].backend_name() == "postgres");
    CHECK(backends[0].kind() == storage::dialect::sqlite);
    CHECK(backends[1].kind() == storage::dialect::postgres);
    for (auto& db : backends) {
      INFO("backend: " << db.backend_name());
      CHECK(db.connect()->execute("SELECT COUNT(*) FROM users").rows.at(0).at(0) ==
            storage::value{std::int64_t{0}});
    }
    CHECK(backends[1].url() != testing::every_backend()[1].url());
    sqlite_url = backends[0].url();
    postgres_url = backends[1].url();
    auto leaked = backends[1].connect();  // an open connection must not keep the database alive
    CHECK(leaked->ping());
    backends.clear();
  }
  const auto file = std::filesystem::path(sqlite_url.substr(std::string("sqlite://").size()));
  CHECK_FALSE(std::filesystem::exists(file.parent_path()));
  CHECK_THROWS_AS(storage::open_connection(postgres_url), storage::storage_error);
}
