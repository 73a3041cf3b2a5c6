#pragma once

#include "http/router.hpp"
#include "http/routes/admin_stream.hpp"
#include "services/admin.hpp"

#include <caf/fwd.hpp>

namespace schedulerd::http {

/// Spawns the handler of the admin API, which asks the admin service (it answers 403 to users
/// who are not admins); `caps` bounds the console streams.
handler_actor spawn_admin_handler(caf::actor_system& system, services::admin_actor admin,
                                  stream_caps caps = {});

/// Registers `/api/admin/failed-messages`, `/api/admin/scheduled-messages/{id}/retry`,
/// `/api/admin/providers` with `/{id}/pause`, `/{id}/resume` and `/{id}/retry-failed`,
/// `/api/admin/batches/{id}/cancel` and `/{id}/retry-failed`, `/api/admin/audit` and
/// `/api/admin/snapshot` with its stream `/api/admin/stream` on `routes`.
void add_admin_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
