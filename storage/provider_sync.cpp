#include "storage/provider_store.hpp"

#include "storage/row_cells.hpp"

// The contact import's bookkeeping on the providers row (declared in provider_store.hpp).

namespace schedulerd::storage {

bool begin_contact_sync(connection& db, std::int64_t provider_id, std::int64_t now_ms,
                        std::int64_t stale_before_ms) {
  // One conditional UPDATE: on PostgreSQL a concurrent caller waits for the row lock and then
  // re-checks the condition against the winner's row, and SQLite runs one writer at a time, so
  // exactly one of two callers starts the import. A running import from before heartbeats
  // existed counts from its start.
  return db.execute(
               "UPDATE providers SET sync_status = 'running', sync_started_at = $2,"
               " sync_finished_at = NULL, sync_imported = 0, sync_error = NULL,"
               " sync_heartbeat_at = $2"
               " WHERE id = $1 AND (sync_status IS NULL OR sync_status <> 'running'"
               " OR COALESCE(sync_heartbeat_at, sync_started_at, 0) < $3)",
               {provider_id, now_ms, stale_before_ms})
             .affected_rows == 1;
}

// An import's writes are fenced by its start time: an import declared dead (no heartbeat for
// the stale period) that wakes up after another one began cannot overwrite its successor's state.
bool record_sync_progress(connection& db, std::int64_t provider_id, std::int64_t started_at,
                          std::int64_t imported, std::int64_t now_ms) {
  return db.execute(
               "UPDATE providers SET sync_imported = $3, sync_heartbeat_at = $4"
               " WHERE id = $1 AND sync_status = 'running' AND sync_started_at = $2",
               {provider_id, started_at, imported, now_ms})
             .affected_rows == 1;
}

bool finish_contact_sync(connection& db, std::int64_t provider_id, std::int64_t started_at,
                         bool succeeded, const std::string& error, std::int64_t now_ms) {
  return db.execute(
               "UPDATE providers SET sync_status = $3, sync_finished_at = $4, sync_error = $5,"
               " contacts_synced_at = COALESCE($6, contacts_synced_at),"
               " contacts_count = (SELECT COUNT(*) FROM contacts WHERE provider_id = $1)"
               " WHERE id = $1 AND sync_status = 'running' AND sync_started_at = $2",
               {provider_id, started_at, std::string(succeeded ? "succeeded" : "failed"), now_ms,
                succeeded ? value{} : null_if_empty(error), succeeded ? value{now_ms} : value{}})
             .affected_rows == 1;
}

}  // namespace schedulerd::storage
