#pragma once

#include <memory>
#include <string>

#include "storage/connection.hpp"

namespace schedulerd::storage {

/// Connects to PostgreSQL with a `postgresql://` URL (adding connect_timeout=5 unless the URL sets
/// one); throws storage_error, of kind connection_lost when the server cannot be reached.
///
/// Every statement is prepared once per connection, named by its SQL text, and run outside any
/// pqxx transaction object; `begin()`/`commit()`/`rollback()` send plain BEGIN/COMMIT/ROLLBACK.
/// Parameters travel as text and the server infers each type where the parameter first appears:
/// `WHERE id = $1`, `VALUES ($1)`, `LIMIT $1`, `x + $1` need no cast, but `SELECT $1` yields text
/// and `$1 IS NULL OR t = $1` fails; write `t = $1 OR $1 IS NULL` or `CAST($1 AS BIGINT)`, which
/// works on both backends.
/// Once the connection is lost it stays lost: `ping()` answers false and every call throws
/// connection_lost; open a new connection to recover.
std::unique_ptr<connection> open_pg_connection(const std::string& url);

}  // namespace schedulerd::storage
