#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "storage/connection.hpp"

namespace schedulerd::storage {

/// How many scheduled messages are in each status, over every user and connection, read from
/// the kept counts (migration 0003) and the changes not yet folded into them: a scan of one row
/// per user, connection and status, never of the messages. Every status is present (0 when none).
std::map<std::string, std::int64_t> message_totals_by_status(connection& db);

}  // namespace schedulerd::storage
