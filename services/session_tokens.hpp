#pragma once

#include "domain/account_records.hpp"
#include "storage/connection.hpp"

#include <chrono>
#include <cstdint>

namespace schedulerd::services {

/// Issues a session token for `user` in the caller's transaction; only its hash is stored.
domain::session_grant issue_session_token(storage::connection& db, domain::user_record user,
                                          std::int64_t now_ms, std::chrono::milliseconds ttl);

}  // namespace schedulerd::services
