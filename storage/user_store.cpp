#include "storage/user_store.hpp"

namespace schedulerd::storage {
namespace {

constexpr auto user_columns =
    "SELECT id, name, email, password_hash, created_at, updated_at FROM users";

// A column of an unexpected type means the schema and this code disagree: a bug, not bad input.
std::int64_t integer_at(const std::vector<value>& row, std::size_t column) {
  if (const auto* number = std::get_if<std::int64_t>(&row.at(column))) return *number;
  throw storage_error(failure::other,
                      "user_store: column " + std::to_string(column) + " is not an integer");
}

std::string text_at(const std::vector<value>& row, std::size_t column) {
  if (std::holds_alternative<std::monostate>(row.at(column))) return {};
  if (const auto* text = std::get_if<std::string>(&row.at(column))) return *text;
  throw storage_error(failure::other,
                      "user_store: column " + std::to_string(column) + " is not text");
}

std::optional<user_record> find_one(connection& db, const std::string& where,
                                    const std::vector<value>& params) {
  const auto found = db.execute(std::string(user_columns) + " WHERE " + where, params);
  if (found.rows.empty()) return std::nullopt;
  const auto& row = found.rows.front();
  user_record user{integer_at(row, 0),
                   text_at(row, 1),
                   text_at(row, 2),
                   text_at(row, 3),
                   integer_at(row, 4),
                   integer_at(row, 5),
                   {}};
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
  const value hash = password_hash.empty() ? value{} : value{password_hash};
  const auto inserted = db.execute(
      "INSERT INTO users (name, email, password_hash, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $4) RETURNING id",
      {name, email, hash, now_ms});
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
