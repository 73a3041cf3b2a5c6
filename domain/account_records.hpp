#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The account vocabulary every layer shares: storage reads and writes these records, the service
// layer passes them between actors, and HTTP encodes them.

namespace schedulerd::domain {

/// A user plus the OAuth providers linked to it.
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

/// An API token (never the secret; only its hash is stored).
struct token_record {
  /// The primary key.
  std::int64_t id = 0;
  /// The owner.
  std::int64_t user_id = 0;
  /// The name the user gave it (sessions get one from the code that issues them).
  std::string name;
  /// "session" (issued by register, login and OAuth) or "personal" (created by the user).
  std::string kind;
  /// Creation time, milliseconds since the epoch.
  std::int64_t created_at = 0;
  /// When the token last authenticated a request, if ever recorded.
  std::optional<std::int64_t> last_used_at;
  /// When the token stops working; none means never.
  std::optional<std::int64_t> expires_at;
  /// When the token was revoked; none while it is not.
  std::optional<std::int64_t> revoked_at;
};

/// A signed-in user with the plain session token just issued to them (shown this once).
struct session_grant {
  /// The user who signed in.
  user_record user;
  /// The plain token; only its hash is stored.
  std::string token;
};

/// A personal API token just created, with its plain secret (shown this once).
struct issued_token {
  /// The stored token.
  token_record record;
  /// The plain secret; only its hash is stored.
  std::string secret;
};

/// What a registration asks for, as the client sent it (validated by the accounts service).
struct registration {
  /// The display name.
  std::string name;
  /// The email address, not yet normalised.
  std::string email;
  /// The plain password.
  std::string password;
};

/// What a password login presents.
struct credentials {
  /// The email address, not yet normalised.
  std::string email;
  /// The plain password.
  std::string password;
};

/// What creating a personal API token asks for.
struct token_request {
  /// The name the user gives the token.
  std::string name;
  /// When the token should stop working, milliseconds since the epoch; none means never.
  std::optional<std::int64_t> expires_at;
};

/// The query of an OAuth provider's redirect back to the service.
struct oauth_callback {
  /// The provider named in the callback's path.
  std::string provider;
  /// The authorization code.
  std::string code;
  /// The state the login started with.
  std::string state;
  /// The provider's `error` parameter, when the user or the provider refused.
  std::optional<std::string> error;
};

}  // namespace schedulerd::domain
