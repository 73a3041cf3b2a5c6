#include "actors/restart_policy.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

namespace schedulerd::actors {

jitter_fn random_jitter() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>{0.0, 1.0}(*engine); };
}

std::chrono::milliseconds backoff_delay(const backoff_policy& policy, std::size_t attempt,
                                        double jitter) {
  // 2^62 ms is far beyond any cap: stop doubling there so the double never overflows.
  const auto exponent = static_cast<double>(std::min<std::size_t>(attempt, 62));
  const double capped = std::min(static_cast<double>(policy.max.count()),
                                 static_cast<double>(policy.base.count()) * std::exp2(exponent));
  const double spread = std::clamp(jitter, 0.0, 1.0) * std::clamp(policy.random_factor, 0.0, 1.0);
  return std::chrono::milliseconds{std::llround(capped * (1.0 + spread))};
}

bool restart_window::admit(std::chrono::steady_clock::time_point now) {
  forget_before(now);
  times_.push_back(now);
  return times_.size() <= static_cast<std::size_t>(std::max(0, limit_.max_restarts));
}

std::size_t restart_window::count(std::chrono::steady_clock::time_point now) {
  forget_before(now);
  return times_.size();
}

void restart_window::forget_before(std::chrono::steady_clock::time_point now) {
  while (!times_.empty() && now - times_.front() >= limit_.period) {
    times_.pop_front();
  }
}

}  // namespace schedulerd::actors
