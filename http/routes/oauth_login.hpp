#pragma once

#include "http/router.hpp"
#include "services/oauth_sign_in.hpp"

#include <caf/fwd.hpp>

namespace schedulerd::http {

/// Spawns the handler of Google and GitHub login, which asks the OAuth sign-in service.
handler_actor spawn_oauth_login_handler(caf::actor_system& system,
                                        services::oauth_sign_in_actor sign_in);

/// Registers `/api/auth/oauth/{provider}` and its callback on `routes`.
void add_oauth_login_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
