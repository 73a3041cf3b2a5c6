#pragma once

#include "domain/field_errors.hpp"
#include "domain/message_records.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace schedulerd::domain {

/// What a schedule may ask for.
struct schedule_limits {
  /// How far in the past `send_at` may be and still count as "now" (clock skew).
  std::int64_t skew_ms = 5000;
  /// How far ahead `send_at` may be (a year).
  std::int64_t max_ahead_ms = 366LL * 24 * 3600 * 1000;
  /// The longest content, in characters (code points) after trimming.
  std::size_t max_content = 4096;
  /// The most recipients of one bulk request.
  std::size_t max_recipients = 10000;
};

/// The content as stored: surrounding white space trimmed.
std::string normalize_content(std::string_view content);

/// Checks a create request (content already normalized); errors keyed `content`, `send_at`.
field_errors validate_message(const message_draft& draft, std::int64_t now_ms,
                              const schedule_limits& limits = {});

/// Checks a bulk request (content already normalized); errors keyed `content`, `send_at`,
/// `contact_ids`.
field_errors validate_bulk(const bulk_draft& draft, std::int64_t now_ms,
                           const schedule_limits& limits = {});

/// Checks an edit (content already normalized); errors keyed `content`, `send_at`, or `body`
/// when it changes nothing.
field_errors validate_patch(const message_patch& patch, std::int64_t now_ms,
                            const schedule_limits& limits = {});

/// A fingerprint of what a create request asks for, to tell an idempotent replay from a reuse
/// of its key with another body.
std::string fingerprint(const message_draft& draft);

/// A fingerprint of what a bulk request asks for.
std::string fingerprint(const bulk_draft& draft);

}  // namespace schedulerd::domain
