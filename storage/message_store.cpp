#include "storage/message_store.hpp"

#include <array>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "storage/message_event_rows.hpp"
#include "storage/message_rows.hpp"
#include "storage/placeholder_rows.hpp"
#include "storage/row_cells.hpp"
#include "storage/transaction.hpp"

// The writes of message_store.hpp; the reads are in message_queries.cpp.

namespace schedulerd::storage {
namespace {

constexpr auto cancelled_detail = "cancelled by the user";
constexpr auto batch_cancelled_detail = "the batch was cancelled";

// The parameters every row of a batch shares come first ($1..$6), so each row adds only its
// contact: a 10,000-contact batch sends the content once per statement, not once per row.
constexpr std::size_t shared_batch_params = 6;

// `rows` VALUES groups of a batch's messages, the contacts numbered from $7.
std::string batch_rows(std::size_t rows) {
  std::string text;
  text.reserve(rows * 48);
  for (std::size_t row = 0; row < rows; ++row) {
    // Appended piece by piece: `"..." + std::to_string(...)` trips GCC 12's -Wrestrict at -O3.
    text += row == 0 ? "($1, $2, $" : ", ($1, $2, $";
    text += std::to_string(shared_batch_params + 1 + row);
    text += ", $3, $4, $5, $5, $6, $6)";
  }
  return text;
}

// The messages of batch `batch_id` on PostgreSQL: one statement, the contacts as one array
// parameter, taken in their order so that the ids follow it.
void insert_batch_messages_pg(connection& db, std::int64_t user_id, std::int64_t batch_id,
                              const domain::bulk_draft& draft, std::int64_t now_ms) {
  db.execute(
      "INSERT INTO scheduled_messages (user_id, provider_id, contact_id, batch_id, content,"
      " send_at, next_attempt_at, created_at, updated_at)"
      " SELECT $1, $2, c.id, $3, $4, $5, $5, $6, $6"
      " FROM unnest(CAST($7 AS BIGINT[])) WITH ORDINALITY AS c (id, n) ORDER BY c.n",
      {user_id, draft.provider_id, batch_id, draft.content, draft.send_at, now_ms,
       bigint_array(draft.contact_ids)});
}

// The messages of batch `batch_id` on SQLite, which takes no array: multi-row statements.
void insert_batch_messages_sqlite(connection& db, std::int64_t user_id, std::int64_t batch_id,
                                  const domain::bulk_draft& draft, std::int64_t now_ms) {
  std::size_t next = 0;
  for (const auto rows : row_batches(draft.contact_ids.size())) {
    std::vector<value> params{user_id,       draft.provider_id, batch_id,
                              draft.content, draft.send_at,     now_ms};
    params.reserve(shared_batch_params + rows);
    for (const auto end = next + rows; next < end; ++next) {
      params.emplace_back(draft.contact_ids[next]);
    }
    db.execute(
        "INSERT INTO scheduled_messages (user_id, provider_id, contact_id, batch_id, content,"
        " send_at, next_attempt_at, created_at, updated_at) VALUES " +
            batch_rows(rows),
        params);
  }
}

// How a new message is inserted: its values follow ($1 user, $2 connection, $3 contact,
// $4 content, $5 send_at, $6 now; next_attempt_at is send_at).
constexpr auto new_message_insert =
    "INSERT INTO scheduled_messages (user_id, provider_id, contact_id, content, send_at,"
    " next_attempt_at, created_at, updated_at) ";

// A new message's values, found only when connection $2 is user $1's and enabled and contact
// $3 is one of its contacts.
constexpr auto allowed_message_values =
    "SELECT $1, p.id, c.id, $4, $5, $5, $6, $6 FROM providers p"
    " JOIN contacts c ON c.provider_id = p.id"
    " WHERE p.id = $2 AND p.user_id = $1 AND p.enabled = 1 AND c.id = $3";

std::vector<value> new_message_params(std::int64_t user_id, const domain::message_draft& draft,
                                      std::int64_t now_ms) {
  return {user_id, draft.provider_id, draft.contact_id, draft.content, draft.send_at, now_ms};
}

// Records the `created` event of the message `inserted` returned (id, attempts) and reads it
// back; nothing when no row was inserted.
std::optional<domain::message_record> record_created(connection& db, std::int64_t user_id,
                                                     const result& inserted, std::int64_t now_ms) {
  if (inserted.rows.empty()) return std::nullopt;
  insert_events_for(db, inserted, "created", "", now_ms);
  auto stored = find_message(db, user_id, integer_at(inserted.rows.front(), 0));
  if (!stored) throw storage_error(failure::other, "insert_message: the message is gone");
  return stored;
}

// The event detail naming what `patch` changes, in the API's field names.
std::string changed_fields(const domain::message_patch& patch) {
  std::string detail;
  const auto add = [&](const char* field) {
    detail += detail.empty() ? "changed: " : ", ";
    detail += field;
  };
  if (patch.contact_id) add("contact_id");
  if (patch.content) add("content");
  if (patch.send_at) add("send_at");
  return detail;
}

}  // namespace

domain::message_record insert_message(connection& db, std::int64_t user_id,
                                      const domain::message_draft& draft, std::int64_t now_ms) {
  const auto inserted =
      db.execute(std::string(new_message_insert) +
                     "VALUES ($1, $2, $3, $4, $5, $5, $6, $6) RETURNING id, attempts",
                 new_message_params(user_id, draft, now_ms));
  auto stored = record_created(db, user_id, inserted, now_ms);
  if (!stored) throw storage_error(failure::other, "insert_message: no id");
  return std::move(*stored);
}

std::optional<domain::message_record> insert_allowed_message(connection& db, std::int64_t user_id,
                                                             const domain::message_draft& draft,
                                                             std::int64_t now_ms) {
  // PostgreSQL's one statement is atomic alone; SQLite's three need a transaction around them.
  if (db.kind() == dialect::postgres) {
    return insert_allowed_message_in_transaction(db, user_id, draft, now_ms);
  }
  return in_transaction(
      db, [&] { return insert_allowed_message_in_transaction(db, user_id, draft, now_ms); });
}

std::optional<domain::message_record> insert_allowed_message_in_transaction(
    connection& db, std::int64_t user_id, const domain::message_draft& draft, std::int64_t now_ms) {
  if (db.kind() == dialect::postgres) {
    // One statement: the row, its event and the answer, in one round trip. The contact is locked
    // against deletion until the row is committed (postgres/0006_contact_lock.sql).
    static const std::string sql =
        std::string("WITH m AS (") + new_message_insert + allowed_message_values +
        " FOR KEY SHARE OF c RETURNING *),"
        " e AS (INSERT INTO message_events (message_id, at, event, attempt)"
        " SELECT id, created_at, 'created', attempts FROM m) SELECT " +
        message_columns + " FROM m JOIN contacts c ON c.id = m.contact_id";
    const auto found = db.execute(sql, new_message_params(user_id, draft, now_ms));
    if (found.rows.empty()) return std::nullopt;
    return to_message(found.rows.front());
  }
  const auto inserted = db.execute(
      std::string(new_message_insert) + allowed_message_values + " RETURNING id, attempts",
      new_message_params(user_id, draft, now_ms));
  return record_created(db, user_id, inserted, now_ms);
}

std::vector<std::optional<domain::message_record>> insert_allowed_messages(
    connection& db, std::int64_t user_id, const std::vector<allowed_message_request>& requests) {
  if (db.kind() != dialect::postgres) {
    // SQLite runs in this process: statement after statement costs no round trip, and the one
    // transaction makes one commit of them all.
    return in_committed_transaction(db, [&] {
      std::vector<std::optional<domain::message_record>> stored;
      stored.reserve(requests.size());
      for (const auto& [draft, now_ms] : requests) {
        stored.push_back(insert_allowed_message_in_transaction(db, user_id, draft, now_ms));
      }
      return stored;
    });
  }
  // insert_allowed_message_in_transaction's statement, one row per request (in their order, so
  // the ids follow it too).
  static const std::string sql =
      "WITH r AS (SELECT * FROM unnest(CAST($2 AS BIGINT[]), CAST($3 AS BIGINT[]),"
      " CAST($4 AS TEXT[]), CAST($5 AS BIGINT[]), CAST($6 AS BIGINT[])) WITH ORDINALITY"
      " AS r(provider_id, contact_id, content, send_at, created_at, n)),"
      " m AS (" +
      std::string(new_message_insert) +
      "SELECT $1, p.id, c.id, r.content, r.send_at, r.send_at, r.created_at, r.created_at FROM r"
      " JOIN providers p ON p.id = r.provider_id"
      " JOIN contacts c ON c.id = r.contact_id AND c.provider_id = p.id"
      " WHERE p.user_id = $1 AND p.enabled = 1 ORDER BY r.n FOR KEY SHARE OF c RETURNING *),"
      " e AS (INSERT INTO message_events (message_id, at, event, attempt)"
      " SELECT id, created_at, 'created', attempts FROM m) SELECT " +
      message_columns + " FROM m JOIN contacts c ON c.id = m.contact_id ORDER BY m.id";
  std::vector<std::array<value, 5>> rows;
  rows.reserve(requests.size());
  for (const auto& [draft, now_ms] : requests) {
    rows.push_back({draft.provider_id, draft.contact_id, draft.content, draft.send_at, now_ms});
  }
  auto params = column_arrays(std::move(rows));
  params.insert(params.begin(), user_id);
  const auto found = db.execute(sql, params);
  // Requests alike in every value get the same answer, so the stored rows go to them in order.
  using request_key =
      std::tuple<std::int64_t, std::int64_t, std::string, std::int64_t, std::int64_t>;
  std::map<request_key, std::deque<domain::message_record>> stored_for;
  for (const auto& row : found.rows) {
    auto message = to_message(row);
    request_key key{message.provider_id, message.contact.id, message.content, message.send_at,
                    message.created_at};
    stored_for[std::move(key)].push_back(std::move(message));
  }
  std::vector<std::optional<domain::message_record>> stored;
  stored.reserve(requests.size());
  for (const auto& [draft, now_ms] : requests) {
    auto match = stored_for.find(
        request_key{draft.provider_id, draft.contact_id, draft.content, draft.send_at, now_ms});
    if (match == stored_for.end() || match->second.empty()) {
      stored.emplace_back(std::nullopt);
      continue;
    }
    stored.emplace_back(std::move(match->second.front()));
    match->second.pop_front();
  }
  return stored;
}

domain::batch_record insert_batch(connection& db, std::int64_t user_id,
                                  const domain::bulk_draft& draft, std::int64_t now_ms) {
  domain::batch_record batch;
  batch.user_id = user_id;
  batch.provider_id = draft.provider_id;
  batch.total = static_cast<std::int64_t>(draft.contact_ids.size());
  batch.counts.pending = batch.total;
  batch.content = draft.content;
  batch.send_at = draft.send_at;
  batch.created_at = now_ms;
  const auto inserted = db.execute(
      "INSERT INTO batches (user_id, provider_id, total, content, send_at, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {user_id, draft.provider_id, batch.total, draft.content, draft.send_at, now_ms});
  if (inserted.rows.empty()) throw storage_error(failure::other, "insert_batch: no id");
  batch.id = integer_at(inserted.rows.front(), 0);

  if (db.kind() == dialect::postgres) {
    insert_batch_messages_pg(db, user_id, batch.id, draft, now_ms);
  } else {
    insert_batch_messages_sqlite(db, user_id, batch.id, draft, now_ms);
  }
  // One statement for every `created` event: the batch's messages are exactly the new rows.
  db.execute(
      "INSERT INTO message_events (message_id, at, event, attempt)"
      " SELECT id, $2, 'created', 0 FROM scheduled_messages WHERE batch_id = $1 ORDER BY id",
      {batch.id, now_ms});
  return batch;
}

std::optional<domain::message_record> update_pending_message(connection& db, std::int64_t user_id,
                                                             std::int64_t message_id,
                                                             const domain::message_patch& patch,
                                                             std::int64_t now_ms) {
  std::vector<value> params{message_id, user_id, now_ms};
  std::string assignments = "updated_at = $3";
  const auto assign = [&](const char* column, value new_value) {
    params.push_back(std::move(new_value));
    assignments += ", ";
    assignments += column;
    assignments += " = $";
    assignments += std::to_string(params.size());
  };
  if (patch.contact_id) assign("contact_id", *patch.contact_id);
  if (patch.content) assign("content", *patch.content);
  if (patch.send_at) {
    assign("send_at", *patch.send_at);
    assign("next_attempt_at", *patch.send_at);
  }
  if (params.size() == 3) {
    // Nothing to change: no write and no event, but the same answer a change would get.
    auto found = find_message(db, user_id, message_id);
    if (!found || found->status != "pending") return std::nullopt;
    return found;
  }
  // One conditional UPDATE: a claim that wins the race leaves status 'processing', and this
  // changes nothing.
  const auto updated = db.execute("UPDATE scheduled_messages SET " + assignments +
                                      " WHERE id = $1 AND user_id = $2 AND status = 'pending'"
                                      " RETURNING id, attempts",
                                  params);
  if (updated.rows.empty()) return std::nullopt;
  insert_events_for(db, updated, "updated", changed_fields(patch), now_ms);
  return find_message(db, user_id, message_id);
}

std::optional<domain::message_record> cancel_pending_message(connection& db, std::int64_t user_id,
                                                             std::int64_t message_id,
                                                             std::int64_t now_ms) {
  const auto cancelled = db.execute(
      "UPDATE scheduled_messages SET status = 'cancelled', lease_owner = NULL,"
      " lease_expires_at = NULL, updated_at = $3"
      " WHERE id = $1 AND user_id = $2 AND status = 'pending' RETURNING id, attempts",
      {message_id, user_id, now_ms});
  if (cancelled.rows.empty()) return std::nullopt;
  insert_events_for(db, cancelled, "cancelled", cancelled_detail, now_ms);
  return find_message(db, user_id, message_id);
}

std::optional<std::vector<std::int64_t>> cancel_pending_batch(connection& db, std::int64_t user_id,
                                                              std::int64_t batch_id,
                                                              std::int64_t now_ms) {
  if (db.execute("SELECT id FROM batches WHERE id = $1 AND user_id = $2", {batch_id, user_id})
          .rows.empty()) {
    return std::nullopt;
  }
  const auto cancelled = db.execute(
      "UPDATE scheduled_messages SET status = 'cancelled', lease_owner = NULL,"
      " lease_expires_at = NULL, updated_at = $3"
      " WHERE batch_id = $1 AND user_id = $2 AND status = 'pending' RETURNING id, attempts",
      {batch_id, user_id, now_ms});
  return insert_events_for(db, cancelled, "cancelled", batch_cancelled_detail, now_ms);
}

}  // namespace schedulerd::storage
