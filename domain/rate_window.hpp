#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <queue>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace schedulerd::domain {

/// The outcome of spending one request from a budget (plain twin of the actor type).
struct rate_decision_value {
  bool allowed = true;
  int limit = 0;
  int remaining = 0;
  /// Seconds until the key's window ends and its budget refills (at least 1).
  int retry_after_s = 1;
};

/// Length of the API's rate-limit windows (requests per minute).
constexpr std::int64_t rate_window_ms = 60'000;

/// Judges the `count`-th request of a window of `window_ms` that ends in `ms_left` milliseconds
/// under `limit`.
rate_decision_value decide_rate(std::int64_t count, int limit, std::int64_t ms_left,
                                std::int64_t window_ms = rate_window_ms);

/// Fixed-window request counters per key. A key's window opens at its first request and lasts the
/// length that request gave (the same shape as Redis INCR + EXPIRE NX); times passed in never go
/// backwards.
class rate_windows {
 public:
  /// Holds at most `max_keys` windows; beyond that the window that ends first is forgotten early.
  explicit rate_windows(std::size_t max_keys = 100'000);

  /// Spends one request of `key` at `now_ms` under `limit` per window of `window_ms`.
  rate_decision_value spend(const std::string& key, int limit, std::int64_t now_ms,
                            std::int64_t window_ms = rate_window_ms);

  /// Gives one request back to `key`'s open window (a spend that turned out not to count); false
  /// when the key has no open window or nothing spent in it.
  bool refund(const std::string& key, std::int64_t now_ms);

  /// Forgets windows that ended by now_ms (bounded memory).
  void prune(std::int64_t now_ms);

  /// Number of windows currently remembered.
  [[nodiscard]] std::size_t size() const noexcept { return windows_.size(); }

 private:
  struct window {
    std::int64_t started_ms = 0;
    std::int64_t ends_ms = 0;
    std::int64_t count = 0;
  };

  // (end, start, key): the start tells a window from a later one of the same key.
  using ending = std::tuple<std::int64_t, std::int64_t, std::string>;

  void forget_first_ending();

  std::size_t max_keys_;
  std::unordered_map<std::string, window> windows_;
  // Windows by the time they end, earliest first; entries whose key has reopened are skipped.
  std::priority_queue<ending, std::vector<ending>, std::greater<>> endings_;
};

}  // namespace schedulerd::domain
