#pragma once

#include "actors/activity.hpp"
#include "actors/type_ids.hpp"
#include "domain/account_records.hpp"
#include "domain/list_query.hpp"
#include "services/context.hpp"

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <vector>

namespace schedulerd::services {

/// The API tokens of a user (given by id): list a page of them (sessions included, newest first),
/// create a personal one (validated, at most `account_limits::live_tokens` live; the secret is
/// answered once, only its hash is stored), revoke one (an unknown id, or another user's, is
/// `not_found`). Creating and revoking go through the user's session actor.
using tokens_actor = caf::typed_actor<
    caf::replies_to<list_atom, std::int64_t,
                    domain::list_query>::with<domain::page<domain::token_record>>,
    caf::replies_to<create_atom, std::int64_t, domain::token_request>::with<domain::issued_token>,
    caf::replies_to<revoke_atom, std::int64_t, std::int64_t>::with<bool>,
    caf::replies_to<get_atom, mailbox_atom>::with<actors::actor_probe>>;

/// Spawns the tokens service over `context`.
tokens_actor spawn_tokens(caf::actor_system& system, service_context context);

}  // namespace schedulerd::services
