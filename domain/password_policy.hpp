#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// In the spirit of NIST SP 800-63B, section 5.1.1.2: a minimum length, a list of passwords known
// to be common, and nothing the account already shows; no composition rules (they make passwords
// harder to remember, not to guess). docs/security.md states the rules for users and operators.

namespace schedulerd::domain {

/// The fewest characters (code points, not bytes) a password may have.
inline constexpr std::size_t min_password_chars = 8;

/// The most bytes a password may have: argon2 would take more, but hashing megabytes per login
/// attempt is a cheap denial of service.
inline constexpr std::size_t max_password_bytes = 1024;

/// The first rule `password` breaks, as the message the API shows under `password`: is required,
/// length (also without surrounding white space), only white space, one character repeated, too
/// common, equal (ignoring ASCII case and surrounding white space) to the account's `email`, its
/// local part or its `name`, both as stored (normalize_email, normalize_name); nothing when it
/// passes.
std::optional<std::string> password_problem(std::string_view password, std::string_view email,
                                            std::string_view name);

}  // namespace schedulerd::domain
