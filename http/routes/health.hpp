#pragma once

#include "http/router.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>

namespace schedulerd::http {

/// What the health handler probes; an unset probe is reported as `disabled`.
struct health_probes {
  /// The pooled database actor, answering `ping_atom` (required: when it fails, health is 503).
  caf::actor database;
  /// An actor answering `ping_atom` with `bool` for Redis (optional dependency).
  caf::actor redis;
  /// An actor answering `ping_atom` with `bool` for the scheduler.
  caf::actor scheduler;
  /// How long a probe may take before it counts as down.
  std::chrono::milliseconds timeout{2000};
};

/// Spawns the handler of `GET /api/health`.
handler_actor spawn_health_handler(caf::actor_system& system, health_probes probes);

/// Registers the health route on `routes`.
void add_health_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
