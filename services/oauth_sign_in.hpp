#pragma once

#include "actors/activity.hpp"
#include "actors/type_ids.hpp"
#include "config/service_config.hpp"
#include "domain/account_records.hpp"
#include "services/context.hpp"

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <string>

namespace schedulerd::services {

/// The login providers and where they send the browser back.
struct oauth_sign_in_settings {
  /// Google's client; disabled when its id is empty.
  config::oauth_provider google;
  /// GitHub's client; disabled when its id is empty.
  config::oauth_provider github;
  /// Base of the callback URLs registered with the providers.
  std::string public_base_url;
};

/// Sign-in with Google or GitHub (authorization code with a single-use state and PKCE S256).
/// `authorize` stores a state for the named provider and answers the URL to send the browser to
/// (`not_found` for a provider that is unknown or not configured); `sign_in` consumes the state,
/// exchanges the code on the outbound pool, and signs in the user the identity belongs to: by
/// linked identity, else by the same verified email (linking it), else a new account.
using oauth_sign_in_actor = caf::typed_actor<
    caf::replies_to<authorize_atom, std::string>::with<std::string>,
    caf::replies_to<sign_in_atom, domain::oauth_callback>::with<domain::session_grant>,
    caf::replies_to<get_atom, mailbox_atom>::with<actors::actor_probe>>;

/// Spawns the OAuth sign-in service over `context`.
oauth_sign_in_actor spawn_oauth_sign_in(caf::actor_system& system, service_context context,
                                        oauth_sign_in_settings settings);

}  // namespace schedulerd::services
