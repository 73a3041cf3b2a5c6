#include "tests/support/test_databases.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "storage/embedded_migrations.hpp"
#include "storage/migrator.hpp"

namespace schedulerd::testing {
namespace {

constexpr std::int64_t template_lock_key = 0x7364'7465'6d70'6c74;  // "sdtemplt"

// ctest runs test cases as parallel processes against one server, so names carry the pid, a
// per-process counter, and randomness in case a pid is reused while an old database lingers.
std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device random;
  return std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(random() % 1000000);
}

std::string admin_url() {
  const char* url = std::getenv("SCHEDULERD_TEST_PG");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "SCHEDULERD_TEST_PG is not set, so the PostgreSQL half of this storage test cannot run. "
        "Run the tests with `make test`, or start a server with "
        "`eval \"$(scripts/services start /tmp/svc-$USER)\"` and export SCHEDULERD_TEST_PG.");
  }
  return url;
}

// Replaces the database name in a postgresql:// URL, keeping host, user and query parameters.
std::string with_database(const std::string& url, const std::string& database) {
  const auto authority = url.find("://");
  const auto query = url.find('?');
  const auto path = url.find('/', authority == std::string::npos ? 0 : authority + 3);
  const auto tail = query == std::string::npos ? std::string() : url.substr(query);
  if (path == std::string::npos || (query != std::string::npos && path > query)) {
    return url.substr(0, query) + "/" + database + tail;
  }
  return url.substr(0, path) + "/" + database + tail;
}

// Names the migrated template by the PostgreSQL migrations it holds (64-bit FNV-1a), so that
// editing a migration makes the next run build a new one.
std::string template_name() {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const auto& migration : storage::embedded_migrations()) {
    if (migration.dialect != "postgres") continue;
    for (const char c : std::string(migration.name) + '\n' + std::string(migration.sql)) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
  }
  std::ostringstream name;
  name << "sd_template_" << std::hex << hash;
  return name.str();
}

// Copying a migrated template is about a quarter faster than migrating every new database, so
// migrated test databases copy one template per server, built by whichever process comes first.
std::string migrated_template(const std::string& admin) {
  static const std::string name = template_name();
  static std::atomic<bool> known_to_exist{false};
  if (known_to_exist) return name;
  auto lock_holder = storage::open_connection(admin);
  // A session lock, released when lock_holder closes: other processes wait here meanwhile.
  lock_holder->execute("SELECT pg_advisory_lock($1)", {template_lock_key});
  if (lock_holder->execute("SELECT 1 FROM pg_database WHERE datname = $1", {name}).rows.empty()) {
    const auto building = "sd_building_" + unique_suffix();
    lock_holder->execute_script("CREATE DATABASE " + building);
    try {
      storage::migrate(*storage::open_connection(with_database(admin, building)));
    } catch (...) {
      lock_holder->execute_script("DROP DATABASE " + building + " WITH (FORCE)");
      throw;
    }
    // Renaming last means no process ever copies a half-migrated template.
    lock_holder->execute_script("ALTER DATABASE " + building + " RENAME TO " + name);
  }
  known_to_exist = true;
  return name;
}

}  // namespace

test_database::test_database(storage::dialect kind, std::string url, std::string owned,
                             std::string admin_url)
    : kind_(kind),
      url_(std::move(url)),
      owned_(std::move(owned)),
      admin_url_(std::move(admin_url)) {}

test_database test_database::sqlite(schema initial) {
  auto pattern = (std::filesystem::temp_directory_path() / "schedulerd-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a temporary directory for a SQLite test database");
  }
  test_database db(storage::dialect::sqlite, "sqlite://" + pattern + "/test.db", pattern, {});
  if (initial == schema::migrated) storage::migrate(*db.connect());
  return db;
}

test_database test_database::postgres(schema initial) {
  auto admin = admin_url();
  const auto name = "sd_test_" + unique_suffix();
  const auto source = initial == schema::migrated ? migrated_template(admin) : "template1";
  storage::open_connection(admin)->execute_script("CREATE DATABASE " + name + " TEMPLATE " +
                                                  source);
  return {storage::dialect::postgres, with_database(admin, name), name, admin};
}

test_database::test_database(test_database&& other) noexcept
    : kind_(other.kind_),
      url_(std::move(other.url_)),
      owned_(std::exchange(other.owned_, {})),
      admin_url_(std::move(other.admin_url_)) {}

test_database& test_database::operator=(test_database&& other) noexcept {
  if (this != &other) {
    remove();
    kind_ = other.kind_;
    url_ = std::move(other.url_);
    owned_ = std::exchange(other.owned_, {});
    admin_url_ = std::move(other.admin_url_);
  }
  return *this;
}

test_database::~test_database() {
  remove();
}

void test_database::remove() noexcept {
  if (owned_.empty()) return;
  try {
    if (kind_ == storage::dialect::sqlite) {
      std::error_code ignored;
      std::filesystem::remove_all(owned_, ignored);
    } else {
      // WITH (FORCE) ends connections a test leaked, which would otherwise block the drop.
      storage::open_connection(admin_url_)
          ->execute_script("DROP DATABASE IF EXISTS " + owned_ + " WITH (FORCE)");
    }
  } catch (...) {
    // A leftover database only costs disk space in a throwaway cluster; never fail a test here.
  }
  owned_.clear();
}

std::unique_ptr<storage::connection> test_database::connect() const {
  return storage::open_connection(url_);
}

std::string test_database::backend_name() const {
  return kind_ == storage::dialect::sqlite ? "sqlite" : "postgres";
}

std::vector<test_database> every_backend(schema initial) {
  std::vector<test_database> all;
  all.push_back(test_database::sqlite(initial));
  all.push_back(test_database::postgres(initial));
  return all;
}

std::string test_redis_url() {
  const char* url = std::getenv("SCHEDULERD_TEST_REDIS");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "SCHEDULERD_TEST_REDIS is not set, so this Redis test cannot run. Run the tests with "
        "`make test`, or start a server with `eval \"$(scripts/services start /tmp/svc-$USER)\"` "
        "and export SCHEDULERD_TEST_REDIS.");
  }
  return url;
}

std::string unique_redis_prefix() {
  return "test-" + unique_suffix() + ":";
}

}  // namespace schedulerd::testing
