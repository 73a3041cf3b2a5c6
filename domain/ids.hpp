#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace schedulerd::domain {

/// Parses an opaque resource id (a path segment, a query or body value); anything but a positive
/// integer is no id.
inline std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (problem != std::errc{} || end != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace schedulerd::domain
