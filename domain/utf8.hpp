#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace schedulerd::domain {

/// The number of code points in `text`, which must be valid UTF-8 (counts the bytes that do not
/// continue a sequence).
std::size_t code_points(std::string_view text);

/// The longest prefix of valid UTF-8 `text` of at most `max_bytes` that does not split a sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);

/// `text` with every byte that is not part of a well-formed UTF-8 sequence replaced by '?'.
std::string valid_utf8(std::string_view text);

}  // namespace schedulerd::domain
