#include "domain/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace schedulerd::domain {

namespace {

// A platform asking for more than an hour is more likely wrong than right; we come back sooner.
constexpr std::int64_t longest_retry_after_ms = 3'600'000;

std::int64_t exponential_ms(const retry_policy& policy, int attempt) {
  const auto base_ms = std::max<std::int64_t>(policy.base_ms, 0);
  const auto max_ms = std::max<std::int64_t>(policy.max_ms, 0);
  const auto doublings = std::max(attempt, 1) - 1;
  if (base_ms == 0) return 0;
  // Compared before shifting, so attempt 1000 meets the cap instead of overflowing.
  if (doublings >= std::numeric_limits<std::int64_t>::digits || base_ms > (max_ms >> doublings)) {
    return max_ms;
  }
  return base_ms << doublings;
}

}  // namespace

std::int64_t retry_delay_ms(const retry_policy& policy, int attempt, double unit,
                            std::optional<std::int64_t> retry_after_ms) {
  // A draw outside [0, 1) (or NaN) would break the bound the jitter promises, so it is pulled in.
  const auto below_one = std::nextafter(1.0, 0.0);
  const auto draw = unit >= 0.0 ? std::min(unit, below_one) : 0.0;
  const auto ceiling_ms = exponential_ms(policy, attempt);
  auto delay_ms = static_cast<std::int64_t>(std::floor(draw * static_cast<double>(ceiling_ms)));
  if (retry_after_ms) {
    delay_ms =
        std::max(delay_ms, std::clamp<std::int64_t>(*retry_after_ms, 0, longest_retry_after_ms));
  }
  // Zero would retry in the same instant, against a platform that has just failed.
  return std::max<std::int64_t>(delay_ms, 1);
}

bool is_last_attempt(const retry_policy& policy, int attempt) {
  return attempt >= policy.max_attempts;
}

}  // namespace schedulerd::domain
