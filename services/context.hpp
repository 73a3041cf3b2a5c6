#pragma once

#include "actors/session_registry.hpp"
#include "domain/clock.hpp"
#include "domain/passwords.hpp"

#include <caf/actor.hpp>

#include <chrono>

namespace schedulerd::services {

/// The infrastructure actors and settings the use-case actors are built on.
struct service_context {
  /// The pooled database actor (reads, and writes that belong to no user yet).
  caf::actor db_pool;
  /// The blocking pool that runs argon2, kept free of slow outbound calls.
  caf::actor blocking;
  /// The blocking pool that runs outbound HTTP calls (OAuth), which may wait seconds each.
  caf::actor outbound;
  /// Per-user session actors that serialise each user's writes.
  actors::session_registry_actor sessions;
  /// The injected clock.
  domain::clock_fn now;
  /// argon2id cost.
  domain::argon2_params argon2;
  /// Lifetime of the session token that register, login and OAuth sign-in hand out.
  std::chrono::milliseconds session_token_ttl{std::chrono::hours{24 * 30}};
};

}  // namespace schedulerd::services
