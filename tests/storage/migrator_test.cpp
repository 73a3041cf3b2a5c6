#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <thread>

#include "domain/search_folding.hpp"
#include "storage/embedded_migrations.hpp"
#include "storage/migrator.hpp"
#include "tests/storage/value_printing.hpp"
#include "tests/support/test_databases.hpp"

namespace storage = schedulerd::storage;
namespace testing = schedulerd::testing;

namespace {

std::vector<int> versions_of(storage::dialect kind) {
  std::vector<int> versions;
  const auto* const name = kind == storage::dialect::postgres ? "postgres" : "sqlite";
  for (const auto& migration : storage::embedded_migrations()) {
    if (migration.dialect == name) versions.push_back(migration.version);
  }
  return versions;
}

}  // namespace

TEST_CASE("both dialects ship the same migration versions", "[storage]") {
  const auto postgres = versions_of(storage::dialect::postgres);
  CHECK_FALSE(postgres.empty());
  CHECK(postgres == versions_of(storage::dialect::sqlite));
}

TEST_CASE("the index of stale contacts follows the search rules' current version", "[storage]") {
  // Bumping domain::contact_search_version needs a migration that indexes the contacts it makes
  // stale; without one, the housekeeper's look for them reads the whole table.
  const auto predicate =
      "WHERE search_version < " + std::to_string(schedulerd::domain::contact_search_version);
  for (const auto* dialect : {"postgres", "sqlite"}) {
    INFO(dialect);
    std::string_view latest;
    for (const auto& migration : storage::embedded_migrations()) {
      if (migration.dialect == dialect &&
          migration.sql.find("INDEX contacts_stale_search") != std::string_view::npos) {
        latest = migration.sql;
      }
    }
    CHECK(latest.find(predicate) != std::string_view::npos);
  }
}

TEST_CASE("migrate creates every table and a second run applies nothing", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    auto conn = db.connect();
    CHECK(storage::schema_version(*conn) == 0);
    const auto expected = versions_of(db.kind());
    CHECK(storage::migrate(*conn) == expected);
    CHECK(storage::schema_version(*conn) == expected.back());
    for (const auto* table :
         {"users", "api_tokens", "oauth_identities", "oauth_states", "providers", "contacts",
          "batches", "scheduled_messages", "message_events", "idempotency_keys"}) {
      INFO("table: " << table);
      CHECK(conn->execute(std::string("SELECT COUNT(*) FROM ") + table).rows.at(0).at(0) ==
            storage::value{std::int64_t{0}});
    }
    const auto recorded = conn->execute("SELECT version, name FROM schema_migrations ORDER BY 1");
    REQUIRE(recorded.rows.size() == expected.size());
    CHECK(recorded.rows[0][1] == storage::value{std::string("0001_initial")});
    CHECK(recorded.rows[1][1] == storage::value{std::string("0002_providers")});

    CHECK(storage::migrate(*conn).empty());
    CHECK(storage::migrate(*db.connect()).empty());
    CHECK(storage::schema_version(*conn) == expected.back());
  }
}

TEST_CASE("nodes migrating at the same time apply each migration once", "[storage]") {
  for (auto& db : testing::every_backend(testing::schema::empty)) {
    INFO("backend: " << db.backend_name());
    constexpr int nodes = 4;
    std::vector<std::unique_ptr<storage::connection>> connections;
    connections.reserve(nodes);
    for (int i = 0; i < nodes; ++i) connections.push_back(db.connect());
    std::vector<std::vector<int>> applied(nodes);
    std::vector<std::string> errors(nodes);
    {
      std::vector<std::jthread> threads;
      threads.reserve(nodes);
      for (int i = 0; i < nodes; ++i) {
        threads.emplace_back([&, i] {
          try {
            applied[i] = storage::migrate(*connections[i]);
          } catch (const std::exception& error) {
            errors[i] = error.what();
          }
        });
      }
    }
    std::vector<int> all;
    for (int i = 0; i < nodes; ++i) {
      CHECK(errors[i].empty());
      all.insert(all.end(), applied[i].begin(), applied[i].end());
    }
    std::sort(all.begin(), all.end());
    CHECK(all == versions_of(db.kind()));
  }
}
