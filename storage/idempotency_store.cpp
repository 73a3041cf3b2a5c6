#include "storage/idempotency_store.hpp"

#include "storage/row_cells.hpp"

// An answer stays remembered while now < expires_at; from then on it is as good as absent, and
// a new request with the same key replaces it.

namespace schedulerd::storage {

std::optional<remembered_answer> find_idempotent_answer(connection& db, std::int64_t user_id,
                                                        const std::string& key,
                                                        std::int64_t now_ms) {
  const auto found = db.execute(
      "SELECT request_hash, response_status, response_body FROM idempotency_keys"
      " WHERE user_id = $1 AND idempotency_key = $2 AND expires_at > $3",
      {user_id, key, now_ms});
  if (found.rows.empty()) return std::nullopt;
  const auto& row = found.rows.front();
  return remembered_answer{text_at(row, 0), static_cast<std::int32_t>(integer_at(row, 1)),
                           text_at(row, 2)};
}

void remember_idempotent_answer(connection& db, std::int64_t user_id, const std::string& key,
                                const remembered_answer& answer, std::int64_t now_ms,
                                std::int64_t expires_at_ms) {
  // An expired answer the purge has not reached yet would otherwise hold the key forever; an
  // unexpired one stays, and the INSERT below then fails on the UNIQUE constraint.
  db.execute(
      "DELETE FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2"
      " AND expires_at <= $3",
      {user_id, key, now_ms});
  db.execute(
      "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, response_status,"
      " response_body, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {user_id, key, answer.request_hash, std::int64_t{answer.status}, answer.resource, now_ms,
       expires_at_ms});
}

std::int64_t purge_idempotent_answers(connection& db, std::int64_t now_ms) {
  return db.execute("DELETE FROM idempotency_keys WHERE expires_at < $1", {now_ms}).affected_rows;
}

}  // namespace schedulerd::storage
