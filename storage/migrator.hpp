#pragma once

#include <vector>

#include "storage/connection.hpp"

namespace schedulerd::storage {

/// Applies every embedded migration of the connection's dialect not yet applied; returns the
/// versions it applied.
///
/// Each migration runs in its own transaction and is recorded in `schema_migrations`. On PostgreSQL
/// every step holds a transaction-level advisory lock, so nodes starting together apply each
/// migration once; on SQLite `BEGIN IMMEDIATE` serializes them. Throws storage_error.
std::vector<int> migrate(connection& db);

/// The highest applied version (0 when none).
int schema_version(connection& db);

}  // namespace schedulerd::storage
