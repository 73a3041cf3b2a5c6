#include "storage/admin_store.hpp"

#include "storage/message_event_rows.hpp"
#include "storage/message_rows.hpp"
#include "storage/row_cells.hpp"

#include <utility>

namespace schedulerd::storage {

namespace {

// The column a retry scope selects by; the kinds are the service's, never a client's text.
const char* scope_column(const std::string& kind) {
  if (kind == "provider") return "provider_id";
  if (kind == "batch") return "batch_id";
  return "id";
}

// The WHERE clause of a failed-messages list and its parameters, in order.
std::pair<std::string, std::vector<value>> failed_conditions(const domain::failed_filter& filter) {
  std::string where = " WHERE m.status = 'failed'";
  std::vector<value> params;
  const auto add = [&](const char* column, const std::optional<std::int64_t>& wanted) {
    if (!wanted) return;
    params.emplace_back(*wanted);
    where += " AND m.";
    where += column;
    where += " = $";
    where += std::to_string(params.size());
  };
  add("user_id", filter.user_id);
  add("provider_id", filter.provider_id);
  add("batch_id", filter.batch_id);
  return {std::move(where), std::move(params)};
}

// "$n" for the next parameter of `params`, which receives `v`.
std::string next_placeholder(std::vector<value>& params, value v) {
  params.push_back(std::move(v));
  std::string placeholder{"$"};
  placeholder += std::to_string(params.size());
  return placeholder;
}

constexpr auto connection_columns =
    "SELECT p.id, p.user_id, u.email, p.type, p.name, p.status, p.dispatch_paused_at,"
    " (SELECT COUNT(*) FROM scheduled_messages m WHERE m.provider_id = p.id"
    " AND m.status = 'pending'),"
    " (SELECT COUNT(*) FROM scheduled_messages m WHERE m.provider_id = p.id"
    " AND m.status = 'failed')"
    " FROM providers p JOIN users u ON u.id = p.user_id";

domain::admin_connection to_connection(const std::vector<value>& row) {
  domain::admin_connection found;
  found.id = integer_at(row, 0);
  found.user_id = integer_at(row, 1);
  found.user_email = text_at(row, 2);
  found.type = text_at(row, 3);
  found.name = text_at(row, 4);
  found.status = text_at(row, 5);
  found.dispatch_paused_at = optional_integer_at(row, 6);
  found.pending = integer_at(row, 7);
  found.failed = integer_at(row, 8);
  return found;
}

}  // namespace

domain::page<domain::message_record> list_failed_messages(connection& db,
                                                          const domain::failed_filter& filter) {
  auto [where, params] = failed_conditions(filter);
  domain::page<domain::message_record> failed;
  failed.total = integer_at(
      db.execute("SELECT COUNT(*) FROM scheduled_messages m" + where, params).rows.at(0), 0);
  std::string sql = "SELECT ";
  sql += message_columns;
  sql += message_tables;
  sql += where;
  sql += " ORDER BY m.updated_at DESC, m.id DESC LIMIT ";
  sql += next_placeholder(params, filter.per_page);
  sql += " OFFSET ";
  sql += next_placeholder(params, (filter.page - 1) * filter.per_page);
  const auto found = db.execute(sql, params);
  failed.items.reserve(found.rows.size());
  for (const auto& row : found.rows) failed.items.push_back(to_message(row));
  return failed;
}

std::vector<domain::due_entry> retry_failed(connection& db, const domain::retry_scope& scope,
                                            std::int64_t now_ms, const std::string& detail) {
  std::string sql =
      "UPDATE scheduled_messages SET status = 'pending', next_attempt_at = $1,"
      " lease_owner = NULL, lease_expires_at = NULL, updated_at = $1"
      " WHERE status = 'failed' AND ";
  sql += scope_column(scope.kind);
  sql += " = $2 RETURNING id, attempts";
  const auto retried = db.execute(sql, {now_ms, scope.id});
  std::vector<domain::due_entry> due;
  for (const auto id : insert_events_for(db, retried, "retry_scheduled", detail, now_ms)) {
    due.push_back({id, now_ms});
  }
  return due;
}

std::optional<std::string> message_status(connection& db, std::int64_t message_id) {
  const auto found =
      db.execute("SELECT status FROM scheduled_messages WHERE id = $1", {message_id});
  if (found.rows.empty()) return std::nullopt;
  return text_at(found.rows.front(), 0);
}

bool target_exists(connection& db, const std::string& kind, std::int64_t id) {
  const auto* sql = kind == "batch" ? "SELECT 1 FROM batches WHERE id = $1"
                                    : "SELECT 1 FROM providers WHERE id = $1";
  return !db.execute(sql, {id}).rows.empty();
}

std::optional<std::int64_t> batch_owner(connection& db, std::int64_t batch_id) {
  const auto found = db.execute("SELECT user_id FROM batches WHERE id = $1", {batch_id});
  if (found.rows.empty()) return std::nullopt;
  return integer_at(found.rows.front(), 0);
}

std::optional<domain::admin_connection> set_dispatch_paused(connection& db,
                                                            std::int64_t provider_id,
                                                            std::optional<std::int64_t> paused_at) {
  const auto changed =
      paused_at
          ? db.execute(
                "UPDATE providers SET dispatch_paused_at = COALESCE(dispatch_paused_at, $2)"
                " WHERE id = $1 RETURNING id",
                {provider_id, *paused_at})
          : db.execute("UPDATE providers SET dispatch_paused_at = NULL WHERE id = $1 RETURNING id",
                       {provider_id});
  if (changed.rows.empty()) return std::nullopt;
  const auto found =
      db.execute(std::string(connection_columns) + " WHERE p.id = $1", {provider_id});
  return to_connection(found.rows.at(0));
}

domain::page<domain::admin_connection> list_connections(connection& db, std::int64_t page,
                                                        std::int64_t per_page) {
  domain::page<domain::admin_connection> connections;
  connections.total = integer_at(db.execute("SELECT COUNT(*) FROM providers").rows.at(0), 0);
  const auto found =
      db.execute(std::string(connection_columns) + " ORDER BY p.id LIMIT $1 OFFSET $2",
                 {per_page, (page - 1) * per_page});
  connections.items.reserve(found.rows.size());
  for (const auto& row : found.rows) connections.items.push_back(to_connection(row));
  return connections;
}

void insert_audit(connection& db, const domain::audit_entry& entry) {
  db.execute(
      "INSERT INTO admin_audit (at, admin_id, admin_email, action, target, affected, detail)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {entry.at, entry.admin_id ? value{*entry.admin_id} : value{}, entry.admin_email, entry.action,
       entry.target, entry.affected, entry.detail});
}

domain::page<domain::audit_entry> list_audit(connection& db, std::int64_t page,
                                             std::int64_t per_page) {
  domain::page<domain::audit_entry> audit;
  audit.total = integer_at(db.execute("SELECT COUNT(*) FROM admin_audit").rows.at(0), 0);
  const auto found = db.execute(
      "SELECT id, at, admin_id, admin_email, action, target, affected, detail FROM admin_audit"
      " ORDER BY id DESC LIMIT $1 OFFSET $2",
      {per_page, (page - 1) * per_page});
  audit.items.reserve(found.rows.size());
  for (const auto& row : found.rows) {
    audit.items.push_back({integer_at(row, 0), integer_at(row, 1), optional_integer_at(row, 2),
                           text_at(row, 3), text_at(row, 4), text_at(row, 5), integer_at(row, 6),
                           text_at(row, 7)});
  }
  return audit;
}

}  // namespace schedulerd::storage
