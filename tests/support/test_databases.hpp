#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/connection.hpp"

// Usage, to run one test body on SQLite and on PostgreSQL:
//
//   for (auto& db : testing::every_backend()) {
//     INFO("backend: " << db.backend_name());
//     auto conn = db.connect();
//     ...
//   }
//
// The PostgreSQL half needs SCHEDULERD_TEST_PG (set by `make test` or `scripts/services start`);
// without it the test fails and says so. Redis tests use SCHEDULERD_TEST_REDIS the same way.

namespace schedulerd::testing {

/// Whether a fresh test database starts with the embedded migrations applied.
enum class schema { migrated, empty };

/// A throwaway database on one backend, removed when the object dies.
class test_database {
 public:
  /// A fresh SQLite file in a new temporary directory.
  static test_database sqlite(schema initial = schema::migrated);

  /// A new database (`sd_test_<pid>_<n>_<random>`) on the server named by SCHEDULERD_TEST_PG;
  /// a migrated one is copied from `sd_template_<hash of the migrations>`, built on first use.
  static test_database postgres(schema initial = schema::migrated);

  /// Not copyable: exactly one object removes the database.
  test_database(const test_database&) = delete;

  /// Not copyable: exactly one object removes the database.
  test_database& operator=(const test_database&) = delete;

  /// Takes over `other`'s database; `other` no longer removes it.
  test_database(test_database&& other) noexcept;

  /// Removes this object's database and takes over `other`'s.
  test_database& operator=(test_database&& other) noexcept;

  /// Removes the database (the SQLite directory, or the PostgreSQL database even if still in use).
  ~test_database();

  /// The DATABASE_URL that opens this database with storage::open_connection.
  [[nodiscard]] const std::string& url() const noexcept { return url_; }

  /// Opens a new connection to this database.
  [[nodiscard]] std::unique_ptr<storage::connection> connect() const;

  /// "sqlite" or "postgres", for INFO and SECTION names.
  [[nodiscard]] std::string backend_name() const;

  /// The backend's dialect.
  [[nodiscard]] storage::dialect kind() const noexcept { return kind_; }

 private:
  test_database(storage::dialect kind, std::string url, std::string owned, std::string admin_url);
  void remove() noexcept;

  storage::dialect kind_;
  std::string url_;
  std::string owned_;      // the SQLite directory or the PostgreSQL database name; empty if moved
  std::string admin_url_;  // PostgreSQL only: where to drop the database from
};

/// One fresh database per backend, SQLite first, for running the same test body on both.
std::vector<test_database> every_backend(schema initial = schema::migrated);

/// The Redis server named by SCHEDULERD_TEST_REDIS; throws, saying how to start one, when unset.
std::string test_redis_url();

/// A Redis key prefix no other test process uses, so runs sharing one server never see each
/// other's keys.
std::string unique_redis_prefix();

}  // namespace schedulerd::testing
