#pragma once

#include "actors/gatekeeping.hpp"
#include "log/logger.hpp"

#include <caf/fwd.hpp>

#include <memory>
#include <string>

namespace schedulerd::actors {

/// Spawns the limiter: Redis-backed when redis_url is set (falling back to in-process windows while
/// Redis is unreachable, retrying the connection at most once per second), in-process otherwise.
budget_actor spawn_rate_limiter(caf::actor_system& system, std::string redis_url,
                                std::shared_ptr<log::logger> logger);

}  // namespace schedulerd::actors
