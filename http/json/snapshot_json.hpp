#pragma once

#include "actors/introspection.hpp"

#include <nlohmann/json.hpp>

namespace schedulerd::http {

/// The engine's snapshot as `GET /api/admin/snapshot` and the console's stream send it: every
/// time RFC 3339, every unknown value null, each actor with the name of its parent in the tree.
nlohmann::json snapshot_json(const actors::engine_snapshot& snapshot);

}  // namespace schedulerd::http
