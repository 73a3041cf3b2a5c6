#pragma once

#include "actors/gatekeeping.hpp"
#include "domain/clock.hpp"
#include "log/logger.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <memory>

namespace schedulerd::actors {

/// Spawns the authenticator. It looks every bearer token up in the database (by SHA-256 hash), so
/// a logout or revoke takes effect on the very next request on every node; the requests that
/// arrive while two lookups run go together in the next one. It keeps each
/// token's last use in memory, written to the database in one batch every `flush_every` and once
/// more when it is stopped normally (waiting a few seconds at most); a batch the database refuses
/// is logged to `logger`. Answers `(get_atom, mailbox_atom)`.
authenticator_actor spawn_authenticator(caf::actor_system& system, caf::actor db_pool,
                                        domain::clock_fn now, std::chrono::milliseconds flush_every,
                                        std::shared_ptr<log::logger> logger);

}  // namespace schedulerd::actors
