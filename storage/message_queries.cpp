#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/like_pattern.hpp"
#include "storage/message_rows.hpp"
#include "storage/message_store.hpp"
#include "storage/placeholder_rows.hpp"
#include "storage/row_cells.hpp"

// The reads of message_store.hpp; the writes are in message_store.cpp.

namespace schedulerd::storage {
namespace {

// The WHERE clause of a list request, its values as parameters ($1 is always the user); `column`
// is the prefix of every column name (a table alias and its dot, or nothing).
class list_conditions {
 public:
  list_conditions(std::int64_t user_id, const domain::message_filter& filter,
                  std::string column = "m.")
      : column_(std::move(column)) {
    params_.emplace_back(user_id);
    if (!filter.statuses.empty()) {
      sql_ += " AND ";
      sql_ += column_;
      sql_ += "status IN (";
      for (std::size_t i = 0; i < filter.statuses.size(); ++i) {
        if (i > 0) sql_ += ", ";
        sql_ += placeholder(filter.statuses[i]);
      }
      sql_ += ")";
    }
    if (filter.provider_id) add("provider_id = ", *filter.provider_id);
    if (filter.contact_id) add("contact_id = ", *filter.contact_id);
    if (filter.batch_id) add("batch_id = ", *filter.batch_id);
    if (filter.send_at_from) add("send_at >= ", *filter.send_at_from);
    if (filter.send_at_to) add("send_at <= ", *filter.send_at_to);
    if (!filter.q.empty()) {
      // Both sides go through the backend's lower(), so ASCII letters match in either case.
      sql_ += " AND lower(";
      sql_ += column_;
      sql_ += "content) LIKE lower(";
      sql_ += placeholder(contains_pattern(filter.q));
      sql_ += ") ESCAPE '!'";
    }
  }

  // The placeholder of a new parameter `param`.
  std::string placeholder(value param) {
    params_.push_back(std::move(param));
    std::string text = "$";
    text += std::to_string(params_.size());
    return text;
  }

  [[nodiscard]] std::string where() const {
    std::string clause = " WHERE ";
    clause += column_;
    clause += "user_id = $1";
    clause += sql_;
    return clause;
  }
  [[nodiscard]] const std::vector<value>& params() const { return params_; }

 private:
  void add(const char* condition, value param) {
    sql_ += " AND ";
    sql_ += column_;
    sql_ += condition;
    sql_ += placeholder(std::move(param));
  }

  std::string column_;
  std::string sql_;
  std::vector<value> params_;
};

// Whether a list's total can be read from the kept counts: they are per user, connection and
// status, so the request may filter by nothing else.
bool counts_answer(const domain::message_filter& filter) {
  return !filter.contact_id && !filter.batch_id && !filter.send_at_from && !filter.send_at_to &&
         filter.q.empty();
}

// The statement that counts what the list request matches: the kept counts (and the changes not
// yet folded into them) when they can answer, the matching rows otherwise. Its placeholders are
// those of `list_conditions(user_id, filter)`, so a page's statement can carry it as a subquery.
std::string total_query(std::int64_t user_id, const domain::message_filter& filter) {
  if (!counts_answer(filter)) {
    const list_conditions matching(user_id, filter, "t.");
    return "SELECT COUNT(*) FROM scheduled_messages t" + matching.where();
  }
  const list_conditions counted(user_id, filter, "");
  return "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM (SELECT n FROM message_counts" +
         counted.where() + " UNION ALL SELECT delta FROM message_count_deltas" + counted.where() +
         ") AS counted";
}

// The ORDER BY clause for `sort`; only whitelisted column names ever reach the SQL text. Ties are
// broken by id, and within a status by send_at first (the order of the user's status index).
std::string order_by(const domain::sort_order& sort) {
  static constexpr std::array<std::string_view, 4> sortable = {"send_at", "created_at",
                                                               "updated_at", "status"};
  const auto field = sort.field.empty() ? std::string_view("send_at") : sort.field;
  if (std::find(sortable.begin(), sortable.end(), field) == sortable.end()) {
    throw storage_error(failure::other, "list_messages: cannot sort by " + sort.field);
  }
  const auto* direction = sort.descending ? " DESC" : " ASC";
  std::string text = " ORDER BY m.";
  text += field;
  text += direction;
  if (field == "status") {
    text += ", m.send_at";
    text += direction;
  }
  text += ", m.id";
  text += direction;
  return text;
}

}  // namespace

std::optional<domain::message_record> find_message(connection& db, std::int64_t user_id,
                                                   std::int64_t message_id) {
  const auto found = db.execute(std::string("SELECT ") + message_columns + message_tables +
                                    " WHERE m.id = $1 AND m.user_id = $2",
                                {message_id, user_id});
  if (found.rows.empty()) return std::nullopt;
  return to_message(found.rows.front());
}

domain::page<domain::message_record> list_messages(connection& db, std::int64_t user_id,
                                                   const domain::message_filter& filter) {
  const list_conditions conditions(user_id, filter);
  const auto order = order_by(filter.sort);
  const auto total = total_query(user_id, filter);
  // The page's ids come from an index alone, skipping `offset` index entries rather than joined
  // rows; only the page's own rows are then read and joined. The total rides along in the same
  // statement (one round trip instead of two); only an empty page has to ask for it apart.
  //
  // LIMIT and OFFSET are written as numbers, not parameters: PostgreSQL plans a prepared
  // statement for any LIMIT as if it kept a tenth of the table, a plan so much dearer that it
  // planned every request afresh instead, which took 2.6 times as long as running it. Each page
  // size and page is its own statement in the connection's cache; the first page's serves every
  // request for it.
  std::string sql = "SELECT ";
  sql += message_columns;
  sql += ", (";
  sql += total;
  sql += ")";
  sql += message_tables;
  sql += " WHERE m.id IN (SELECT m.id FROM scheduled_messages m";
  sql += conditions.where();
  sql += order;
  sql += " LIMIT ";
  sql += std::to_string(filter.per_page);
  sql += " OFFSET ";
  sql += std::to_string((filter.page - 1) * filter.per_page);
  sql += ")";
  sql += order;
  const auto found = db.execute(sql, conditions.params());
  domain::page<domain::message_record> messages;
  if (found.rows.empty()) {
    messages.total = integer_at(db.execute(total, conditions.params()).rows.at(0), 0);
    return messages;
  }
  messages.total = integer_at(found.rows.front(), message_column_count);
  messages.items.reserve(found.rows.size());
  for (const auto& row : found.rows) messages.items.push_back(to_message(row));
  return messages;
}

std::optional<std::vector<domain::message_event>> message_events(connection& db,
                                                                 std::int64_t user_id,
                                                                 std::int64_t message_id) {
  if (db.execute("SELECT id FROM scheduled_messages WHERE id = $1 AND user_id = $2",
                 {message_id, user_id})
          .rows.empty()) {
    return std::nullopt;
  }
  const auto found = db.execute(
      "SELECT at, event, attempt, detail, http_status, latency_ms FROM message_events"
      " WHERE message_id = $1 ORDER BY id",
      {message_id});
  std::vector<domain::message_event> events;
  events.reserve(found.rows.size());
  for (const auto& row : found.rows) {
    const auto http_status = optional_integer_at(row, 4);
    events.push_back(
        {integer_at(row, 0), text_at(row, 1), static_cast<std::int32_t>(integer_at(row, 2)),
         optional_text_at(row, 3).value_or(""),
         http_status ? std::optional(static_cast<std::int32_t>(*http_status)) : std::nullopt,
         optional_integer_at(row, 5)});
  }
  return events;
}

std::optional<domain::batch_record> find_batch(connection& db, std::int64_t user_id,
                                               std::int64_t batch_id) {
  const auto found = db.execute(
      "SELECT id, user_id, provider_id, total, content, send_at, created_at FROM batches"
      " WHERE id = $1 AND user_id = $2",
      {batch_id, user_id});
  if (found.rows.empty()) return std::nullopt;
  const auto& row = found.rows.front();
  domain::batch_record batch;
  batch.id = integer_at(row, 0);
  batch.user_id = integer_at(row, 1);
  batch.provider_id = integer_at(row, 2);
  batch.total = integer_at(row, 3);
  batch.content = text_at(row, 4);
  batch.send_at = integer_at(row, 5);
  batch.created_at = integer_at(row, 6);
  const auto counted = db.execute(
      "SELECT status, COUNT(*) FROM scheduled_messages WHERE batch_id = $1 GROUP BY status",
      {batch_id});
  for (const auto& count_row : counted.rows) {
    const auto status = text_at(count_row, 0);
    const auto count = integer_at(count_row, 1);
    if (status == "pending") batch.counts.pending = count;
    if (status == "processing") batch.counts.processing = count;
    if (status == "sent") batch.counts.sent = count;
    if (status == "failed") batch.counts.failed = count;
    if (status == "cancelled") batch.counts.cancelled = count;
  }
  return batch;
}

std::vector<std::int64_t> foreign_contacts(connection& db, std::int64_t provider_id,
                                           const std::vector<std::int64_t>& contact_ids) {
  // The connection is compared here, not in SQL: given `provider_id = $n` too, SQLite would read
  // every contact of the connection through its (provider_id, name, id) index for each chunk
  // instead of looking up the ids.
  std::unordered_set<std::int64_t> own;
  const auto keep_own = [&](const result& found) {
    for (const auto& row : found.rows) {
      if (integer_at(row, 1) == provider_id) own.insert(integer_at(row, 0));
    }
  };
  if (db.kind() == dialect::postgres) {
    // The locks stand in for a message's key to its contact (postgres/0006_contact_lock.sql).
    // The connection is locked first: deleting it locks the connection, then its contacts, and
    // locking them the other way round could deadlock with it.
    db.execute("SELECT id FROM providers WHERE id = $1 FOR KEY SHARE", {provider_id});
    keep_own(db.execute(
        "SELECT id, provider_id FROM contacts WHERE id = ANY (CAST($1 AS BIGINT[])) FOR KEY SHARE",
        {bigint_array(contact_ids)}));
  } else {
    std::size_t next = 0;
    for (const auto rows : row_batches(contact_ids.size())) {
      std::vector<value> params;
      params.reserve(rows);
      for (const auto end = next + rows; next < end; ++next) params.emplace_back(contact_ids[next]);
      // One row of `rows` placeholders is exactly an IN list.
      keep_own(db.execute(
          "SELECT id, provider_id FROM contacts WHERE id IN " + placeholder_rows(1, rows), params));
    }
  }
  std::vector<std::int64_t> foreign;
  std::unordered_set<std::int64_t> listed;
  for (const auto id : contact_ids) {
    if (!own.contains(id) && listed.insert(id).second) foreign.push_back(id);
  }
  return foreign;
}

}  // namespace schedulerd::storage
