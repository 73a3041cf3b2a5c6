#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/message_records.hpp"
#include "storage/connection.hpp"
#include "storage/message_event_rows.hpp"

// The fenced write of attempts' outcomes into their messages, shared by record_attempts and the
// fold of the sent journal. Both run inside the caller's transaction.

namespace schedulerd::storage {

/// attempt_outcome's values (sent, retry, failed, released), which index outcome_groups.
inline constexpr std::size_t outcome_count = 4;

/// Results grouped by outcome, in their order within each group.
using outcome_groups = std::array<std::vector<const domain::attempt_result*>, outcome_count>;

/// Groups `results` by outcome; the groups point into `results`.
outcome_groups group_by_outcome(const std::vector<domain::attempt_result>& results);

/// Writes `results`, all of one outcome, into their messages, each fenced by its claim (still
/// `processing`, `owner`'s, same attempt); answers how many were still held and adds their
/// history to `events`.
std::int64_t store_fenced_outcomes(connection& db, const std::string& owner,
                                   const std::vector<const domain::attempt_result*>& results,
                                   std::vector<event_row>& events);

}  // namespace schedulerd::storage
