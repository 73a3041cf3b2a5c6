#include "storage/oauth_store.hpp"

#include "storage/row_cells.hpp"

namespace schedulerd::storage {
namespace {

// The oauth_states columns in RETURNING order, read by to_oauth_state.
oauth_state_record to_oauth_state(const std::vector<value>& row) {
  return oauth_state_record{integer_at(row, 0),          text_at(row, 1), text_at(row, 2),
                            optional_integer_at(row, 3), text_at(row, 4), integer_at(row, 5)};
}

}  // namespace

void insert_oauth_state(connection& db, const std::string& state_hash, const std::string& purpose,
                        const std::string& provider, std::optional<std::int64_t> user_id,
                        const std::string& code_verifier, std::int64_t now_ms,
                        std::int64_t expires_at) {
  db.execute(
      "INSERT INTO oauth_states"
      " (state_hash, purpose, provider, user_id, code_verifier, created_at, expires_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {state_hash, purpose, provider, nullable(user_id), code_verifier, now_ms, expires_at});
}

std::optional<oauth_state_record> consume_oauth_state(connection& db, const std::string& state_hash,
                                                      std::int64_t now_ms) {
  // Check and mark in one statement: a SELECT followed by an UPDATE would let two callbacks with
  // the same state both pass the check before either marks it.
  const auto consumed = db.execute(
      "UPDATE oauth_states SET used_at = $2"
      " WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2"
      " RETURNING id, purpose, provider, user_id, code_verifier, expires_at",
      {state_hash, now_ms});
  if (consumed.rows.empty()) return std::nullopt;
  return to_oauth_state(consumed.rows.front());
}

std::optional<std::int64_t> find_identity_user(connection& db, const std::string& provider,
                                               const std::string& subject) {
  const auto found =
      db.execute("SELECT user_id FROM oauth_identities WHERE provider = $1 AND subject = $2",
                 {provider, subject});
  if (found.rows.empty()) return std::nullopt;
  return integer_at(found.rows.front(), 0);
}

void link_identity(connection& db, std::int64_t user_id, const std::string& provider,
                   const std::string& subject, const std::string& email, std::int64_t now_ms) {
  // The conditional upsert changes no row exactly when the identity belongs to someone else;
  // a plain DO NOTHING would hide that and leave the caller believing the link exists.
  const auto linked = db.execute(
      "INSERT INTO oauth_identities (user_id, provider, subject, email, created_at)"
      " VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT (provider, subject) DO UPDATE SET email = excluded.email"
      " WHERE oauth_identities.user_id = excluded.user_id",
      {user_id, provider, subject, email, now_ms});
  if (linked.affected_rows == 0) {
    throw storage_error(failure::unique_violation,
                        "link_identity: this " + provider + " account is linked to another user");
  }
}

std::int64_t purge_oauth_states(connection& db, std::int64_t now_ms) {
  return db.execute("DELETE FROM oauth_states WHERE expires_at < $1", {now_ms}).affected_rows;
}

}  // namespace schedulerd::storage
