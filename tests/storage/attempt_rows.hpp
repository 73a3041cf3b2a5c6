#pragma once

#include "domain/message_records.hpp"
#include "storage/connection.hpp"
#include "storage/dispatch_store.hpp"
#include "storage/message_store.hpp"
#include "tests/storage/message_rows.hpp"
#include "tests/support/fixed_instants.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

// Claims and attempts' results the storage tests of outcomes start from.

namespace schedulerd::testing {

/// When result_of's retries are due: 2026-05-28T20:31:40.000Z.
inline constexpr std::int64_t retry_at = 1'780'000'300'000;

/// Claims `count` messages due now for "node-a", each to its own contact.
inline std::vector<domain::claimed_message> claimed(storage::connection& db,
                                                    const testing::message_owner& owner,
                                                    std::size_t count) {
  storage::insert_batch(
      db, owner.user,
      {owner.provider,
       std::vector<std::int64_t>(owner.contacts.begin(),
                                 owner.contacts.begin() + static_cast<std::ptrdiff_t>(count)),
       "Hi", now_ms},
      now_ms - 1);
  return storage::claim_due(db, "node-a", now_ms, now_ms + minute_ms,
                            static_cast<std::int64_t>(count));
}

/// A user, and messages of theirs that "node-a" claimed.
struct claimed_messages {
  /// The user, their connection and its contacts.
  message_owner owner;
  /// The claims, one message to each contact.
  std::vector<domain::claimed_message> claims;
};

/// Inserts a user with `count` contacts and claims a message due now to each for "node-a".
inline claimed_messages owner_with_claims(storage::connection& db, std::size_t count) {
  claimed_messages made{new_message_owner(db, "alice@example.com", count, now_ms), {}};
  made.claims = claimed(db, made.owner, count);
  return made;
}

/// An attempt of `claim` that ended with `outcome` at now_ms + 100 (sent: HTTP 200, `pm-1`;
/// otherwise HTTP 503), after 42 ms.
inline domain::attempt_result result_of(const domain::claimed_message& claim,
                                        domain::attempt_outcome outcome) {
  domain::attempt_result result;
  result.claim = claim;
  result.outcome = outcome;
  result.finished_at = now_ms + 100;
  result.http_status = outcome == domain::attempt_outcome::sent ? 200 : 503;
  result.latency_ms = 42;
  if (outcome == domain::attempt_outcome::sent) result.provider_message_id = "pm-1";
  if (outcome == domain::attempt_outcome::released) {
    result.error = "not sent: the node is stopping";
  } else if (outcome != domain::attempt_outcome::sent) {
    result.error = "HTTP 503 from the provider";
  }
  result.retry_at = retry_at;
  return result;
}

/// The events of `message` after its `created` and `dispatched`.
inline std::vector<domain::message_event> outcome_events(storage::connection& db, std::int64_t user,
                                                         std::int64_t message) {
  auto events = storage::message_events(db, user, message).value();
  events.erase(events.begin(), events.begin() + 2);
  return events;
}

}  // namespace schedulerd::testing
