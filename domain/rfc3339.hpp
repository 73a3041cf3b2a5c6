#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace schedulerd::domain {

/// Parses an RFC 3339 date-time that carries an offset (`Z` or `±hh:mm`) into milliseconds since
/// the epoch; a time without an offset, or any malformed text, gives nullopt.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

/// Formats milliseconds since the epoch as UTC with milliseconds: `2026-12-01T13:00:00.000Z`.
std::string format_rfc3339(std::int64_t epoch_ms);

}  // namespace schedulerd::domain
