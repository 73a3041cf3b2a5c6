#pragma once

#include "domain/admin_records.hpp"
#include "domain/list_query.hpp"
#include "domain/message_records.hpp"
#include "storage/connection.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// What the admin API reads and changes across users: failed messages, retries, paused dispatch
// and the audit trail. Callers check that the caller is an admin.

namespace schedulerd::storage {

/// A page of failed messages of any user matching `filter`, latest failure first.
domain::page<domain::message_record> list_failed_messages(connection& db,
                                                          const domain::failed_filter& filter);

/// Puts the failed messages of `scope` back to pending, due at `now_ms`, each with a
/// `retry_scheduled` event saying `detail`; answers their due entries (none when nothing failed).
std::vector<domain::due_entry> retry_failed(connection& db, const domain::retry_scope& scope,
                                            std::int64_t now_ms, const std::string& detail);

/// The status of message `message_id` (any user's); none when it does not exist.
std::optional<std::string> message_status(connection& db, std::int64_t message_id);

/// Whether `kind` (`provider` or `batch`) `id` exists.
bool target_exists(connection& db, const std::string& kind, std::int64_t id);

/// The owner of batch `batch_id`; none when it does not exist.
std::optional<std::int64_t> batch_owner(connection& db, std::int64_t batch_id);

/// Pauses (at `paused_at`, keeping an earlier pause's time) or, with none, resumes the dispatch
/// of connection `provider_id`; answers the connection, none when it does not exist.
std::optional<domain::admin_connection> set_dispatch_paused(connection& db,
                                                            std::int64_t provider_id,
                                                            std::optional<std::int64_t> paused_at);

/// A page of every user's connections, by id, with their pending and failed counts.
domain::page<domain::admin_connection> list_connections(connection& db, std::int64_t page,
                                                        std::int64_t per_page);

/// Records an admin action.
void insert_audit(connection& db, const domain::audit_entry& entry);

/// A page of the audit trail, newest first.
domain::page<domain::audit_entry> list_audit(connection& db, std::int64_t page,
                                             std::int64_t per_page);

}  // namespace schedulerd::storage
