#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace schedulerd::domain {

/// The current time in milliseconds since the Unix epoch; injected so tests control time.
using clock_fn = std::function<std::int64_t()>;

/// The wall clock.
inline std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace schedulerd::domain
