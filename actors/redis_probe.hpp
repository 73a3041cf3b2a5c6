#pragma once

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <string>

namespace schedulerd::actors {

/// Spawns an actor that answers ping_atom with whether Redis answers a PING (detached: hiredis
/// blocks); it never answers with an error and reconnects on each ping while broken.
caf::actor spawn_redis_probe(caf::actor_system& system, std::string redis_url);

}  // namespace schedulerd::actors
