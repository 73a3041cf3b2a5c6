#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace schedulerd::providers {

/// Shortest wait a `Retry-After` can ask for once clamped.
inline constexpr std::chrono::seconds min_retry_after{1};

/// Longest wait a `Retry-After` can ask for once clamped.
inline constexpr std::chrono::seconds max_retry_after{3600};

/// Reads a `Retry-After` value (delay-seconds or an HTTP-date, compared with `now_ms`) clamped to
/// [1 s, 1 h]; nullopt when the header is absent or unreadable.
std::optional<std::chrono::seconds> parse_retry_after(std::optional<std::string_view> value,
                                                      std::int64_t now_ms);

}  // namespace schedulerd::providers
