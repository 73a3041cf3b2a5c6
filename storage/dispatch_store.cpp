#include "storage/dispatch_store.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "storage/message_event_rows.hpp"
#include "storage/placeholder_rows.hpp"
#include "storage/row_cells.hpp"
#include "storage/sent_journal.hpp"
#include "storage/transaction.hpp"

// The due window, claims, lease recovery and releases of dispatch_store.hpp; the outcomes of
// attempts are in attempt_outcomes.cpp. Every query repeats the literal status the partial
// indexes scheduled_messages_due_idx and scheduled_messages_lease_idx are built on: with a
// parameter in its place, the planner could not use them.

namespace schedulerd::storage {
namespace {

// A journaled send older than this was left by a connector that did not fold it (its own fold
// comes once it has nothing left to send, or two seconds after the send at the latest).
constexpr std::int64_t orphaned_send_age_ms = 5000;

constexpr auto interrupted_detail =
    "the node sending this attempt stopped; whether the provider received it is unknown";

// Pending messages of connections that can send (active, dispatch not paused by an admin); `m` is
// scheduled_messages. EXISTS rather than
// `m.provider_id IN (...)`: SQLite would look an IN list up in the (provider_id, status) index and
// sort every pending message of every connection, where the due index hands them over in order
// and the LIMIT stops the scan early.
constexpr auto sendable =
    "m.status = 'pending'"
    " AND EXISTS (SELECT 1 FROM providers p WHERE p.id = m.provider_id AND p.status = 'active'"
    " AND p.dispatch_paused_at IS NULL)";

// The claim on PostgreSQL: it locks the chosen rows and skips those another node's claim holds,
// so concurrent claims take disjoint sets without waiting for each other. The `dispatched` events
// are written by the same statement, so a claim is one round trip however many messages it takes.
std::string postgres_claim() {
  std::string sql = "WITH c AS (SELECT m.id FROM scheduled_messages m WHERE ";
  sql += sendable;
  sql +=
      " AND m.next_attempt_at <= $6"
      " ORDER BY m.next_attempt_at, m.id LIMIT $2 FOR UPDATE OF m SKIP LOCKED),"
      " u AS (UPDATE scheduled_messages m SET status = 'processing', lease_owner = $3,"
      " lease_expires_at = $4, attempts = m.attempts + 1, updated_at = $1"
      " FROM contacts ct WHERE m.id = ANY (ARRAY(SELECT id FROM c)) AND ct.id = m.contact_id"
      " RETURNING m.id, m.provider_id, m.attempts, ct.external_id, m.content, m.next_attempt_at),"
      " e AS (INSERT INTO message_events (message_id, at, event, attempt, detail)"
      " SELECT id, $1, 'dispatched', attempts, CAST($5 AS TEXT) FROM u"
      " ORDER BY next_attempt_at, id)"
      " SELECT id, provider_id, attempts, external_id, content, next_attempt_at FROM u";
  return sql;
}

// The claim on SQLite, which has one writer at a time (the connection begins transactions
// IMMEDIATE): choosing and updating in one statement is enough, and the events follow.
std::string sqlite_claim() {
  std::string sql =
      "UPDATE scheduled_messages SET status = 'processing', lease_owner = $3,"
      " lease_expires_at = $4, attempts = attempts + 1, updated_at = $1"
      " WHERE id IN (SELECT m.id FROM scheduled_messages m WHERE ";
  sql += sendable;
  sql +=
      " AND m.next_attempt_at <= $5 ORDER BY m.next_attempt_at, m.id LIMIT $2)"
      " RETURNING id, provider_id, attempts,"
      " (SELECT external_id FROM contacts WHERE contacts.id = scheduled_messages.contact_id),"
      " content, next_attempt_at";
  return sql;
}

domain::claimed_message to_claim(const std::vector<value>& row) {
  return {integer_at(row, 0), integer_at(row, 1), static_cast<std::int32_t>(integer_at(row, 2)),
          text_at(row, 3),    text_at(row, 4),    integer_at(row, 5)};
}

}  // namespace

std::vector<domain::due_entry> due_window(connection& db, std::int64_t from_ms, std::int64_t to_ms,
                                          std::int64_t after_id, std::int64_t limit) {
  // Keyset paging on (next_attempt_at, id); the plain range on next_attempt_at lets the partial
  // index bound the scan.
  const auto found = db.execute(
      std::string("SELECT m.id, m.next_attempt_at FROM scheduled_messages m WHERE ") + sendable +
          " AND m.next_attempt_at >= $1 AND m.next_attempt_at < $2"
          " AND (m.next_attempt_at > $1 OR m.id > $3)"
          " ORDER BY m.next_attempt_at, m.id LIMIT $4",
      {from_ms, to_ms, after_id, limit});
  std::vector<domain::due_entry> entries;
  entries.reserve(found.rows.size());
  for (const auto& row : found.rows) entries.push_back({integer_at(row, 0), integer_at(row, 1)});
  return entries;
}

std::optional<std::int64_t> earliest_due(connection& db) {
  const auto found =
      db.execute(std::string("SELECT m.next_attempt_at FROM scheduled_messages m WHERE ") +
                 sendable + " ORDER BY m.next_attempt_at LIMIT 1");
  if (found.rows.empty()) return std::nullopt;
  return integer_at(found.rows.front(), 0);
}

std::vector<domain::claimed_message> claim_due(connection& db, const std::string& owner,
                                               std::int64_t now_ms, std::int64_t lease_until_ms,
                                               std::int64_t limit,
                                               std::optional<std::int64_t> due_by_ms) {
  const auto due_by = due_by_ms.value_or(now_ms);
  std::string detail = "claimed by ";
  detail += owner;
  const bool postgres = db.kind() == dialect::postgres;
  return in_committed_transaction(db, [&] {
    const auto claimed =
        postgres
            ? db.execute(postgres_claim(), {now_ms, limit, owner, lease_until_ms, detail, due_by})
            : db.execute(sqlite_claim(), {now_ms, limit, owner, lease_until_ms, due_by});
    std::vector<domain::claimed_message> claims;
    claims.reserve(claimed.rows.size());
    for (const auto& row : claimed.rows) claims.push_back(to_claim(row));
    std::sort(claims.begin(), claims.end(), [](const auto& a, const auto& b) {
      return std::tie(a.due_at, a.id) < std::tie(b.due_at, b.id);
    });
    if (!postgres) {
      std::vector<event_row> events;
      events.reserve(claims.size());
      for (const auto& claim : claims) {
        events.push_back(
            {claim.id, now_ms, "dispatched", claim.attempt, detail, std::nullopt, std::nullopt});
      }
      insert_message_events(db, events);
    }
    return claims;
  });
}

lease_recovery recover_expired_leases(connection& db, std::int64_t now_ms,
                                      const std::optional<kept_claims>& keep) {
  return in_committed_transaction(db, [&] {
    lease_recovery done;
    if (keep) renew_leases(db, *keep);
    // A send journaled by a connector or node that died before folding it is sent, not
    // interrupted: it is folded first, and so never sent again.
    done.sends_folded = fold_orphaned_sends(db, now_ms, now_ms - orphaned_send_age_ms).folded;
    const auto recovered = db.execute(
        "UPDATE scheduled_messages SET status = 'pending', next_attempt_at = $1,"
        " lease_owner = NULL, lease_expires_at = NULL, updated_at = $1"
        " WHERE status = 'processing' AND lease_expires_at < $1 RETURNING id, attempts",
        {now_ms});
    for (const auto id :
         insert_events_for(db, recovered, "attempt_failed", interrupted_detail, now_ms)) {
      done.recovered.push_back({id, now_ms});
    }
    return done;
  });
}

std::int64_t renew_leases(connection& db, const kept_claims& keep) {
  // A processing row's updated_at is its claim's time: nothing else writes it until the outcome.
  // The lease's index finds the leases ending soon; a fresh claim's row is not written again,
  // and no lease is ever shortened.
  return db
      .execute(
          "UPDATE scheduled_messages SET lease_expires_at = $4"
          " WHERE status = 'processing' AND lease_expires_at < $3 AND lease_owner = $1"
          " AND updated_at >= $2",
          {keep.owner, keep.claimed_since, std::min(keep.ending_before, keep.lease_until),
           keep.lease_until})
      .affected_rows;
}

std::int64_t release_claims(connection& db, const std::string& owner,
                            const std::vector<std::int64_t>& message_ids, std::int64_t now_ms) {
  return in_committed_transaction(db, [&] {
    std::int64_t released = 0;
    std::size_t next = 0;
    for (const auto rows : row_batches(message_ids.size())) {
      std::vector<value> params{owner, now_ms};
      params.reserve(2 + rows);
      for (const auto end = next + rows; next < end; ++next) params.emplace_back(message_ids[next]);
      // One row of `rows` placeholders from $3 is exactly an IN list. A claim leaves
      // next_attempt_at as it was, so the message stays due when it was.
      released += db.execute(
                        "UPDATE scheduled_messages SET status = 'pending',"
                        " attempts = attempts - 1, lease_owner = NULL,"
                        " lease_expires_at = NULL, updated_at = $2"
                        " WHERE status = 'processing' AND lease_owner = $1 AND id IN " +
                            placeholder_rows(1, rows, 3),
                        params)
                      .affected_rows;
    }
    return released;
  });
}

}  // namespace schedulerd::storage
