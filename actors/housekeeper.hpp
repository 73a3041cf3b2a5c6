#pragma once

#include "domain/clock.hpp"
#include "log/logger.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <memory>

namespace schedulerd::actors {

/// How often the housekeeper does each of its chores.
struct housekeeping_intervals {
  /// Deleting expired OAuth states (abandoned logins) and idempotent answers.
  std::chrono::milliseconds purge{std::chrono::minutes{10}};
  /// Folding the message counts' pending changes in, which keeps list totals cheap.
  std::chrono::milliseconds fold{std::chrono::seconds{1}};
  /// Looking for contacts whose search text older rules wrote (also once at start; batches follow
  /// each other at once until none is left).
  std::chrono::milliseconds refold{std::chrono::minutes{10}};
};

/// Spawns the actor that keeps storage tidy through `db_pool` on the `every` intervals, judging
/// expiry by `now`; logs what it removed and any failure to `logger`.
caf::actor spawn_housekeeper(caf::actor_system& system, caf::actor db_pool, domain::clock_fn now,
                             housekeeping_intervals every, std::shared_ptr<log::logger> logger);

}  // namespace schedulerd::actors
