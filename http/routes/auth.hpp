#pragma once

#include "http/router.hpp"
#include "http/routes/accounts_context.hpp"

#include <caf/fwd.hpp>

namespace schedulerd::http {

/// Spawns the handler of register, login, logout and me.
handler_actor spawn_auth_handler(caf::actor_system& system, accounts_context context);

/// Registers `/api/auth/{register,login,logout,me}` on `routes`.
void add_auth_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
