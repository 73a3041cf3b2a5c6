#pragma once

#include <memory>
#include <string>

#include "storage/connection.hpp"

namespace schedulerd::storage {

/// Opens the SQLite database at `path` (`:memory:` for a private in-memory one), creating the file
/// (mode 0600) and its missing parent directories (mode 0700) if need be, and taking group and
/// other permissions away from an existing database file and its -wal, -shm and -journal files;
/// throws storage_error.
///
/// The connection turns on foreign keys, waits up to 5 s for locks, and uses WAL with
/// synchronous=NORMAL for files. `begin()` is `BEGIN IMMEDIATE`, so two writers queue on the
/// busy timeout instead of failing when a read transaction later tries to write. As on PostgreSQL,
/// a failed statement inside a transaction makes every later statement and `commit()` fail until
/// `rollback()`, so code tested on SQLite behaves the same on PostgreSQL.
std::unique_ptr<connection> open_sqlite_connection(const std::string& path);

}  // namespace schedulerd::storage
