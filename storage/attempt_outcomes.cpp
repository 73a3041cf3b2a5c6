#include <array>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/rfc3339.hpp"
#include "storage/dispatch_store.hpp"
#include "storage/fenced_outcomes.hpp"
#include "storage/message_event_rows.hpp"
#include "storage/placeholder_rows.hpp"
#include "storage/row_cells.hpp"
#include "storage/transaction.hpp"

// record_attempts (declared in dispatch_store.hpp). The results are grouped by outcome and each
// group is written with one UPDATE ... FROM unnest(arrays) on PostgreSQL and with multi-row
// UPDATE ... FROM (VALUES ...) statements on SQLite, so thousands of results cost a few round
// trips rather than one each.

namespace schedulerd::storage {
namespace {

// The parameters of each VALUES row: id, attempt, finished_at, retry_at, and the outcome's text
// (the provider's id of the message when sent, the error otherwise). Both backends name a VALUES
// list's columns column1, column2, ...; column6 and column7 repeat the owner ($1) and the status
// the claim must still have.
constexpr std::size_t values_params = 5;

// What an outcome writes besides clearing the lease.
const char* assignments(domain::attempt_outcome outcome) {
  switch (outcome) {
    case domain::attempt_outcome::sent:
      return "status = 'sent', sent_at = v.column3, provider_message_id = v.column5,"
             " last_error = NULL";
    case domain::attempt_outcome::retry:
      return "status = 'pending', next_attempt_at = v.column4, last_error = v.column5";
    case domain::attempt_outcome::failed:
      return "status = 'failed', last_error = v.column5";
    case domain::attempt_outcome::released:
      break;
  }
  return "status = 'pending', attempts = attempts - 1, next_attempt_at = v.column4";
}

// The VALUES row of the `row`th result; the first one carries the casts PostgreSQL needs to type
// the parameters, and the others follow its types.
void append_values_row(std::string& sql, std::size_t row) {
  const auto first = 2 + row * values_params;
  const auto param = [&](std::size_t column, const char* type) {
    sql += column == 0 ? "(" : ", ";
    if (row == 0) sql += "CAST(";
    sql += '$';
    sql += std::to_string(first + column);
    if (row == 0) {
      sql += " AS ";
      sql += type;
      sql += ')';
    }
  };
  param(0, "BIGINT");
  param(1, "BIGINT");
  param(2, "BIGINT");
  param(3, "BIGINT");
  param(4, "TEXT");
  sql += row == 0 ? ", CAST($1 AS TEXT), 'processing')" : ", $1, 'processing')";
}

// Every fence condition compares with a column of the results, leaving PostgreSQL no condition on
// scheduled_messages alone to estimate. Its statistics of status and lease_owner lag behind a
// burst of claims (they count the few processing rows of the last ANALYZE): given such a
// condition, it expects one row, loops over the results for each processing row, and takes 0.4 s
// a statement with 10,000 claims held. Without one, it joins by the primary key or by hash, as
// SQLite does.
constexpr auto fence =
    "m.id = v.column1 AND m.attempts = v.column2 AND m.lease_owner = v.column6"
    " AND m.status = v.column7 RETURNING id";

// The UPDATE of one outcome up to its FROM: what the outcome writes, and the lease cleared.
std::string update_from(domain::attempt_outcome outcome) {
  std::string sql = "UPDATE scheduled_messages AS m SET ";
  sql += assignments(outcome);
  sql += ", lease_owner = NULL, lease_expires_at = NULL, updated_at = v.column3 FROM ";
  return sql;
}

// The fenced UPDATE of `rows` results with one outcome; $1 is the owner.
std::string fenced_update(domain::attempt_outcome outcome, std::size_t rows) {
  auto sql = update_from(outcome);
  sql += "(VALUES ";
  for (std::size_t row = 0; row < rows; ++row) {
    if (row > 0) sql += ", ";
    append_values_row(sql, row);
  }
  sql += ") AS v WHERE ";
  sql += fence;
  return sql;
}

// The same UPDATE on PostgreSQL for any number of results: $2 to $6 each carry a column as an
// array. OFFSET 0 keeps the owner and status columns in the derived table, so the fence stays
// made of join conditions as with VALUES. The ids' array also bounds the rows on the primary key
// (its estimate is exact): given only the join, the planner hashed a seq scan of the table.
std::string fenced_array_update(domain::attempt_outcome outcome) {
  auto sql = update_from(outcome);
  sql +=
      "(SELECT u.*, CAST($1 AS TEXT) AS column6, CAST('processing' AS TEXT) AS column7"
      " FROM unnest(CAST($2 AS BIGINT[]), CAST($3 AS BIGINT[]), CAST($4 AS BIGINT[]),"
      " CAST($5 AS BIGINT[]), CAST($6 AS TEXT[]))"
      " AS u (column1, column2, column3, column4, column5) OFFSET 0) AS v"
      " WHERE m.id = ANY (CAST($2 AS BIGINT[])) AND ";
  sql += fence;
  return sql;
}

// A result's parameters, in the order of its VALUES row: id, attempt, finished_at, retry_at and
// the outcome's text (NULL when empty).
std::array<value, values_params> cells_of(const domain::attempt_result& result) {
  const auto& text =
      result.outcome == domain::attempt_outcome::sent ? result.provider_message_id : result.error;
  return {result.claim.id, std::int64_t{result.claim.attempt}, result.finished_at, result.retry_at,
          null_if_empty(text)};
}

// The history a stored result adds (for a release, only why the attempt never began).
void append_events(const domain::attempt_result& result, std::vector<event_row>& events) {
  const auto& claim = result.claim;
  const auto http_status =
      result.http_status == 0 ? std::nullopt : std::optional<std::int64_t>(result.http_status);
  const auto add = [&](const char* name, const std::string& detail, bool call) {
    events.push_back({claim.id, result.finished_at, name, claim.attempt, detail,
                      call ? http_status : std::nullopt,
                      call ? std::optional(result.latency_ms) : std::nullopt});
  };
  switch (result.outcome) {
    case domain::attempt_outcome::sent:
      add("sent", result.provider_message_id, true);
      break;
    case domain::attempt_outcome::retry:
      add("attempt_failed", result.error, true);
      add("retry_scheduled", "next attempt at " + domain::format_rfc3339(result.retry_at), false);
      break;
    case domain::attempt_outcome::failed:
      add("attempt_failed", result.error, true);
      add("failed", result.error, false);
      break;
    case domain::attempt_outcome::released:
      if (!result.error.empty()) {
        add("retry_scheduled", result.error, false);
      }
      break;
  }
}

}  // namespace

std::int64_t store_fenced_outcomes(connection& db, const std::string& owner,
                                   const std::vector<const domain::attempt_result*>& results,
                                   std::vector<event_row>& events) {
  if (results.empty()) return 0;
  const auto outcome = results.front()->outcome;
  // PostgreSQL takes them all in one statement, SQLite in VALUES lists of a few sizes.
  const bool as_arrays = db.kind() == dialect::postgres;
  const auto batches =
      as_arrays ? std::vector<std::size_t>{results.size()} : row_batches(results.size());
  std::int64_t stored = 0;
  std::size_t next = 0;
  for (const auto rows : batches) {
    std::vector<std::array<value, values_params>> cells;
    cells.reserve(rows);
    std::unordered_map<std::int64_t, const domain::attempt_result*> by_id;
    for (const auto end = next + rows; next < end; ++next) {
      const auto& result = *results[next];
      by_id.try_emplace(result.claim.id, &result);
      cells.push_back(cells_of(result));
    }
    std::vector<value> params{owner};
    if (as_arrays) {
      auto arrays = column_arrays(std::move(cells));
      params.insert(params.end(), std::make_move_iterator(arrays.begin()),
                    std::make_move_iterator(arrays.end()));
    } else {
      params.reserve(1 + rows * values_params);
      for (auto& row : cells) {
        params.insert(params.end(), std::make_move_iterator(row.begin()),
                      std::make_move_iterator(row.end()));
      }
    }
    const auto sql = as_arrays ? fenced_array_update(outcome) : fenced_update(outcome, rows);
    // RETURNING names exactly the rows whose claim still held: only they get events.
    for (const auto& row : db.execute(sql, params).rows) {
      append_events(*by_id.at(integer_at(row, 0)), events);
      ++stored;
    }
  }
  return stored;
}

outcome_groups group_by_outcome(const std::vector<domain::attempt_result>& results) {
  outcome_groups groups;
  for (const auto& result : results) {
    groups.at(static_cast<std::size_t>(result.outcome)).push_back(&result);
  }
  return groups;
}

std::int64_t record_attempts(connection& db, const std::string& owner,
                             const std::vector<domain::attempt_result>& results) {
  const auto by_outcome = group_by_outcome(results);
  return in_committed_transaction(db, [&] {
    std::int64_t stored = 0;
    std::vector<event_row> events;
    for (const auto& group : by_outcome) {
      stored += store_fenced_outcomes(db, owner, group, events);
    }
    insert_message_events(db, events);
    return stored;
  });
}

}  // namespace schedulerd::storage
