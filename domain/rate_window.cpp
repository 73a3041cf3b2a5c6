#include "domain/rate_window.hpp"

#include <algorithm>
#include <limits>

namespace schedulerd::domain {

rate_decision_value decide_rate(std::int64_t count, int limit, std::int64_t ms_left,
                                std::int64_t window_ms) {
  rate_decision_value out;
  out.limit = limit;
  out.allowed = count <= limit;
  out.remaining = static_cast<int>(std::clamp<std::int64_t>(limit - count, 0, std::max(0, limit)));
  // Round up: telling a client to come back before the window ends only earns it another 429.
  auto seconds = (std::clamp<std::int64_t>(ms_left, 0, window_ms) + 999) / 1000;
  out.retry_after_s = static_cast<int>(std::max<std::int64_t>(1, seconds));
  return out;
}

rate_windows::rate_windows(std::size_t max_keys) : max_keys_(std::max<std::size_t>(1, max_keys)) {}

rate_decision_value rate_windows::spend(const std::string& key, int limit, std::int64_t now_ms,
                                        std::int64_t window_ms) {
  // Expired windows are dropped on every call, so a flood of keys costs O(log n) amortized each.
  prune(now_ms);
  auto found = windows_.find(key);
  if (found == windows_.end()) {
    while (windows_.size() >= max_keys_) {
      forget_first_ending();
    }
    found = windows_.emplace(key, window{now_ms, now_ms + window_ms, 0}).first;
    endings_.emplace(now_ms + window_ms, now_ms, key);
  }
  auto& current = found->second;
  if (current.count < std::numeric_limits<std::int64_t>::max()) {
    ++current.count;
  }
  return decide_rate(current.count, limit, current.ends_ms - now_ms,
                     current.ends_ms - current.started_ms);
}

bool rate_windows::refund(const std::string& key, std::int64_t now_ms) {
  prune(now_ms);
  auto found = windows_.find(key);
  if (found == windows_.end() || found->second.count == 0) {
    return false;
  }
  --found->second.count;
  return true;
}

void rate_windows::prune(std::int64_t now_ms) {
  while (!endings_.empty() && std::get<0>(endings_.top()) <= now_ms) {
    forget_first_ending();
  }
}

void rate_windows::forget_first_ending() {
  while (!endings_.empty()) {
    auto [ends_ms, started_ms, key] = endings_.top();
    endings_.pop();
    auto found = windows_.find(key);
    if (found != windows_.end() && found->second.started_ms == started_ms) {
      windows_.erase(found);
      return;
    }
  }
}

}  // namespace schedulerd::domain
