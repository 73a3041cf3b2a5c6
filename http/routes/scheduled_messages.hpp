#pragma once

#include "http/router.hpp"
#include "services/messages.hpp"

#include <caf/fwd.hpp>

namespace schedulerd::http {

/// Spawns the handler of scheduled messages and batches, which asks the messages service.
handler_actor spawn_scheduled_messages_handler(caf::actor_system& system,
                                               services::messages_actor messages);

/// Registers `/api/scheduled-messages` (list, create), `/bulk`, `/{id}` (get, edit, cancel),
/// `/{id}/logs` and `/api/batches/{id}` (get, cancel the rest) on `routes`.
void add_scheduled_messages_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
