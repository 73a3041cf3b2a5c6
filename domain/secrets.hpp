#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Random values come from OpenSSL's RAND_bytes; every function that draws them throws
// std::runtime_error in the (practically impossible) case that no randomness is available.

namespace schedulerd::domain {

/// The prefix of every API token, so that leaked tokens are easy to recognise and scan for.
inline constexpr std::string_view api_token_prefix = "sd_";

/// A new API token: "sd_" + 43 characters of base64url (32 random bytes from OpenSSL RAND_bytes).
std::string generate_api_token();

/// Lower-case hex SHA-256 of `text` (how tokens and OAuth states are stored).
std::string sha256_hex(std::string_view text);

/// `bytes` random bytes as base64url without padding.
std::string random_urlsafe(std::size_t bytes);

/// A PKCE code verifier (RFC 7636: 43..128 unreserved characters).
std::string generate_pkce_verifier();

/// The S256 code challenge of a verifier (base64url(SHA-256(verifier)) without padding).
std::string pkce_challenge(std::string_view verifier);

/// Compares two strings in constant time.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace schedulerd::domain
