#pragma once

#include <string_view>

// The life of a scheduled message: pending -> processing -> sent | failed, pending -> cancelled,
// processing -> pending (a retry, or a claim given back). Storage applies each change as one
// conditional update, so these rules also say which of two racing changes can win.

namespace schedulerd::domain {

/// Waiting for its time (or for a retry).
inline constexpr std::string_view message_pending = "pending";
/// Claimed by a node and being sent.
inline constexpr std::string_view message_processing = "processing";
/// Accepted by the provider.
inline constexpr std::string_view message_sent = "sent";
/// Given up on.
inline constexpr std::string_view message_failed = "failed";
/// Cancelled by its owner before it was sent.
inline constexpr std::string_view message_cancelled = "cancelled";

/// Whether `status` names a message status.
bool is_message_status(std::string_view status) noexcept;

/// Whether a message may move from `from` to `to`.
bool can_transition(std::string_view from, std::string_view to) noexcept;

/// Whether a message in `status` will never change again.
bool is_final_status(std::string_view status) noexcept;

}  // namespace schedulerd::domain
