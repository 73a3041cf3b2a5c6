#include "domain/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace schedulerd::domain {

namespace {

constexpr double ms_per_second = 1000.0;
// Refills add fractions of a token: sums like 0.6 + 0.4 may land a hair below 1.
constexpr double rounding_slack = 1e-9;

}  // namespace

token_bucket::token_bucket(double rate_per_second, double burst)
    : rate_per_ms_(std::max(rate_per_second, 1e-6) / ms_per_second),
      burst_(std::max(burst, 1.0)),
      tokens_(burst_) {}

void token_bucket::refill(std::int64_t now_ms) {
  if (last_ms_ >= 0 && now_ms > last_ms_) {
    tokens_ = std::min(burst_, tokens_ + static_cast<double>(now_ms - last_ms_) * rate_per_ms_);
  }
  last_ms_ = std::max(last_ms_, now_ms);
}

std::int64_t token_bucket::take(std::int64_t now_ms) {
  if (now_ms < paused_until_ms_) {
    return paused_until_ms_ - now_ms;
  }
  refill(now_ms);
  if (tokens_ >= 1.0 - rounding_slack) {
    tokens_ -= 1.0;
    return 0;
  }
  return std::max<std::int64_t>(
      1, static_cast<std::int64_t>(std::ceil((1.0 - tokens_) / rate_per_ms_)));
}

void token_bucket::pause_until(std::int64_t until_ms) {
  paused_until_ms_ = std::max(paused_until_ms_, until_ms);
}

}  // namespace schedulerd::domain
