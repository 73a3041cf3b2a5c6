#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace schedulerd::domain {

/// Encodes bytes as standard, padded base64 (RFC 4648 section 4), without line breaks.
std::string base64_encode(std::string_view bytes);

/// Decodes canonical, padded base64; returns nothing on any other character, length, padding or
/// non-zero spare bits.
std::optional<std::string> base64_decode(std::string_view text);

/// Encodes bytes as base64url without padding (RFC 4648 section 5), as tokens and URLs use it.
std::string base64url_encode(std::string_view bytes);

/// Decodes canonical, unpadded base64url; returns nothing on any other character, an impossible
/// length or non-zero spare bits.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace schedulerd::domain
