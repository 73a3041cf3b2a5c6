#include "storage/message_event_rows.hpp"

#include <cstddef>

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

}  // namespace schedulerd::storage
