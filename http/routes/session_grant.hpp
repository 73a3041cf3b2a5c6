#pragma once

#include "storage/connection.hpp"
#include "storage/user_store.hpp"

#include <caf/allowed_unsafe_message_type.hpp>

#include <chrono>
#include <string>

namespace schedulerd::http {

/// A signed-in user with the plain token just issued to them (shown this once).
struct session_grant {
  storage::user_record user;
  std::string token;
};

/// Issues a session token for `user` in the caller's transaction; only its hash is stored.
session_grant issue_session_token(storage::connection& db, storage::user_record user,
                                  std::int64_t now_ms, std::chrono::milliseconds ttl);

}  // namespace schedulerd::http

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::http::session_grant)
