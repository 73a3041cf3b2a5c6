#include "storage/sent_journal.hpp"

#include <array>
#include <cstddef>
#include <map>
#include <utility>

#include "storage/fenced_outcomes.hpp"
#include "storage/message_event_rows.hpp"
#include "storage/placeholder_rows.hpp"
#include "storage/row_cells.hpp"
#include "storage/transaction.hpp"

namespace schedulerd::storage {

namespace {

// The journal's columns, in the order of the cells below and of every RETURNING.
constexpr auto journal_columns =
    "message_id, attempt, lease_owner, provider_id, sent_at, provider_message_id, http_status,"
    " latency_ms";
constexpr std::size_t columns = 8;

// The most journal rows one step of a fold takes: a step's rows, results and events are in
// memory at once, and a burst's journal holds as many rows as it sent.
constexpr std::int64_t fold_step = 2000;

// A store tried again after its first try committed unseen (the connection dropped before the
// answer) journals the same sends again: the rows are already there.
constexpr auto on_replay = " ON CONFLICT (message_id, attempt) DO NOTHING";

std::array<value, columns> cells_of(const std::string& owner, const domain::attempt_result& sent) {
  return {sent.claim.id,
          std::int64_t{sent.claim.attempt},
          owner,
          sent.claim.provider_id,
          sent.finished_at,
          null_if_empty(sent.provider_message_id),
          std::int64_t{sent.http_status},
          sent.latency_ms};
}

void insert_journal_rows(connection& db, const std::string& owner,
                         const std::vector<const domain::attempt_result*>& sends) {
  if (sends.empty()) return;
  std::vector<std::array<value, columns>> rows;
  rows.reserve(sends.size());
  for (const auto* sent : sends) rows.push_back(cells_of(owner, *sent));
  const auto head = std::string("INSERT INTO sent_outcomes (") + journal_columns + ")";
  if (db.kind() != dialect::postgres) {
    insert_value_rows(db, head, std::move(rows), on_replay);
    return;
  }
  db.execute(head + " SELECT " + journal_columns +
                 " FROM unnest(CAST($1 AS BIGINT[]), CAST($2 AS INTEGER[]), CAST($3 AS TEXT[]),"
                 " CAST($4 AS BIGINT[]), CAST($5 AS BIGINT[]), CAST($6 AS TEXT[]),"
                 " CAST($7 AS INTEGER[]), CAST($8 AS BIGINT[])) AS j (" +
                 journal_columns + ")" + on_replay,
             column_arrays(std::move(rows)));
}

// The send a journal row (as RETURNING gives it) recorded.
domain::attempt_result sent_of(const std::vector<value>& row) {
  domain::attempt_result sent;
  sent.claim.id = integer_at(row, 0);
  sent.claim.attempt = static_cast<std::int32_t>(integer_at(row, 1));
  sent.claim.provider_id = integer_at(row, 3);
  sent.outcome = domain::attempt_outcome::sent;
  sent.finished_at = integer_at(row, 4);
  sent.provider_message_id = optional_text_at(row, 5).value_or("");
  sent.http_status = static_cast<std::int32_t>(optional_integer_at(row, 6).value_or(0));
  sent.latency_ms = optional_integer_at(row, 7).value_or(0);
  return sent;
}

// Writes the journal rows a DELETE ... RETURNING took into their messages, by lease owner (the
// claim that fences each).
sends_folded fold_taken(connection& db, const result& taken) {
  std::map<std::string, std::vector<domain::attempt_result>> by_owner;
  for (const auto& row : taken.rows) by_owner[text_at(row, 2)].push_back(sent_of(row));
  sends_folded done{static_cast<std::int64_t>(taken.rows.size()), 0};
  std::vector<event_row> events;
  for (const auto& [owner, sends] : by_owner) {
    std::vector<const domain::attempt_result*> group;
    group.reserve(sends.size());
    for (const auto& sent : sends) group.push_back(&sent);
    done.folded += store_fenced_outcomes(db, owner, group, events);
  }
  insert_message_events(db, events);
  return done;
}

// Folds the journal rows that match `condition`, a step at a time, in the caller's transaction.
sends_folded fold_where(connection& db, const std::string& condition,
                        const std::vector<value>& params) {
  const auto sql = std::string(
                       "DELETE FROM sent_outcomes WHERE (message_id, attempt) IN"
                       " (SELECT message_id, attempt FROM sent_outcomes WHERE ") +
                   condition + " LIMIT " + std::to_string(fold_step) + ") RETURNING " +
                   journal_columns;
  sends_folded done;
  for (;;) {
    const auto step = fold_taken(db, db.execute(sql, params));
    done.taken += step.taken;
    done.folded += step.folded;
    if (step.taken < fold_step) return done;
  }
}

}  // namespace

std::int64_t journal_attempts(connection& db, const std::string& owner,
                              const std::vector<domain::attempt_result>& results) {
  const auto by_outcome = group_by_outcome(results);
  return in_committed_transaction(db, [&] {
    const auto& sends = by_outcome.at(static_cast<std::size_t>(domain::attempt_outcome::sent));
    insert_journal_rows(db, owner, sends);
    auto stored = static_cast<std::int64_t>(sends.size());
    std::vector<event_row> events;
    for (const auto& group : by_outcome) {
      // Every other outcome goes straight into its message.
      if (&group != &sends) stored += store_fenced_outcomes(db, owner, group, events);
    }
    insert_message_events(db, events);
    return stored;
  });
}

sends_folded fold_sends(connection& db, const std::string& owner, std::int64_t provider_id) {
  return in_committed_transaction(db, [&] {
    return fold_where(db, "lease_owner = $1 AND provider_id = $2", {owner, provider_id});
  });
}

sends_folded fold_orphaned_sends(connection& db, std::int64_t now_ms,
                                 std::int64_t written_before_ms) {
  return fold_where(db,
                    "sent_at < $1 OR message_id IN (SELECT id FROM scheduled_messages"
                    " WHERE status = 'processing' AND lease_expires_at < $2)",
                    {written_before_ms, now_ms});
}

}  // namespace schedulerd::storage
