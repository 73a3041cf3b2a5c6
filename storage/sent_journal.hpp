#pragma once

#include "domain/message_records.hpp"
#include "storage/connection.hpp"

#include <cstdint>
#include <string>
#include <vector>

// The sent journal (migration 0008): a send the platform accepted is stored at once as one
// narrow row, and folded into its message (status `sent`, its history, the counts) later, when
// its connection has nothing left to send. Storing a burst's outcomes in their messages as they
// come costs the database several times the journal's work, and it takes that work from the
// sends still waiting. A journaled send is durable: its message reads `processing` until the
// fold, nothing sends it again, and if its node dies the next lease recovery folds it. Every
// function throws storage_error.

namespace schedulerd::storage {

/// What a fold did.
struct sends_folded {
  /// Journal rows taken (and removed).
  std::int64_t taken = 0;
  /// Those whose claim still held, now `sent`; the others had lost their lease.
  std::int64_t folded = 0;
};

/// Stores attempts' outcomes as record_attempts does, except that the sends the platform
/// accepted go to the journal; answers how many were stored (journaled sends count as held).
/// One transaction.
std::int64_t journal_attempts(connection& db, const std::string& owner,
                              const std::vector<domain::attempt_result>& results);

/// Folds the sends `owner` journaled for connection `provider_id` into their messages, each
/// fenced by its claim. One transaction.
sends_folded fold_sends(connection& db, const std::string& owner, std::int64_t provider_id);

/// Folds, in the caller's transaction, every journaled send written before `written_before_ms`
/// or whose message's lease ended before `now_ms`, whichever node wrote it: those of a node or
/// connector that died before its own fold.
sends_folded fold_orphaned_sends(connection& db, std::int64_t now_ms,
                                 std::int64_t written_before_ms);

}  // namespace schedulerd::storage
