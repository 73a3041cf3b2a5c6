#pragma once

#include "actors/activity.hpp"
#include "actors/type_ids.hpp"
#include "domain/account_records.hpp"
#include "services/context.hpp"

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>

namespace schedulerd::services {

/// The accounts use cases. Register validates the request and creates the user and its first
/// session token in one transaction (a taken email is a field error, even when two registrations
/// race); login counts the attempt against the email's failed-login budget (429 once it is spent,
/// whether or not the account exists), checks the password off the cooperative threads and issues
/// the token through the user's session actor; logout revokes the request's token (user id, token
/// id) through it too; `get` answers the user by id.
using accounts_actor = caf::typed_actor<
    caf::replies_to<register_atom, domain::registration>::with<domain::session_grant>,
    caf::replies_to<login_atom, domain::credentials>::with<domain::session_grant>,
    caf::replies_to<logout_atom, std::int64_t, std::int64_t>::with<bool>,
    caf::replies_to<get_atom, std::int64_t>::with<domain::user_record>,
    caf::replies_to<get_atom, mailbox_atom>::with<actors::actor_probe>>;

/// Spawns the accounts service over `context`.
accounts_actor spawn_accounts(caf::actor_system& system, service_context context);

}  // namespace schedulerd::services
