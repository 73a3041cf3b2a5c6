#pragma once

#include <cstdint>

namespace schedulerd::testing {

/// The tests' "now" in Unix milliseconds (2026-05-28): a fixed instant, so no result depends on
/// the clock.
inline constexpr std::int64_t now_ms = 1'780'000'000'000;
/// One minute in milliseconds.
inline constexpr std::int64_t minute_ms = 60'000;
/// One hour in milliseconds.
inline constexpr std::int64_t hour_ms = 3'600'000;

}  // namespace schedulerd::testing
