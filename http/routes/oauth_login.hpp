#pragma once

#include "config/service_config.hpp"
#include "http/router.hpp"
#include "http/routes/accounts_context.hpp"

#include <caf/fwd.hpp>

namespace schedulerd::http {

/// What OAuth login needs beyond the shared account context.
struct oauth_login_settings {
  config::oauth_provider google;
  config::oauth_provider github;
  /// Base of the callback URLs registered with the providers.
  std::string public_base_url;
};

/// Spawns the handler of Google and GitHub login (authorization code with state and PKCE S256).
handler_actor spawn_oauth_login_handler(caf::actor_system& system, accounts_context context,
                                        oauth_login_settings settings);

/// Registers `/api/auth/oauth/{provider}` and its callback on `routes`.
void add_oauth_login_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
