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

/// One code point read from UTF-8 text.
struct utf8_step {
  /// The code point, or U+FFFD when the bytes read are not a well-formed sequence.
  char32_t code_point = 0;
  /// How many bytes it took: the sequence's length, or 1 for a byte that starts none.
  std::size_t length = 1;
  /// False when the bytes read are not a well-formed sequence.
  bool well_formed = true;
};

/// Reads the code point that starts at byte `at` of `text`, which must be before its end.
utf8_step read_code_point(std::string_view text, std::size_t at);

}  // namespace schedulerd::domain
