#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace schedulerd::config {

/// Encodes bytes as standard, padded base64 (RFC 4648 section 4), without line breaks.
std::string base64_encode(std::string_view bytes);

/// Decodes standard, padded base64; returns nothing on any other character, length or padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace schedulerd::config
