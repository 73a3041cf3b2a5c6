#pragma once

#include "domain/account_records.hpp"
#include "storage/connection.hpp"

#include <chrono>
#include <cstdint>

namespace schedulerd::services {

/// How long a session lasts and how many a user keeps.
struct session_policy {
  /// Lifetime of a session token.
  std::chrono::milliseconds ttl;
  /// Live sessions kept per user: a new one beyond it ends the oldest.
  int keep;
};

/// Issues a session token for `user` in the caller's transaction (only its hash is stored) and
/// ends the user's oldest sessions beyond `policy.keep`.
domain::session_grant issue_session_token(storage::connection& db, domain::user_record user,
                                          std::int64_t now_ms, const session_policy& policy);

}  // namespace schedulerd::services
