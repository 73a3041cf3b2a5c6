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

/// Checks a registration: name 1..255 characters after trimming, a plausible email
/// (local@domain.tld,
/// <= 254, no spaces/control chars), password >= 8 characters (count UTF-8 code points) and <= 1024
/// bytes. Empty result means valid.
field_errors validate_registration(std::string_view name, std::string_view email,
                                   std::string_view password);

/// Checks a token name (1..255 after trimming) and an optional expiry (must be in the future
/// relative to now_ms, at most 10 years ahead).
field_errors validate_token_request(std::string_view name,
                                    std::optional<std::int64_t> expires_at_ms, std::int64_t now_ms);

}  // namespace schedulerd::domain
