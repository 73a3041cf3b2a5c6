#include "storage/user_store.hpp"

#include "storage/row_cells.hpp"

namespace schedulerd::storage {
namespace {

constexpr auto user_columns =
    "SELECT id, name, email, password_hash, created_at, updated_at FROM users";

// The users columns in select order, read by to_user.
user_record to_user(const std::vector<value>& row) {
  return user_record{integer_at(row, 0),
                     text_at(row, 1),
                     text_at(row, 2),
                     optional_text_at(row, 3).value_or(""),
                     integer_at(row, 4),
                     integer_at(row, 5),
                     {}};
}

std::optional<user_record> find_one(connection& db, const std::string& where,
                                    const std::vector<value>& params) {
  const auto found = db.execute(std::string(user_columns) + " WHERE " + where, params);
  if (found.rows.empty()) return std::nullopt;
  auto user = to_user(found.rows.front());
  // A user may link two accounts of one provider; the API lists each provider once.
  const auto providers = db.execute(
      "SELECT DISTINCT provider FROM oauth_identities WHERE user_id = $1 ORDER BY provider",
      {user.id});
  for (const auto& provider : providers.rows) user.oauth_providers.push_back(text_at(provider, 0));
  return user;
}

}  // namespace

user_record insert_user(connection& db, const std::string& name, const std::string& email,
                        const std::string& password_hash, std::int64_t now_ms) {
  const auto inserted = db.execute(
      "INSERT INTO users (name, email, password_hash, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $4) RETURNING id",
      {name, email, null_if_empty(password_hash), now_ms});
  if (inserted.rows.empty()) throw storage_error(failure::other, "insert_user: no id returned");
  return user_record{
      integer_at(inserted.rows.front(), 0), name, email, password_hash, now_ms, now_ms, {}};
}

std::optional<user_record> find_user_by_email(connection& db, const std::string& email) {
  return find_one(db, "email = $1", {email});
}

std::optional<user_record> find_user_by_id(connection& db, std::int64_t id) {
  return find_one(db, "id = $1", {id});
}

}  // namespace schedulerd::storage
