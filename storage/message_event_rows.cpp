#include "storage/message_event_rows.hpp"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "storage/placeholder_rows.hpp"
#include "storage/row_cells.hpp"

namespace schedulerd::storage {

void insert_message_events(connection& db, const std::vector<event_row>& events) {
  // message_id, at, event, attempt, detail, http_status, latency_ms
  constexpr std::size_t columns = 7;
  std::size_t next = 0;
  for (const auto rows : row_batches(events.size())) {
    std::vector<value> params;
    params.reserve(rows * columns);
    for (const auto end = next + rows; next < end; ++next) {
      const auto& event = events[next];
      params.insert(params.end(), {event.message_id, event.at, event.event, event.attempt,
                                   null_if_empty(event.detail), nullable(event.http_status),
                                   nullable(event.latency_ms)});
    }
    db.execute(
        "INSERT INTO message_events (message_id, at, event, attempt, detail, http_status,"
        " latency_ms) VALUES " +
            placeholder_rows(rows, columns),
        params);
  }
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
