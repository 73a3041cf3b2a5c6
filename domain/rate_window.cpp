#include "domain/rate_window.hpp"

#include <algorithm>
#include <limits>

namespace schedulerd::domain {

rate_decision_value decide_rate(std::int64_t count, int limit, std::int64_t ms_left) {
  rate_decision_value out;
  out.limit = limit;
  out.allowed = count <= limit;
  out.remaining = static_cast<int>(std::clamp<std::int64_t>(limit - count, 0, std::max(0, limit)));
  // Round up: telling a client to come back before the window ends only earns it another 429.
  auto seconds = (std::clamp<std::int64_t>(ms_left, 0, rate_window_ms) + 999) / 1000;
  out.retry_after_s = static_cast<int>(std::max<std::int64_t>(1, seconds));
  return out;
}

rate_windows::rate_windows(std::size_t max_keys) : max_keys_(std::max<std::size_t>(1, max_keys)) {}

rate_decision_value rate_windows::spend(const std::string& key, int limit, std::int64_t now_ms) {
  // Expired windows are dropped on every call, so a flood of keys costs O(1) amortized each.
  prune(now_ms);
  auto found = windows_.find(key);
  if (found == windows_.end()) {
    while (windows_.size() >= max_keys_) {
      forget_oldest();
    }
    found = windows_.emplace(key, window{now_ms, 0}).first;
    opened_.emplace_back(now_ms, key);
  }
  auto& current = found->second;
  if (current.count < std::numeric_limits<std::int64_t>::max()) {
    ++current.count;
  }
  return decide_rate(current.count, limit, current.started_ms + rate_window_ms - now_ms);
}

void rate_windows::prune(std::int64_t now_ms) {
  while (!opened_.empty() && opened_.front().first + rate_window_ms <= now_ms) {
    auto found = windows_.find(opened_.front().second);
    if (found != windows_.end() && found->second.started_ms == opened_.front().first) {
      windows_.erase(found);
    }
    opened_.pop_front();
  }
}

void rate_windows::forget_oldest() {
  while (!opened_.empty()) {
    auto [started_ms, key] = std::move(opened_.front());
    opened_.pop_front();
    auto found = windows_.find(key);
    if (found != windows_.end() && found->second.started_ms == started_ms) {
      windows_.erase(found);
      return;
    }
  }
}

}  // namespace schedulerd::domain
