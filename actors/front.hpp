#pragma once

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <cstddef>

namespace schedulerd::actors {

/// Spawns the stable handle of a supervised child (see supervisor.hpp): it delegates every message
/// to the incarnation named by the last `(target_atom, caf::actor, bool restarting)` from
/// `supervisor`, queues up to `queue_limit` messages while the child restarts, answers
/// `errc::unavailable` once the child stopped for good, and stops when the supervisor is gone (then
/// stopping a child that still runs).
caf::actor spawn_front(caf::actor_system& system, const caf::actor& supervisor,
                       const caf::actor& target, std::size_t queue_limit);

}  // namespace schedulerd::actors
