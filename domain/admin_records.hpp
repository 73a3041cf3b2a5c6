#pragma once

#include <cstdint>
#include <optional>
#include <string>

// What the admin API reads and changes across users (services/admin.hpp).

namespace schedulerd::domain {

/// Which failed messages an admin lists (any user's), latest failure first.
struct failed_filter {
  /// Only this user's.
  std::optional<std::int64_t> user_id;
  /// Only this connection's.
  std::optional<std::int64_t> provider_id;
  /// Only this batch's.
  std::optional<std::int64_t> batch_id;
  /// The 1-based page.
  std::int64_t page = 1;
  /// Rows per page.
  std::int64_t per_page = 25;
};

/// What an admin's retry covers: one message, or every failed message of a connection or batch.
struct retry_scope {
  /// `message`, `provider` or `batch`.
  std::string kind;
  /// The id of that message, connection or batch.
  std::int64_t id = 0;
};

/// An admin who acts, as the audit trail names them.
struct admin_identity {
  /// The admin's user id.
  std::int64_t user_id = 0;
  /// The admin's email (one of ADMIN_EMAILS).
  std::string email;
};

/// One admin action on record.
struct audit_entry {
  /// The entry's id (its order).
  std::int64_t id = 0;
  /// When it happened.
  std::int64_t at = 0;
  /// The admin's user id; none once that account is deleted.
  std::optional<std::int64_t> admin_id;
  /// The admin's email when they acted.
  std::string admin_email;
  /// `retry`, `retry_all`, `pause`, `resume` or `cancel_batch`.
  std::string action;
  /// What it acted on: `message:12`, `provider:3`, `batch:5`.
  std::string target;
  /// How many messages (or connections) it changed.
  std::int64_t affected = 0;
  /// A sentence for people.
  std::string detail;
};

/// A connection as the admin API shows it: whose it is, whether its dispatch is paused, and its
/// queue.
struct admin_connection {
  /// The connection's id.
  std::int64_t id = 0;
  /// Its owner.
  std::int64_t user_id = 0;
  /// Its owner's email.
  std::string user_email;
  /// Its provider type.
  std::string type;
  /// Its name.
  std::string name;
  /// `active`, `inactive` or `error`.
  std::string status;
  /// When an admin paused its dispatch; none while it runs.
  std::optional<std::int64_t> dispatch_paused_at;
  /// Its pending messages.
  std::int64_t pending = 0;
  /// Its failed messages.
  std::int64_t failed = 0;
};

}  // namespace schedulerd::domain
