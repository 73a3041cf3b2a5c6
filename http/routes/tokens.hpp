#pragma once

#include "http/router.hpp"
#include "http/routes/accounts_context.hpp"

#include <caf/fwd.hpp>

namespace schedulerd::http {

/// Spawns the handler of the personal API tokens endpoints.
handler_actor spawn_tokens_handler(caf::actor_system& system, accounts_context context);

/// Registers `/api/auth/tokens` and `/api/auth/tokens/{id}` on `routes`.
void add_tokens_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
