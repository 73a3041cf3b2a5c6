#pragma once

#include "http/router.hpp"
#include "services/tokens.hpp"

#include <caf/fwd.hpp>

namespace schedulerd::http {

/// Spawns the handler of the personal API tokens endpoints, which asks the tokens service.
handler_actor spawn_tokens_handler(caf::actor_system& system, services::tokens_actor tokens);

/// Registers `/api/auth/tokens` and `/api/auth/tokens/{id}` on `routes`.
void add_tokens_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
