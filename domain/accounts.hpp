#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/field_errors.hpp"

namespace schedulerd::domain {

/// The longest lifetime a personal API token may be given: ten years of 365.25 days, rounded up.
inline constexpr std::int64_t max_token_lifetime_ms = std::int64_t{3653} * 24 * 60 * 60 * 1000;

/// Trims and lower-cases an email address.
std::string normalize_email(std::string_view email);

/// The name as stored: trimmed of surrounding whitespace.
std::string normalize_name(std::string_view name);

/// What is wrong with a name (a user's or a token's) as it would be stored (after normalize_name):
/// empty, over 255 characters, invalid UTF-8, or a control, bidirectional control or invisible
/// character; nothing when it is fine.
std::optional<std::string> name_problem(std::string_view name);

/// Checks a registration as it will be stored: the name (after normalize_name) 1..255 characters of
/// valid UTF-8 without control, bidirectional control or invisible characters; a plausible email
/// (local@domain.tld, <= 254 bytes, no spaces or control characters); a password that passes
/// password_problem; empty when all is valid.
field_errors validate_registration(std::string_view name, std::string_view email,
                                   std::string_view password);

/// Checks a token name (by the rules for a user's name) and an optional expiry (must be in the
/// future relative to now_ms, at most 10 years ahead).
field_errors validate_token_request(std::string_view name,
                                    std::optional<std::int64_t> expires_at_ms, std::int64_t now_ms);

}  // namespace schedulerd::domain
