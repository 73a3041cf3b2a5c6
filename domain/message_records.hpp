#pragma once

#include "domain/list_query.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The records of scheduled messages, their batches and their history, as the service layer,
// the engine and storage exchange them. Times are milliseconds since the Unix epoch (UTC).

namespace schedulerd::domain {

/// The contact a message goes to, as the API shows it.
struct message_contact {
  /// The contact's id.
  std::int64_t id = 0;
  /// Its display name.
  std::string name;
  /// Its phone number, when known.
  std::optional<std::string> phone;
};

/// A scheduled message (a row of `scheduled_messages` with its contact).
struct message_record {
  /// The primary key.
  std::int64_t id = 0;
  /// The owner.
  std::int64_t user_id = 0;
  /// The connection that sends it.
  std::int64_t provider_id = 0;
  /// The recipient.
  message_contact contact;
  /// The batch it was created in, if any.
  std::optional<std::int64_t> batch_id;
  /// The text to send.
  std::string content;
  /// When the user wants it sent.
  std::int64_t send_at = 0;
  /// `pending`, `processing`, `sent`, `failed` or `cancelled` (see message_status.hpp).
  std::string status;
  /// Delivery attempts begun so far.
  std::int32_t attempts = 0;
  /// When the engine tries next (send_at, or the retry time); meaningful while pending.
  std::int64_t next_attempt_at = 0;
  /// Why the last attempt failed; empty when none did.
  std::string last_error;
  /// The provider's id of the sent message; empty until sent.
  std::string provider_message_id;
  /// When it was sent.
  std::optional<std::int64_t> sent_at;
  /// Creation time.
  std::int64_t created_at = 0;
  /// Last change.
  std::int64_t updated_at = 0;
};

/// What `POST /api/scheduled-messages` asks for, decoded but not yet validated.
struct message_draft {
  /// The connection to send through.
  std::int64_t provider_id = 0;
  /// The recipient.
  std::int64_t contact_id = 0;
  /// The text.
  std::string content;
  /// When to send it.
  std::int64_t send_at = 0;
};

/// What `POST /api/scheduled-messages/bulk` asks for, decoded but not yet validated.
struct bulk_draft {
  /// The connection to send through.
  std::int64_t provider_id = 0;
  /// The recipients, in request order.
  std::vector<std::int64_t> contact_ids;
  /// The text every recipient gets.
  std::string content;
  /// When to send them.
  std::int64_t send_at = 0;
};

/// What `PUT /api/scheduled-messages/{id}` changes; absent members stay as they are.
struct message_patch {
  /// A new recipient (of the same connection).
  std::optional<std::int64_t> contact_id;
  /// A new text.
  std::optional<std::string> content;
  /// A new time.
  std::optional<std::int64_t> send_at;
};

/// How many messages of a batch are in each status.
struct batch_counts {
  /// Waiting for their time (or a retry).
  std::int64_t pending = 0;
  /// Being sent.
  std::int64_t processing = 0;
  /// Delivered to the provider.
  std::int64_t sent = 0;
  /// Given up on.
  std::int64_t failed = 0;
  /// Cancelled before they were sent.
  std::int64_t cancelled = 0;
};

/// A batch of messages created by one bulk request (a row of `batches` with its counts).
struct batch_record {
  /// The primary key.
  std::int64_t id = 0;
  /// The owner.
  std::int64_t user_id = 0;
  /// The connection that sends it.
  std::int64_t provider_id = 0;
  /// Messages created.
  std::int64_t total = 0;
  /// Messages per status now.
  batch_counts counts;
  /// The text every recipient gets.
  std::string content;
  /// When they are due.
  std::int64_t send_at = 0;
  /// Creation time.
  std::int64_t created_at = 0;
};

/// One entry of a message's history (a row of `message_events`).
struct message_event {
  /// When it happened.
  std::int64_t at = 0;
  /// `created`, `updated`, `dispatched`, `sent`, `attempt_failed`, `retry_scheduled`, `failed`
  /// or `cancelled`.
  std::string event;
  /// The attempt it belongs to (0 for events outside any attempt).
  std::int32_t attempt = 0;
  /// What happened, in words (the error, the retry time, what changed); may be empty.
  std::string detail;
  /// The provider's HTTP status, when a call was made.
  std::optional<std::int32_t> http_status;
  /// How long the call took.
  std::optional<std::int64_t> latency_ms;
};

/// What a create request answered: the message, and whether an earlier request with the same
/// idempotency key had already created it.
struct created_message {
  /// The message.
  message_record message;
  /// True when this answer replays an earlier request's.
  bool replayed = false;
};

/// What a bulk request answered: the batch, and whether it replays an earlier request's.
struct created_batch {
  /// The batch.
  batch_record batch;
  /// True when this answer replays an earlier request's.
  bool replayed = false;
};

/// A validated list request for a user's messages.
struct message_filter {
  /// Only these statuses; empty means all.
  std::vector<std::string> statuses;
  /// Only this connection's.
  std::optional<std::int64_t> provider_id;
  /// Only to this contact.
  std::optional<std::int64_t> contact_id;
  /// Only of this batch.
  std::optional<std::int64_t> batch_id;
  /// Only due at or after this time.
  std::optional<std::int64_t> send_at_from;
  /// Only due at or before this time.
  std::optional<std::int64_t> send_at_to;
  /// Only those whose content contains this text (case-insensitive for ASCII); empty means all.
  std::string q;
  /// `send_at`, `created_at`, `updated_at` or `status` (then `send_at`), ties broken by id.
  sort_order sort{"send_at", false};
  /// The 1-based page.
  std::int64_t page = 1;
  /// Rows per page.
  std::int64_t per_page = default_per_page;
};

/// A near-future due time the scheduler keeps in its wheel.
struct due_entry {
  /// The message.
  std::int64_t message_id = 0;
  /// When its next attempt is due.
  std::int64_t due_at = 0;
};

/// A message the engine claimed for one attempt: everything a connector needs to send it.
struct claimed_message {
  /// The message.
  std::int64_t id = 0;
  /// The connection that sends it.
  std::int64_t provider_id = 0;
  /// The attempt this claim is (1 for the first).
  std::int32_t attempt = 0;
  /// The contact's id on the provider's platform.
  std::string contact_external_id;
  /// The text.
  std::string content;
  /// When it was due (send_at, or the retry time), for lateness.
  std::int64_t due_at = 0;
  /// When the claim's lease ends (set by whoever claimed it): no attempt may start near it.
  std::int64_t lease_until = 0;
};

/// How one delivery attempt ended.
enum class attempt_outcome {
  /// The provider accepted the message.
  sent,
  /// It failed and another attempt is scheduled (`retry_at`).
  retry,
  /// It failed for good (permanent error, or the last attempt).
  failed,
  /// It never started (shutdown, held connection): back to pending without using the attempt.
  released,
};

/// What the connector reports about one attempt, to be stored (fenced by the claim).
struct attempt_result {
  /// The claim the attempt belongs to.
  claimed_message claim;
  /// How it ended.
  attempt_outcome outcome = attempt_outcome::sent;
  /// When it ended.
  std::int64_t finished_at = 0;
  /// The provider's HTTP status; 0 when it never answered.
  std::int32_t http_status = 0;
  /// How long the call took.
  std::int64_t latency_ms = 0;
  /// The provider's id of the message (sent).
  std::string provider_message_id;
  /// The error (retry, failed).
  std::string error;
  /// When the next attempt is due (retry, released).
  std::int64_t retry_at = 0;
};

}  // namespace schedulerd::domain
