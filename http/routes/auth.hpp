#pragma once

#include "http/router.hpp"
#include "services/accounts.hpp"

#include <caf/fwd.hpp>

namespace schedulerd::http {

/// Spawns the handler of register, login, logout and me, which asks the accounts service.
handler_actor spawn_auth_handler(caf::actor_system& system, services::accounts_actor accounts);

/// Registers `/api/auth/{register,login,logout,me}` on `routes`.
void add_auth_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
