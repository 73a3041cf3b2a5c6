#pragma once

#include "actors/type_ids.hpp"
#include "log/logger.hpp"

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace schedulerd::actors {

/// Paces the sends of every provider connection across the nodes that share one Redis, so a
/// connection sends at most `CONNECTOR_RATE_PER_SECOND` (bursts up to one second's worth) however
/// many nodes dispatch: `(limit_atom, provider_id, want)` answers `(granted, wait_ms)`, the sends
/// that may start now (at most `want`) and, when none, how long until one may. While Redis is
/// unreachable each node paces alone at the full rate (dispatch never stops for Redis).
using send_pacer_actor = caf::typed_actor<
    caf::replies_to<limit_atom, std::int64_t, std::int64_t>::with<std::int64_t, std::int64_t>>;

/// Spawns the pacer of a node, on a thread of its own (hiredis blocks).
send_pacer_actor spawn_send_pacer(caf::actor_system& system, std::string redis_url,
                                  double rate_per_second, std::shared_ptr<log::logger> logger);

}  // namespace schedulerd::actors
