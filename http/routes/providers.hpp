#pragma once

#include "http/router.hpp"
#include "services/providers.hpp"

#include <caf/fwd.hpp>

namespace schedulerd::http {

/// Spawns the handler of the provider types and the provider connections' CRUD, which asks the
/// providers service.
handler_actor spawn_providers_handler(caf::actor_system& system,
                                      services::providers_actor providers);

/// Registers `/api/provider-types`, `/api/providers` and `/api/providers/{id}` on `routes`.
void add_providers_routes(router& routes, const handler_actor& handler);

/// Spawns the handler of what a connection does (test, contact import and search, OAuth connect).
handler_actor spawn_provider_actions_handler(caf::actor_system& system,
                                             services::providers_actor providers);

/// Registers `/api/providers/{id}/test-connection`, `/sync-contacts`, `/contacts` and
/// `/oauth/authorize` and `/oauth/callback` on `routes`.
void add_provider_actions_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
