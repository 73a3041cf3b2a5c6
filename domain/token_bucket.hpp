#pragma once

#include <cstdint>

namespace schedulerd::domain {

/// A token bucket: `rate` tokens per second, holding at most `burst`, full at the start; the
/// caller passes the time, so tests drive it with an injected clock.
class token_bucket {
 public:
  /// A bucket refilled at `rate_per_second` (> 0) up to `burst` (>= 1) tokens.
  token_bucket(double rate_per_second, double burst);

  /// Takes one token at `now_ms` and answers 0, or takes nothing and answers how many
  /// milliseconds remain until one is available.
  std::int64_t take(std::int64_t now_ms);

  /// Takes nothing until `until_ms` (a platform asked us to wait), whatever the bucket holds.
  void pause_until(std::int64_t until_ms);

 private:
  void refill(std::int64_t now_ms);

  double rate_per_ms_;
  double burst_;
  double tokens_;
  std::int64_t last_ms_ = -1;
  std::int64_t paused_until_ms_ = 0;
};

}  // namespace schedulerd::domain
