#include "storage/message_event_rows.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "storage/placeholder_rows.hpp"
#include "storage/row_cells.hpp"

namespace schedulerd::storage {

namespace {

// The columns of message_events a store writes, in the order of both forms below.
constexpr auto event_columns = "message_id, at, event, attempt, detail, http_status, latency_ms";
constexpr std::size_t columns = 7;

// The cells of one event, in event_columns' order.
std::array<value, columns> cells_of(const event_row& event) {
  return {event.message_id,
          event.at,
          event.event,
          event.attempt,
          null_if_empty(event.detail),
          nullable(event.http_status),
          nullable(event.latency_ms)};
}

}  // namespace

void insert_message_events(connection& db, const std::vector<event_row>& events) {
  if (events.empty()) return;
  std::vector<std::array<value, columns>> rows;
  rows.reserve(events.size());
  for (const auto& event : events) rows.push_back(cells_of(event));
  const auto head = std::string("INSERT INTO message_events (") + event_columns + ")";
  if (db.kind() != dialect::postgres) {
    insert_value_rows(db, head, std::move(rows));
    return;
  }
  // PostgreSQL takes every event in one statement, a column per array: parsed and planned once,
  // however many rows. The ordinality keeps the rows (and so their ids) in the order given.
  db.execute(head + " SELECT " + event_columns +
                 " FROM unnest(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[]), CAST($3 AS TEXT[]),"
                 " CAST($4 AS INTEGER[]), CAST($5 AS TEXT[]), CAST($6 AS INTEGER[]),"
                 " CAST($7 AS BIGINT[])) WITH ORDINALITY AS e (" +
                 event_columns + ", n) ORDER BY e.n",
             column_arrays(std::move(rows)));
}

std::vector<std::int64_t> insert_events_for(connection& db, const result& changed,
                                            const std::string& name, const std::string& detail,
                                            std::int64_t now_ms) {
  std::vector<std::pair<std::int64_t, std::int64_t>> changes;  // id, attempts
  changes.reserve(changed.rows.size());
  for (const auto& row : changed.rows) changes.emplace_back(integer_at(row, 0), integer_at(row, 1));
  std::sort(changes.begin(), changes.end());
  std::vector<event_row> events;
  std::vector<std::int64_t> ids;
  events.reserve(changes.size());
  ids.reserve(changes.size());
  for (const auto& [id, attempts] : changes) {
    events.push_back({id, now_ms, name, attempts, detail, std::nullopt, std::nullopt});
    ids.push_back(id);
  }
  insert_message_events(db, events);
  return ids;
}

}  // namespace schedulerd::storage
