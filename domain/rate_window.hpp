#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>

namespace schedulerd::domain {

/// The outcome of spending one request from a per-minute budget (plain twin of the actor type).
struct rate_decision_value {
  bool allowed = true;
  int limit = 0;
  int remaining = 0;
  /// Seconds until the key's window ends and its budget refills (at least 1).
  int retry_after_s = 1;
};

/// Length of every rate-limit window.
constexpr std::int64_t rate_window_ms = 60'000;

/// Judges the `count`-th request of a window that ends in `ms_left` milliseconds under `limit`.
rate_decision_value decide_rate(std::int64_t count, int limit, std::int64_t ms_left);

/// Fixed-window request counters per key. A key's window opens at its first request and lasts
/// `rate_window_ms` (the same shape as Redis INCR + EXPIRE NX); times passed in never go backwards.
class rate_windows {
 public:
  /// Holds at most `max_keys` windows; beyond that the oldest window is forgotten early.
  explicit rate_windows(std::size_t max_keys = 100'000);

  /// Spends one request of `key` at `now_ms` under `limit` per minute.
  rate_decision_value spend(const std::string& key, int limit, std::int64_t now_ms);

  /// Forgets windows that ended before now_ms (bounded memory).
  void prune(std::int64_t now_ms);

  /// Number of windows currently remembered.
  [[nodiscard]] std::size_t size() const noexcept { return windows_.size(); }

 private:
  struct window {
    std::int64_t started_ms = 0;
    std::int64_t count = 0;
  };

  void forget_oldest();

  std::size_t max_keys_;
  std::unordered_map<std::string, window> windows_;
  // Windows in the order they opened; entries whose key has reopened since are stale and skipped.
  std::deque<std::pair<std::int64_t, std::string>> opened_;
};

}  // namespace schedulerd::domain
