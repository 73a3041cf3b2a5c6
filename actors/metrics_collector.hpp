#pragma once

#include "actors/activity.hpp"
#include "actors/connector_registry.hpp"
#include "actors/introspection.hpp"
#include "actors/scheduler.hpp"
#include "actors/type_ids.hpp"
#include "domain/clock.hpp"
#include "metrics/registry.hpp"
#include "metrics/sample.hpp"

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

// A scrape's families travel from the collector to the route handler inside the process only.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<schedulerd::metrics::family>)

namespace schedulerd::actors {

/// Answers `(get_atom, report_atom)` with the engine's snapshot (what it asks the directory, the
/// scheduler, the connectors and the database for, each within `timeout`, plus process facts)
/// and `(get_atom)` with every metric family of the service (docs/metrics.md): the registry's
/// instruments and the same snapshot's series. A source that does not answer in time leaves its
/// part out (`schedulerd_metrics_source_up{source} 0`), so neither ever hangs.
using metrics_actor =
    caf::typed_actor<caf::replies_to<get_atom>::with<std::vector<metrics::family>>,
                     caf::replies_to<get_atom, report_atom>::with<engine_snapshot>,
                     caf::replies_to<get_atom, mailbox_atom>::with<actor_probe>>;

/// Where the collector reads from; an unset actor is a source that is down.
struct metrics_sources {
  /// The instruments updated as things happen (HTTP requests, rate limits).
  std::shared_ptr<const metrics::registry> instruments;
  /// The directory of long-lived actors (mailboxes, restarts).
  caf::actor directory;
  /// The scheduler (lateness, hand-offs, wheel).
  scheduler_actor scheduler;
  /// The connector registry (each running connector's deliveries).
  connector_registry_actor connectors;
  /// The pooled database actor (messages per status).
  caf::actor db_pool;
  /// How long each source may take; the directory's own probes take up to 500 ms.
  std::chrono::milliseconds timeout{2000};
  /// The wall clock the snapshot is stamped with.
  domain::clock_fn now = domain::system_now_ms;
  /// When the service started, for the uptime.
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  /// The file the resident memory is read from (`/proc/self/status`; empty: not reported).
  std::string proc_status_path = "/proc/self/status";
};

/// Spawns the collector.
metrics_actor spawn_metrics_collector(caf::actor_system& system, metrics_sources sources);

}  // namespace schedulerd::actors
