#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/connection.hpp"

// Every store that changes a scheduled message writes its history through this one function, so
// the columns of message_events are spelled in a single place.

namespace schedulerd::storage {

/// One row of message_events to write.
struct event_row {
  /// The message it belongs to.
  std::int64_t message_id = 0;
  /// When it happened.
  std::int64_t at = 0;
  /// One of the values the table's CHECK allows (`created`, `sent`, ...).
  std::string event;
  /// The attempt it belongs to.
  std::int64_t attempt = 0;
  /// What happened, in words; empty is stored as NULL.
  std::string detail;
  /// The provider's HTTP status, when a call was made.
  std::optional<std::int64_t> http_status;
  /// How long the call took, when a call was made.
  std::optional<std::int64_t> latency_ms;
};

/// Inserts `events` with multi-row INSERTs, in order (a message's events keep the order given).
void insert_message_events(connection& db, const std::vector<event_row>& events);

/// Writes one event `name` saying `detail` at `now_ms` for each (id, attempts) row an UPDATE ...
/// RETURNING answered, in id order (RETURNING promises none); answers the ids in that order.
std::vector<std::int64_t> insert_events_for(connection& db, const result& changed,
                                            const std::string& name, const std::string& detail,
                                            std::int64_t now_ms);

}  // namespace schedulerd::storage
