#pragma once

#include "actors/metrics_collector.hpp"
#include "http/router.hpp"

#include <caf/fwd.hpp>

#include <chrono>

namespace schedulerd::http {

/// Spawns the handler of `GET /metrics`: it asks `collector` for the families (waiting at most
/// `timeout`, after which the client gets 503) and renders them in Prometheus' text format.
handler_actor spawn_metrics_handler(caf::actor_system& system, actors::metrics_actor collector,
                                    std::chrono::milliseconds timeout);

/// Registers `GET /metrics` on `routes`, open like health: operators scrape it from a private
/// network (docs/security.md).
void add_metrics_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
