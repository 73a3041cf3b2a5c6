#pragma once

#include "domain/clock.hpp"
#include "log/logger.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <memory>

namespace schedulerd::actors {

/// Spawns the actor that deletes expired OAuth states (abandoned logins) through `db_pool` every
/// `every`, judging expiry by `now`; logs what it purged and any failure to `logger`.
caf::actor spawn_oauth_state_purger(caf::actor_system& system, caf::actor db_pool,
                                    domain::clock_fn now, std::chrono::milliseconds every,
                                    std::shared_ptr<log::logger> logger);

}  // namespace schedulerd::actors
