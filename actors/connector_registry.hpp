#pragma once

#include "actors/activity.hpp"
#include "actors/connector.hpp"
#include "actors/type_ids.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace schedulerd::actors {

/// Finds or starts the connector actor of a provider connection, like a simple-one-for-one
/// supervisor: connectors start on demand, stop when idle or when their connection is deleted,
/// and a crashed one (logged, counted) is started afresh by the next request for it, so a
/// crashing connector never takes another user's down. A crashed connector's claims are settled
/// at once from the `held_claims` they share: the outcomes it knew are stored, the other claims
/// given back, and the claims' owner (the scheduler) told. Each is listed in the directory as
/// `<listed_as>.<provider id>`. It accepts `(get_atom, provider id)`, `(reload_atom, provider id)`
/// (the running connector reads its connection again; false when none runs), `(forget_atom,
/// provider id)` (stops it), `(deliver_atom, provider id, claimed)` (hands claimed messages to
/// it on the sender's behalf), `(drain_atom)` (drains every connector; answers true once all did),
/// `(get_atom)` (how many run), `(get_atom, report_atom)` (the running connectors' reports; one
/// that does not answer within half a second is left out) and `(get_atom, mailbox_atom)`.
using connector_registry_actor = caf::typed_actor<
    caf::replies_to<get_atom, std::int64_t>::with<connector_actor>,
    caf::replies_to<reload_atom, std::int64_t>::with<bool>,
    caf::replies_to<forget_atom, std::int64_t>::with<bool>,
    caf::reacts_to<deliver_atom, std::int64_t, std::vector<domain::claimed_message>>,
    caf::replies_to<drain_atom>::with<bool>, caf::replies_to<get_atom>::with<std::int64_t>,
    caf::replies_to<get_atom, report_atom>::with<std::vector<connector_report>>,
    caf::replies_to<get_atom, mailbox_atom>::with<actor_probe>>;

/// Spawns the registry; its connectors share `settings` and are listed in `directory` under
/// `listed_as` (the registry's own name there, so the console shows them as its children).
connector_registry_actor spawn_connector_registry(caf::actor_system& system,
                                                  connector_settings settings, caf::actor directory,
                                                  std::string listed_as = "connectors");

}  // namespace schedulerd::actors
