#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace schedulerd::domain {

/// argon2id cost parameters; defaults follow OWASP's recommendation (19 MiB, 2 iterations, 1 lane).
struct argon2_params {
  /// Memory cost in KiB.
  std::uint32_t memory_kib = 19456;
  /// Number of passes over the memory.
  std::uint32_t iterations = 2;
  /// Number of lanes (and threads).
  std::uint32_t parallelism = 1;
};

/// Hashes a password with a fresh 16-byte random salt; returns the encoded `$argon2id$v=19$...`
/// string; throws std::runtime_error if the parameters are rejected or no randomness is available.
std::string hash_password(std::string_view password, const argon2_params& params);

/// Verifies a password against an encoded hash in constant time; false for malformed hashes.
bool verify_password(std::string_view encoded_hash, std::string_view password);

/// Burns the same time as a real verification, for logins with unknown emails (no user enumeration
/// by timing); throws std::runtime_error if argon2 rejects the parameters and so burned none.
void verify_against_dummy(std::string_view password, const argon2_params& params);

}  // namespace schedulerd::domain
