#pragma once

#include "domain/message_records.hpp"
#include "storage/connection.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The engine's side of scheduled messages: the due window the scheduler loads, claims with a
// lease, the fenced outcome of each attempt, and the recovery of leases whose node died. Every
// function throws storage_error and runs its own transaction unless it says otherwise. Claims
// only take messages of connections that can send (`active`): the others' messages wait.

namespace schedulerd::storage {

/// Pending messages of sendable connections due in [from_ms, to_ms), ordered by due time then
/// id, at most `limit` of them after `after_id` at `from_ms` (keyset paging).
std::vector<domain::due_entry> due_window(connection& db, std::int64_t from_ms, std::int64_t to_ms,
                                          std::int64_t after_id, std::int64_t limit);

/// The earliest due time of a pending message of a sendable connection, if any.
std::optional<std::int64_t> earliest_due(connection& db);

/// Claims up to `limit` pending messages due at or before `due_by_ms` (default `now_ms`; later
/// claims ahead of time), earliest first, for `owner` until `lease_until_ms`: status
/// `processing`, attempts + 1, a `dispatched` event each at `now_ms`. PostgreSQL skips rows
/// another node holds (`FOR UPDATE SKIP LOCKED`); SQLite has one writer. One transaction.
std::vector<domain::claimed_message> claim_due(connection& db, const std::string& owner,
                                               std::int64_t now_ms, std::int64_t lease_until_ms,
                                               std::int64_t limit,
                                               std::optional<std::int64_t> due_by_ms = {});

/// Stores the outcomes of attempts, each fenced by its claim (still `processing`, same owner,
/// same attempt), with their events, in one transaction; answers how many were still held (the
/// others lost their lease and changed nothing).
std::int64_t record_attempts(connection& db, const std::string& owner,
                             const std::vector<domain::attempt_result>& results);

/// What a lease recovery did.
struct lease_recovery {
  /// Sends a dead connector or node had journaled, now folded into their messages (`sent`).
  std::int64_t sends_folded = 0;
  /// The messages put back to pending, due now.
  std::vector<domain::due_entry> recovered;
};

/// The claims a node keeps by renewing them: its own made at or after `claimed_since` whose
/// leases end before `ending_before`, extended to `lease_until`. Leases ending later are left as
/// they are, so that a renewal does not write again every claim of a burst just made.
struct kept_claims {
  /// The node's lease owner name.
  std::string owner;
  /// The oldest claim time it still renews.
  std::int64_t claimed_since = 0;
  /// Only leases ending before this are extended; every kept claim then holds at least this.
  std::int64_t ending_before = 0;
  /// Where the extended leases end.
  std::int64_t lease_until = 0;
};

/// Puts every `processing` message whose lease ended before `now_ms` back to pending (due now),
/// with an `attempt_failed` event saying the interrupted attempt's outcome is unknown. First
/// renews the claims in `keep` (a node stalled past its lease, by a paused VM or a starved
/// process, must not take back and send again the claims it is still sending), then folds the
/// sends left in the sent journal by a connector or node that died (sent_journal.hpp), so those
/// are `sent` instead. One transaction.
lease_recovery recover_expired_leases(connection& db, std::int64_t now_ms,
                                      const std::optional<kept_claims>& keep = std::nullopt);

/// Renews the claims in `keep` (older ones, which a crashed connector may have lost, run out);
/// answers how many leases it extended.
std::int64_t renew_leases(connection& db, const kept_claims& keep);

/// Puts `owner`'s claims among `message_ids` back to pending without using their attempt (the
/// attempt never started), due when they were; answers how many. One transaction.
std::int64_t release_claims(connection& db, const std::string& owner,
                            const std::vector<std::int64_t>& message_ids, std::int64_t now_ms);

}  // namespace schedulerd::storage
