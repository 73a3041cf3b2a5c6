#pragma once

#include "actors/connector.hpp"
#include "actors/directory.hpp"
#include "actors/scheduler.hpp"

#include <caf/allowed_unsafe_message_type.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace schedulerd::actors {

/// The engine of one node as the admin console shows it at one moment: its long-lived actors,
/// the scheduler's wheel, the connectors' deliveries and the messages per status.
struct engine_snapshot {
  /// When it was taken, in ms since the epoch.
  std::int64_t generated_at = 0;
  /// Seconds since the service started.
  double uptime_seconds = 0;
  /// The process's resident memory, when the system tells it.
  std::optional<std::int64_t> resident_bytes;
  /// Whether each source (`database`, `directory`, `scheduler`, `connectors`) answered in time;
  /// the parts of one that did not are empty.
  std::map<std::string, bool> sources;
  /// The long-lived actors, by name.
  std::vector<actor_info> actors;
  /// The scheduler's wheel, claims and lateness.
  std::optional<scheduler_stats> scheduler;
  /// The running connectors, by connection id.
  std::vector<connector_report> connectors;
  /// Scheduled messages per status over every user (database-wide).
  std::map<std::string, std::int64_t> messages;
};

}  // namespace schedulerd::actors

// A snapshot travels from the collector to the admin service inside the process only.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::engine_snapshot)
