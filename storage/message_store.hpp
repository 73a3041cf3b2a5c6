#pragma once

#include "domain/list_query.hpp"
#include "domain/message_records.hpp"
#include "storage/connection.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The user-facing side of scheduled messages: create, read, list, edit, cancel, history and
// batches. Every function runs in whatever transaction the caller opened and throws
// storage_error. Status changes are single conditional updates (`... AND status = 'pending'`),
// so a change racing the dispatcher has exactly one winner.

namespace schedulerd::storage {

/// Inserts one pending message (next_attempt_at = send_at) with its `created` event; answers it
/// as stored, contact included.
domain::message_record insert_message(connection& db, std::int64_t user_id,
                                      const domain::message_draft& draft, std::int64_t now_ms);

/// Inserts one pending message as `insert_message` does, only if connection `provider_id` is the
/// user's and enabled and the contact is one of its contacts (nothing otherwise); atomic on its
/// own, so call it outside a transaction (on PostgreSQL it is one statement).
std::optional<domain::message_record> insert_allowed_message(connection& db, std::int64_t user_id,
                                                             const domain::message_draft& draft,
                                                             std::int64_t now_ms);

/// `insert_allowed_message` for a caller that holds a transaction open, which it joins.
std::optional<domain::message_record> insert_allowed_message_in_transaction(
    connection& db, std::int64_t user_id, const domain::message_draft& draft, std::int64_t now_ms);

/// A message to insert if its recipient is allowed: what was asked, and when.
struct allowed_message_request {
  /// The message as asked for.
  domain::message_draft draft;
  /// When it was asked for: its created_at.
  std::int64_t now_ms = 0;
};

/// `insert_allowed_message` for several messages of one user at once, atomic as a whole (on
/// PostgreSQL one statement): the stored message of each request in their order, or nothing for
/// a request whose recipient is not allowed.
std::vector<std::optional<domain::message_record>> insert_allowed_messages(
    connection& db, std::int64_t user_id, const std::vector<allowed_message_request>& requests);

/// Inserts a batch and one pending message per contact, with a `created` event each, in
/// multi-row statements; answers the batch.
domain::batch_record insert_batch(connection& db, std::int64_t user_id,
                                  const domain::bulk_draft& draft, std::int64_t now_ms);

/// The user's message `message_id`; nothing when absent or another user's.
std::optional<domain::message_record> find_message(connection& db, std::int64_t user_id,
                                                   std::int64_t message_id);

/// A page of the user's messages matching `filter`, with contacts, in one query per page.
domain::page<domain::message_record> list_messages(connection& db, std::int64_t user_id,
                                                   const domain::message_filter& filter);

/// Applies `patch` to the user's message if it is still pending (a new send_at also becomes
/// next_attempt_at), with an `updated` event naming the changed fields; answers the message
/// as it is afterwards, or nothing when it is absent or no longer pending.
std::optional<domain::message_record> update_pending_message(connection& db, std::int64_t user_id,
                                                             std::int64_t message_id,
                                                             const domain::message_patch& patch,
                                                             std::int64_t now_ms);

/// Cancels the user's message if it is still pending, with a `cancelled` event; answers it as
/// it is afterwards, or nothing when it is absent or no longer pending.
std::optional<domain::message_record> cancel_pending_message(connection& db, std::int64_t user_id,
                                                             std::int64_t message_id,
                                                             std::int64_t now_ms);

/// The history of the user's message, oldest first; nothing when the message is absent or
/// another user's.
std::optional<std::vector<domain::message_event>> message_events(connection& db,
                                                                 std::int64_t user_id,
                                                                 std::int64_t message_id);

/// The user's batch `batch_id` with its counts; nothing when absent or another user's.
std::optional<domain::batch_record> find_batch(connection& db, std::int64_t user_id,
                                               std::int64_t batch_id);

/// Cancels the batch's pending messages (a `cancelled` event each); answers their ids, or
/// nothing when the batch is absent or another user's.
std::optional<std::vector<std::int64_t>> cancel_pending_batch(connection& db, std::int64_t user_id,
                                                              std::int64_t batch_id,
                                                              std::int64_t now_ms);

/// Of `contact_ids`, those that are not contacts of connection `provider_id`; on PostgreSQL the
/// connection and the others stay locked against deletion until the caller's transaction, which
/// writes their messages, ends.
std::vector<std::int64_t> foreign_contacts(connection& db, std::int64_t provider_id,
                                           const std::vector<std::int64_t>& contact_ids);

}  // namespace schedulerd::storage
