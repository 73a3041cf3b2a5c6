#pragma once

#include "storage/connection.hpp"

#include <cstdint>
#include <optional>
#include <string>

// Remembered answers of requests sent with an `Idempotency-Key`. Every function runs in
// whatever transaction the caller opened and throws storage_error.

namespace schedulerd::storage {

/// What the first request with a key produced.
struct remembered_answer {
  /// The fingerprint of the first request's body.
  std::string request_hash;
  /// The status it was answered with.
  std::int32_t status = 0;
  /// What it created (`message:<id>` or `batch:<id>`).
  std::string resource;
};

/// The unexpired answer remembered for the user's `key`, if any.
std::optional<remembered_answer> find_idempotent_answer(connection& db, std::int64_t user_id,
                                                        const std::string& key,
                                                        std::int64_t now_ms);

/// Remembers the answer to the user's `key` until `expires_at_ms` (replacing an expired one);
/// throws storage_error(unique_violation) when an unexpired one exists.
void remember_idempotent_answer(connection& db, std::int64_t user_id, const std::string& key,
                                const remembered_answer& answer, std::int64_t now_ms,
                                std::int64_t expires_at_ms);

/// Deletes answers that expired before `now_ms`; answers how many.
std::int64_t purge_idempotent_answers(connection& db, std::int64_t now_ms);

}  // namespace schedulerd::storage
