#pragma once

#include <cstdint>

#include "storage/connection.hpp"

// The per-user message counts that answer a list's total (migration 0003): triggers keep them as
// messages are written; on PostgreSQL the changes wait in message_count_deltas until folded.

namespace schedulerd::storage {

/// Folds the pending count changes into message_counts in one transaction and answers how many
/// changes it folded (always 0 on SQLite, whose triggers update the counts themselves).
std::int64_t fold_message_counts(connection& db);

}  // namespace schedulerd::storage
