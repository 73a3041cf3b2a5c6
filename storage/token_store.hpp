#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/connection.hpp"

// Every function runs in whatever transaction the caller opened and throws storage_error.

namespace schedulerd::storage {

/// An API token row (never the secret; only its hash is stored).
struct token_record {
  /// The primary key.
  std::int64_t id = 0;
  /// The owner.
  std::int64_t user_id = 0;
  /// The name the user gave it (sessions get one from the code that issues them).
  std::string name;
  /// "session" (issued by register, login and OAuth) or "personal" (created by the user).
  std::string kind;
  /// Creation time, milliseconds since the epoch.
  std::int64_t created_at = 0;
  /// When the token last authenticated a request, if ever recorded.
  std::optional<std::int64_t> last_used_at;
  /// When the token stops working; none means never.
  std::optional<std::int64_t> expires_at;
  /// When the token was revoked; none while it is not.
  std::optional<std::int64_t> revoked_at;
};

/// Inserts a token by the SHA-256 hex of its secret; a duplicate hash throws unique_violation.
token_record insert_token(connection& db, std::int64_t user_id, const std::string& name,
                          const std::string& token_hash, const std::string& kind,
                          std::int64_t now_ms, std::optional<std::int64_t> expires_at);

/// The token with this hash if it is neither revoked nor expired at now_ms.
std::optional<token_record> find_live_token(connection& db, const std::string& token_hash,
                                            std::int64_t now_ms);

/// The user's tokens that are not revoked (expired ones included, so users can see and delete
/// them), newest first.
std::vector<token_record> list_tokens(connection& db, std::int64_t user_id);

/// Revokes the user's token `token_id`; false when that user has no such unrevoked token (another
/// user's token id counts as absent).
bool revoke_token(connection& db, std::int64_t user_id, std::int64_t token_id, std::int64_t now_ms);

/// Stores last-use times (token id, time) collected in memory, never moving a time backwards.
void touch_tokens(connection& db,
                  const std::vector<std::pair<std::int64_t, std::int64_t>>& last_used);

}  // namespace schedulerd::storage
