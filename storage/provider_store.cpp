#include "storage/provider_store.hpp"

#include <optional>
#include <string>
#include <vector>

#include "storage/field_values_json.hpp"
#include "storage/message_event_rows.hpp"
#include "storage/row_cells.hpp"

namespace schedulerd::storage {
namespace {

constexpr auto provider_fields =
    "id, user_id, type, name, status, enabled, credentials_ciphertext, credentials_hint, settings,"
    " last_error, last_checked_at, contacts_count, contacts_synced_at, sync_status,"
    " sync_started_at, sync_finished_at, sync_imported, sync_error, created_at, updated_at,"
    " dispatch_paused_at";

constexpr auto cancelled_detail = "the provider connection was deleted";

// The providers columns in provider_fields order.
domain::provider_record to_provider(const std::vector<value>& row) {
  domain::provider_record record;
  record.id = integer_at(row, 0);
  record.user_id = integer_at(row, 1);
  record.type = text_at(row, 2);
  record.name = text_at(row, 3);
  record.status = text_at(row, 4);
  record.enabled = integer_at(row, 5) != 0;
  record.credentials_ciphertext = text_at(row, 6);
  record.credentials_hint = field_values_from_json(text_at(row, 7));
  record.settings = field_values_from_json(text_at(row, 8));
  record.last_error = optional_text_at(row, 9).value_or("");
  record.last_checked_at = optional_integer_at(row, 10);
  record.contacts_count = integer_at(row, 11);
  record.contacts_synced_at = optional_integer_at(row, 12);
  record.sync.status = optional_text_at(row, 13).value_or("");
  record.sync.started_at = optional_integer_at(row, 14);
  record.sync.finished_at = optional_integer_at(row, 15);
  record.sync.imported = integer_at(row, 16);
  record.sync.error = optional_text_at(row, 17).value_or("");
  record.created_at = integer_at(row, 18);
  record.updated_at = integer_at(row, 19);
  record.dispatch_paused_at = optional_integer_at(row, 20);
  return record;
}

std::optional<domain::provider_record> find_one(connection& db, const std::string& where,
                                                const std::vector<value>& params) {
  const auto found = db.execute(
      std::string("SELECT ") + provider_fields + " FROM providers WHERE " + where, params);
  if (found.rows.empty()) return std::nullopt;
  return to_provider(found.rows.front());
}

// The ORDER BY clause for `sort`; only whitelisted column names ever reach the SQL text.
std::string order_by(const domain::sort_order& sort) {
  const auto* direction = sort.descending ? " DESC" : " ASC";
  if (sort.field.empty() || sort.field == "id") return std::string(" ORDER BY id") + direction;
  if (sort.field != "name" && sort.field != "created_at") {
    throw storage_error(failure::other, "list_providers: cannot sort by " + sort.field);
  }
  return " ORDER BY " + sort.field + direction + ", id" + direction;
}

}  // namespace

domain::provider_record insert_provider(connection& db, const domain::provider_record& record) {
  const auto inserted = db.execute(
      std::string("INSERT INTO providers (user_id, type, name, status, enabled,"
                  " credentials_ciphertext, credentials_hint, settings, last_error,"
                  " last_checked_at, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ") +
          provider_fields,
      {record.user_id, record.type, record.name, record.status,
       std::int64_t{record.enabled ? 1 : 0}, record.credentials_ciphertext,
       field_values_to_json(record.credentials_hint), field_values_to_json(record.settings),
       null_if_empty(record.last_error), nullable(record.last_checked_at), record.created_at,
       record.updated_at});
  if (inserted.rows.empty()) throw storage_error(failure::other, "insert_provider: no id");
  return to_provider(inserted.rows.front());
}

std::optional<domain::provider_record> find_provider(connection& db, std::int64_t user_id,
                                                     std::int64_t provider_id) {
  return find_one(db, "id = $1 AND user_id = $2", {provider_id, user_id});
}

std::optional<domain::provider_record> find_provider_by_id(connection& db,
                                                           std::int64_t provider_id) {
  return find_one(db, "id = $1", {provider_id});
}

domain::page<domain::provider_record> list_providers(connection& db, std::int64_t user_id,
                                                     const domain::sort_order& sort,
                                                     std::int64_t limit, std::int64_t offset) {
  const auto found =
      db.execute(std::string("SELECT ") + provider_fields + " FROM providers WHERE user_id = $1" +
                     order_by(sort) + " LIMIT $2 OFFSET $3",
                 {user_id, limit, offset});
  domain::page<domain::provider_record> providers;
  providers.items.reserve(found.rows.size());
  for (const auto& row : found.rows) providers.items.push_back(to_provider(row));
  const auto counted = db.execute("SELECT COUNT(*) FROM providers WHERE user_id = $1", {user_id});
  providers.total = integer_at(counted.rows.at(0), 0);
  return providers;
}

bool update_provider(connection& db, const domain::provider_record& record, std::int64_t now_ms) {
  // The owner is part of the key, so a record that names another user's row changes nothing.
  return db.execute(
               "UPDATE providers SET name = $3, status = $4, enabled = $5,"
               " credentials_ciphertext = $6, credentials_hint = $7, settings = $8,"
               " last_error = $9, last_checked_at = $10, updated_at = $11"
               " WHERE id = $1 AND user_id = $2",
               {record.id, record.user_id, record.name, record.status,
                std::int64_t{record.enabled ? 1 : 0}, record.credentials_ciphertext,
                field_values_to_json(record.credentials_hint),
                field_values_to_json(record.settings), null_if_empty(record.last_error),
                nullable(record.last_checked_at), now_ms})
             .affected_rows == 1;
}

bool record_provider_check(connection& db, std::int64_t provider_id, const std::string& status,
                           const std::string& last_error, std::int64_t now_ms) {
  // One statement, so a user disabling the connection meanwhile is never overwritten.
  return db.execute(
               "UPDATE providers SET status = CASE WHEN enabled = 0 THEN 'inactive' ELSE $2 END,"
               " last_error = $3, last_checked_at = $4 WHERE id = $1",
               {provider_id, status, null_if_empty(last_error), now_ms})
             .affected_rows == 1;
}

bool store_provider_credentials(connection& db, std::int64_t provider_id,
                                const std::string& ciphertext, const domain::field_values& hint,
                                std::int64_t now_ms) {
  return db.execute(
               "UPDATE providers SET credentials_ciphertext = $2, credentials_hint = $3,"
               " updated_at = $4 WHERE id = $1",
               {provider_id, ciphertext, field_values_to_json(hint), now_ms})
             .affected_rows == 1;
}

bool delete_provider(connection& db, std::int64_t user_id, std::int64_t provider_id) {
  return db.execute("DELETE FROM providers WHERE id = $1 AND user_id = $2", {provider_id, user_id})
             .affected_rows == 1;
}

std::int64_t count_open_messages(connection& db, std::int64_t provider_id) {
  const auto counted = db.execute(
      "SELECT COUNT(*) FROM scheduled_messages"
      " WHERE provider_id = $1 AND status IN ('pending', 'processing')",
      {provider_id});
  return integer_at(counted.rows.at(0), 0);
}

std::int64_t cancel_pending_messages(connection& db, std::int64_t provider_id,
                                     std::int64_t now_ms) {
  // RETURNING names exactly the rows this UPDATE changed, so a message the dispatcher claims in
  // the meantime gets no event for a cancellation that did not happen.
  const auto cancelled = db.execute(
      "UPDATE scheduled_messages SET status = 'cancelled', updated_at = $2"
      " WHERE provider_id = $1 AND status = 'pending' RETURNING id, attempts",
      {provider_id, now_ms});
  std::vector<event_row> events;
  events.reserve(cancelled.rows.size());
  for (const auto& message : cancelled.rows) {
    events.push_back({integer_at(message, 0), now_ms, "cancelled", integer_at(message, 1),
                      cancelled_detail, std::nullopt, std::nullopt});
  }
  insert_message_events(db, events);
  return static_cast<std::int64_t>(cancelled.rows.size());
}

std::vector<sealed_credentials> list_sealed_credentials(connection& db) {
  const auto found = db.execute("SELECT id, credentials_ciphertext FROM providers ORDER BY id");
  std::vector<sealed_credentials> all;
  all.reserve(found.rows.size());
  for (const auto& row : found.rows) all.push_back({integer_at(row, 0), text_at(row, 1)});
  return all;
}

void replace_sealed_credentials(connection& db, std::int64_t provider_id,
                                const std::string& ciphertext) {
  db.execute("UPDATE providers SET credentials_ciphertext = $2 WHERE id = $1",
             {provider_id, ciphertext});
}

}  // namespace schedulerd::storage
