#pragma once

#include "domain/list_query.hpp"
#include "domain/provider_records.hpp"
#include "storage/connection.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// Every function runs in whatever transaction the caller opened and throws storage_error.
// `field_values` columns (credentials_hint, settings) are stored as JSON objects of strings.

namespace schedulerd::storage {

/// Inserts a connection from `record` (its id, counters and sync state are ignored) and returns
/// it as stored, with its id.
domain::provider_record insert_provider(connection& db, const domain::provider_record& record);

/// The connection `provider_id` of `user_id`; nothing when absent or another user's.
std::optional<domain::provider_record> find_provider(connection& db, std::int64_t user_id,
                                                     std::int64_t provider_id);

/// The connection `provider_id`, whoever owns it (for engine work that has no user).
std::optional<domain::provider_record> find_provider_by_id(connection& db,
                                                           std::int64_t provider_id);

/// A page of the user's connections ordered by `sort` (`id`, `name`, `created_at`; ties by id).
domain::page<domain::provider_record> list_providers(connection& db, std::int64_t user_id,
                                                     const domain::sort_order& sort,
                                                     std::int64_t limit, std::int64_t offset);

/// Writes what a user may change and what checks record: name, status, enabled, credentials
/// (ciphertext and hint), settings, last_error, last_checked_at; sets updated_at to `now_ms`.
/// False when the row is gone.
bool update_provider(connection& db, const domain::provider_record& record, std::int64_t now_ms);

/// Records a check's outcome: status, last_error (empty clears it) and last_checked_at; a
/// disabled connection keeps `inactive`. False when the row is gone.
bool record_provider_check(connection& db, std::int64_t provider_id, const std::string& status,
                           const std::string& last_error, std::int64_t now_ms);

/// Stores refreshed credentials sealed (ciphertext and hint). False when the row is gone.
bool store_provider_credentials(connection& db, std::int64_t provider_id,
                                const std::string& ciphertext, const domain::field_values& hint,
                                std::int64_t now_ms);

/// Deletes the user's connection (contacts and messages go with it). False when absent.
bool delete_provider(connection& db, std::int64_t user_id, std::int64_t provider_id);

/// How many of the connection's messages are `pending` or `processing`.
std::int64_t count_open_messages(connection& db, std::int64_t provider_id);

/// Cancels the connection's pending messages (with a `cancelled` event each); returns how many.
std::int64_t cancel_pending_messages(connection& db, std::int64_t provider_id, std::int64_t now_ms);

/// Marks an import started unless one is running with a heartbeat newer than `stale_before_ms`
/// (an import whose node died stops counting as running then). False when one is running.
bool begin_contact_sync(connection& db, std::int64_t provider_id, std::int64_t now_ms,
                        std::int64_t stale_before_ms);

/// Records the progress (imported so far) of the import begun at `started_at`, which identifies
/// it, and refreshes its heartbeat; false, changing nothing, once a later import replaced it.
bool record_sync_progress(connection& db, std::int64_t provider_id, std::int64_t started_at,
                          std::int64_t imported, std::int64_t now_ms);

/// Ends the import begun at `started_at`: `succeeded` (also sets contacts_synced_at) or `failed`
/// with `error`; contacts_count becomes the number of stored contacts either way. False,
/// changing nothing, once a later import replaced it.
bool finish_contact_sync(connection& db, std::int64_t provider_id, std::int64_t started_at,
                         bool succeeded, const std::string& error, std::int64_t now_ms);

/// A connection's sealed credentials, for key rotation.
struct sealed_credentials {
  /// The connection.
  std::int64_t provider_id = 0;
  /// Its credentials as sealed now.
  std::string ciphertext;
};

/// Every connection's sealed credentials, ordered by id.
std::vector<sealed_credentials> list_sealed_credentials(connection& db);

/// Replaces one connection's ciphertext (key rotation); the hint and updated_at stay.
void replace_sealed_credentials(connection& db, std::int64_t provider_id,
                                const std::string& ciphertext);

}  // namespace schedulerd::storage
