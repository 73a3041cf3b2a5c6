#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/connection.hpp"

// Every function runs in whatever transaction the caller opened and throws storage_error.

namespace schedulerd::storage {

/// A user row plus the OAuth providers linked to it.
struct user_record {
  /// The primary key.
  std::int64_t id = 0;
  /// The display name.
  std::string name;
  /// The normalised (trimmed, lower-case) email address.
  std::string email;
  /// The encoded argon2id hash; empty for users who only sign in through OAuth.
  std::string password_hash;
  /// Creation time, milliseconds since the epoch.
  std::int64_t created_at = 0;
  /// Last change, milliseconds since the epoch.
  std::int64_t updated_at = 0;
  /// The distinct providers ("github", "google") linked to the user, sorted.
  std::vector<std::string> oauth_providers;
};

/// Inserts a user (email already normalised); throws storage_error(unique_violation) when the email
/// is taken.
user_record insert_user(connection& db, const std::string& name, const std::string& email,
                        const std::string& password_hash, std::int64_t now_ms);

/// The user with this email, which must already be normalised the way insert_user stored it.
std::optional<user_record> find_user_by_email(connection& db, const std::string& email);

/// The user with this id.
std::optional<user_record> find_user_by_id(connection& db, std::int64_t id);

}  // namespace schedulerd::storage
