#pragma once

#include "http/router.hpp"

#include <caf/fwd.hpp>

namespace schedulerd::http {

/// Spawns the handler that serves the admin console's page and assets (web/admin/, embedded).
handler_actor spawn_console_handler(caf::actor_system& system);

/// Registers `/admin` (the page) and `/admin/{file}` (its scripts and style) on `routes`; both
/// are public, since the page holds no data: it asks the admin API with the admin's token.
void add_console_routes(router& routes, const handler_actor& handler);

}  // namespace schedulerd::http
