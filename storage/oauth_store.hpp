#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/connection.hpp"

// Every function runs in whatever transaction the caller opened and throws storage_error.

namespace schedulerd::storage {

/// A pending OAuth authorization (single use, expires after 10 minutes).
struct oauth_state_record {
  /// The primary key.
  std::int64_t id = 0;
  /// "login" (sign in or sign up) or "provider" (connect a messaging provider).
  std::string purpose;
  /// The OAuth provider the authorization was started with.
  std::string provider;
  /// The signed-in user who started it, if any.
  std::optional<std::int64_t> user_id;
  /// The PKCE code verifier to send with the code exchange.
  std::string code_verifier;
  /// When the state stops being accepted, milliseconds since the epoch.
  std::int64_t expires_at = 0;
};

/// Stores a new state by the SHA-256 hex of its random value.
void insert_oauth_state(connection& db, const std::string& state_hash, const std::string& purpose,
                        const std::string& provider, std::optional<std::int64_t> user_id,
                        const std::string& code_verifier, std::int64_t now_ms,
                        std::int64_t expires_at);

/// Atomically marks the state used and returns it; nullopt when unknown, already used or expired
/// (one UPDATE ... RETURNING, so two concurrent callbacks can't both win).
std::optional<oauth_state_record> consume_oauth_state(connection& db, const std::string& state_hash,
                                                      std::int64_t now_ms);

/// The user linked to (provider, subject), if any.
std::optional<std::int64_t> find_identity_user(connection& db, const std::string& provider,
                                               const std::string& subject);

/// Links an identity to a user (idempotent for the same pair, refreshing the stored email); throws
/// storage_error(unique_violation) when (provider, subject) is linked to another user.
void link_identity(connection& db, std::int64_t user_id, const std::string& provider,
                   const std::string& subject, const std::string& email, std::int64_t now_ms);

/// Deletes states that expired before now_ms; returns how many.
std::int64_t purge_oauth_states(connection& db, std::int64_t now_ms);

}  // namespace schedulerd::storage
