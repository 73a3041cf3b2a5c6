#include "storage/migrator.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "storage/embedded_migrations.hpp"
#include "storage/row_cells.hpp"

namespace schedulerd::storage {
namespace {

// Any constant works as long as every schedulerd node uses the same one: "schedmig" in ASCII.
constexpr std::int64_t migration_lock_key = 0x7363686564'6d6967;

std::string_view dialect_name(dialect kind) {
  return kind == dialect::postgres ? "postgres" : "sqlite";
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool truthy(const result& answer) {
  return !answer.rows.empty() && !answer.rows.front().empty() &&
         std::get_if<std::int64_t>(&answer.rows.front().front()) != nullptr &&
         std::get<std::int64_t>(answer.rows.front().front()) != 0;
}

// Runs `step` in a transaction that, on PostgreSQL, first waits for the cluster-wide migration
// lock; the lock is released by the COMMIT or ROLLBACK.
template <class Step>
auto locked_transaction(connection& db, Step step) {
  db.begin();
  try {
    if (db.kind() == dialect::postgres) {
      db.execute("SELECT pg_advisory_xact_lock($1)", {migration_lock_key});
    }
    auto outcome = step();
    db.commit();
    return outcome;
  } catch (...) {
    db.rollback();
    throw;
  }
}

bool migrations_table_exists(connection& db) {
  return truthy(db.kind() == dialect::postgres
                    ? db.execute("SELECT to_regclass('schema_migrations') IS NOT NULL")
                    : db.execute("SELECT count(*) FROM sqlite_master "
                                 "WHERE type = 'table' AND name = 'schema_migrations'"));
}

bool apply(connection& db, const embedded_migration& migration) {
  const auto version = std::int64_t{migration.version};
  if (!db.execute("SELECT 1 FROM schema_migrations WHERE version = $1", {version}).rows.empty()) {
    return false;
  }
  try {
    db.execute_script(migration.sql);
  } catch (const storage_error& error) {
    throw storage_error(error.kind(), "migration " + std::string(migration.name) + " (" +
                                          std::string(migration.dialect) + "): " + error.what());
  }
  db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
             {version, std::string(migration.name), now_ms()});
  return true;
}

}  // namespace

std::vector<int> migrate(connection& db) {
  locked_transaction(db, [&] {
    db.execute_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    return true;
  });
  std::vector<int> applied;
  const auto own_dialect = dialect_name(db.kind());
  for (const auto& migration : embedded_migrations()) {
    if (migration.dialect != own_dialect) continue;
    if (locked_transaction(db, [&] { return apply(db, migration); })) {
      applied.push_back(migration.version);
    }
  }
  return applied;
}

int schema_version(connection& db) {
  if (!migrations_table_exists(db)) return 0;
  const auto answer = db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return static_cast<int>(integer_at(answer.rows.at(0), 0));
}

}  // namespace schedulerd::storage
