#pragma once

#include "domain/credential_cipher.hpp"
#include "domain/provider_records.hpp"
#include "providers/connector.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// How a connection's credentials are kept: one JSON object of strings, sealed with the credential
// cipher and bound to the connection ("provider:<id>"), so a ciphertext copied to another row does
// not open there. Answers only ever show masks.

namespace schedulerd::providers {

/// Seals `credentials` for connection `provider_id` under the cipher's current key.
std::string seal_credentials(const domain::credential_cipher& cipher, std::int64_t provider_id,
                             const domain::field_values& credentials);

/// Opens what `seal_credentials` sealed for `provider_id`; nothing when tampered with, sealed for
/// another connection, or under a key the cipher does not hold.
std::optional<domain::field_values> open_credentials(const domain::credential_cipher& cipher,
                                                     std::int64_t provider_id,
                                                     std::string_view sealed);

/// Masks a secret as `••••` plus its last four characters (only `••••` for values too short to
/// give four away).
std::string mask_secret(std::string_view value);

/// The masks of the credential fields `info` declares that `credentials` holds (internal fields
/// such as a token's expiry are left out).
domain::field_values mask_credentials(const provider_type_info& info,
                                      const domain::field_values& credentials);

}  // namespace schedulerd::providers
