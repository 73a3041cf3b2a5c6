#pragma once

#include <cstdint>
#include <optional>

namespace schedulerd::domain {

/// How failed delivery attempts are retried (`DISPATCH_*`).
struct retry_policy {
  /// Attempts in all, the first included (`DISPATCH_MAX_ATTEMPTS`).
  int max_attempts = 5;
  /// The backoff before the second attempt, doubled for each later one
  /// (`DISPATCH_BACKOFF_BASE_MS`).
  std::int64_t base_ms = 1000;
  /// The longest backoff (`DISPATCH_BACKOFF_MAX_MS`).
  std::int64_t max_ms = 300000;
};

/// The wait before the attempt after attempt `attempt` (1-based) failed: "full jitter",
/// `unit * min(max, base * 2^(attempt-1))` with `unit` a uniform draw in [0, 1) the caller
/// supplies, but never less than the platform's `retry_after_ms` when it named one (then up to
/// an hour), and never less than 1 ms.
std::int64_t retry_delay_ms(const retry_policy& policy, int attempt, double unit,
                            std::optional<std::int64_t> retry_after_ms);

/// Whether attempt `attempt` (1-based) was the last the policy allows.
bool is_last_attempt(const retry_policy& policy, int attempt);

}  // namespace schedulerd::domain
