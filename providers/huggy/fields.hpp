#pragma once

#include "domain/field_errors.hpp"
#include "domain/provider_records.hpp"
#include "domain/provider_types.hpp"

#include <string>
#include <string_view>
#include <vector>

// What a Huggy connection holds, and the checks it passes before anything calls Huggy.

namespace schedulerd::providers::huggy {

/// The credential holding the OAuth access token (a JWT).
inline constexpr const char* access_token_field = "access_token";
/// The credential holding the refresh token.
inline constexpr const char* refresh_token_field = "refresh_token";
/// The credential holding the Huggy app's client id.
inline constexpr const char* client_id_field = "client_id";
/// The credential holding the Huggy app's client secret.
inline constexpr const char* client_secret_field = "client_secret";
/// The credential the connector keeps itself: the access token's expiry, ms since the epoch.
inline constexpr const char* expires_at_field = "expires_at";

/// The credential fields a user is asked for (`expires_at` is the connector's own, so not listed).
std::vector<domain::field_spec> credential_fields();

/// The settings fields a user is asked for.
std::vector<domain::field_spec> settings_fields();

/// `values[name]` without surrounding white space; empty when absent.
std::string trimmed(const domain::field_values& values, std::string_view name);

/// Checks a connection's credentials and settings as they would be used (trimmed), without
/// calling Huggy; errors are keyed `credentials.<field>` and `settings.<field>`.
field_errors validate(const domain::field_values& credentials,
                      const domain::field_values& settings);

}  // namespace schedulerd::providers::huggy
