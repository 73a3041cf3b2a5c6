#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/account_records.hpp"
#include "domain/list_query.hpp"
#include "storage/connection.hpp"

// Every function runs in whatever transaction the caller opened and throws storage_error.

namespace schedulerd::storage {

/// A token row is the domain's token record.
using domain::token_record;

/// Inserts a token by the SHA-256 hex of its secret; a duplicate hash throws unique_violation.
token_record insert_token(connection& db, std::int64_t user_id, const std::string& name,
                          const std::string& token_hash, const std::string& kind,
                          std::int64_t now_ms, std::optional<std::int64_t> expires_at);

/// The token with this hash if it is neither revoked nor expired at now_ms.
std::optional<token_record> find_live_token(connection& db, const std::string& token_hash,
                                            std::int64_t now_ms);

/// The live token of each of `token_hashes` at now_ms, in their order (nothing where none): one
/// query on PostgreSQL.
std::vector<std::optional<token_record>> find_live_tokens(
    connection& db, const std::vector<std::string>& token_hashes, std::int64_t now_ms);

/// A page of the user's tokens that are not revoked (expired ones included, so users can see and
/// delete them), newest first unless `oldest_first`: `limit` tokens after the first `offset`,
/// with the count of all.
domain::page<token_record> list_tokens(connection& db, std::int64_t user_id,
                                       std::int64_t limit = domain::max_per_page,
                                       std::int64_t offset = 0, bool oldest_first = false);

/// How many of the user's tokens of `kind` ("personal" or "session") work at now_ms.
std::int64_t count_live_tokens(connection& db, std::int64_t user_id, const std::string& kind,
                               std::int64_t now_ms);

/// Revokes the user's live sessions but the newest `keep`; returns how many it revoked.
std::int64_t revoke_sessions_beyond(connection& db, std::int64_t user_id, std::int64_t keep,
                                    std::int64_t now_ms);

/// Revokes the user's token `token_id`; false when that user has no such unrevoked token (another
/// user's token id counts as absent).
bool revoke_token(connection& db, std::int64_t user_id, std::int64_t token_id, std::int64_t now_ms);

/// Stores last-use times (token id, time) collected in memory, never moving a time backwards.
void touch_tokens(connection& db,
                  const std::vector<std::pair<std::int64_t, std::int64_t>>& last_used);

}  // namespace schedulerd::storage
