#include "storage/token_store.hpp"

#include "storage/placeholder_rows.hpp"
#include "storage/row_cells.hpp"

#include <string>
#include <string_view>
#include <unordered_map>

namespace schedulerd::storage {
namespace {

// The SELECT of the columns to_token reads, in its order, then of `extra` ones, from api_tokens.
std::string select_tokens(std::string_view extra = {}) {
  std::string sql{
      "SELECT id, user_id, name, kind, created_at, last_used_at, expires_at, revoked_at"};
  sql += extra;
  sql += " FROM api_tokens";
  return sql;
}

// What makes a token work at $n (now, in ms): not revoked, not expired.
constexpr auto live_at_second_param =
    " AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)";

token_record to_token(const std::vector<value>& row) {
  return token_record{integer_at(row, 0),
                      integer_at(row, 1),
                      text_at(row, 2),
                      text_at(row, 3),
                      integer_at(row, 4),
                      optional_integer_at(row, 5),
                      optional_integer_at(row, 6),
                      optional_integer_at(row, 7)};
}

}  // namespace

token_record insert_token(connection& db, std::int64_t user_id, const std::string& name,
                          const std::string& token_hash, const std::string& kind,
                          std::int64_t now_ms, std::optional<std::int64_t> expires_at) {
  const auto inserted = db.execute(
      "INSERT INTO api_tokens (user_id, name, token_hash, kind, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {user_id, name, token_hash, kind, now_ms, nullable(expires_at)});
  if (inserted.rows.empty()) throw storage_error(failure::other, "insert_token: no id returned");
  return token_record{integer_at(inserted.rows.front(), 0),
                      user_id,
                      name,
                      kind,
                      now_ms,
                      std::nullopt,
                      expires_at,
                      std::nullopt};
}

std::optional<token_record> find_live_token(connection& db, const std::string& token_hash,
                                            std::int64_t now_ms) {
  const auto found = db.execute(select_tokens() + " WHERE token_hash = $1" + live_at_second_param,
                                {token_hash, now_ms});
  if (found.rows.empty()) return std::nullopt;
  return to_token(found.rows.front());
}

std::vector<std::optional<token_record>> find_live_tokens(
    connection& db, const std::vector<std::string>& token_hashes, std::int64_t now_ms) {
  std::vector<std::optional<token_record>> tokens;
  tokens.reserve(token_hashes.size());
  if (db.kind() != dialect::postgres) {
    // SQLite runs in this process: one lookup after another costs no round trip.
    for (const auto& hash : token_hashes) tokens.push_back(find_live_token(db, hash, now_ms));
    return tokens;
  }
  const std::vector<value> hashes(token_hashes.begin(), token_hashes.end());
  const auto found =
      db.execute(select_tokens(", token_hash") + " WHERE token_hash = ANY (CAST($1 AS TEXT[]))" +
                     live_at_second_param,
                 {array_literal(hashes), now_ms});
  std::unordered_map<std::string, token_record> by_hash;
  for (const auto& row : found.rows) by_hash.emplace(text_at(row, 8), to_token(row));
  for (const auto& hash : token_hashes) {
    const auto match = by_hash.find(hash);
    tokens.push_back(match == by_hash.end() ? std::nullopt
                                            : std::optional<token_record>{match->second});
  }
  return tokens;
}

domain::page<token_record> list_tokens(connection& db, std::int64_t user_id, std::int64_t limit,
                                       std::int64_t offset, bool oldest_first) {
  // id breaks ties between tokens created in the same millisecond, so the order is stable.
  const auto* order =
      oldest_first ? " ORDER BY created_at ASC, id ASC" : " ORDER BY created_at DESC, id DESC";
  const auto found = db.execute(select_tokens() + " WHERE user_id = $1 AND revoked_at IS NULL" +
                                    order + " LIMIT $2 OFFSET $3",
                                {user_id, limit, offset});
  domain::page<token_record> tokens;
  tokens.items.reserve(found.rows.size());
  for (const auto& row : found.rows) tokens.items.push_back(to_token(row));
  const auto counted = db.execute(
      "SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL", {user_id});
  tokens.total = integer_at(counted.rows.at(0), 0);
  return tokens;
}

std::int64_t count_live_tokens(connection& db, std::int64_t user_id, const std::string& kind,
                               std::int64_t now_ms) {
  const auto counted = db.execute(
      "SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND kind = $2 AND revoked_at IS NULL"
      " AND (expires_at IS NULL OR expires_at > $3)",
      {user_id, kind, now_ms});
  return integer_at(counted.rows.at(0), 0);
}

std::int64_t revoke_sessions_beyond(connection& db, std::int64_t user_id, std::int64_t keep,
                                    std::int64_t now_ms) {
  return db
      .execute(
          "UPDATE api_tokens SET revoked_at = $3"
          " WHERE user_id = $1 AND kind = 'session' AND revoked_at IS NULL AND id NOT IN ("
          "SELECT id FROM api_tokens WHERE user_id = $1 AND kind = 'session'"
          " AND revoked_at IS NULL ORDER BY id DESC LIMIT $2)",
          {user_id, keep, now_ms})
      .affected_rows;
}

bool revoke_token(connection& db, std::int64_t user_id, std::int64_t token_id,
                  std::int64_t now_ms) {
  return db.execute(
               "UPDATE api_tokens SET revoked_at = $3"
               " WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL",
               {token_id, user_id, now_ms})
             .affected_rows == 1;
}

void touch_tokens(connection& db,
                  const std::vector<std::pair<std::int64_t, std::int64_t>>& last_used) {
  // Batches from several nodes (or a late flush) may arrive out of order; the WHERE clause keeps
  // the newest time whichever arrives last.
  for (const auto& [token_id, used_at] : last_used) {
    db.execute(
        "UPDATE api_tokens SET last_used_at = $2"
        " WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
        {token_id, used_at});
  }
}

}  // namespace schedulerd::storage
