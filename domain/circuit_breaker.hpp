#pragma once

#include <cstdint>
#include <deque>
#include <string_view>

namespace schedulerd::domain {

/// When a breaker opens and how long it stays open.
struct breaker_settings {
  /// Outcomes remembered (a count-based sliding window).
  int window = 20;
  /// Outcomes needed in the window before the breaker may open.
  int minimum_calls = 5;
  /// The share of failures in the window that opens it (0..1].
  double failure_ratio = 0.5;
  /// How long it stays open before letting probes through.
  std::int64_t open_ms = 30000;
  /// Probes let through half-open; all must succeed to close it again.
  int half_open_probes = 1;
};

/// The states of a circuit breaker.
enum class breaker_state { closed, open, half_open };

/// The name of a breaker state (`closed`, `open`, `half_open`).
std::string_view to_string(breaker_state state);

/// A count-based circuit breaker (resilience4j's semantics, sized for low-volume chat APIs):
/// closed, it records outcomes and opens when failures reach the ratio; open, it refuses calls
/// for `open_ms`; then half-open, it lets a few probes through and closes when they succeed or
/// opens again when one fails. Only failures that say the platform is unwell (timeouts, 5xx,
/// 429) should be recorded as failures. Time is whatever the caller says.
class circuit_breaker {
 public:
  /// A closed breaker.
  explicit circuit_breaker(breaker_settings settings = {});

  /// Whether a call may start at `now_ms` (counts a half-open probe when it answers true).
  bool allow(std::int64_t now_ms);

  /// Records the outcome of a call that `allow` let through.
  void record(bool succeeded, std::int64_t now_ms);

  /// The state at `now_ms` (open turns half-open once `open_ms` has passed).
  [[nodiscard]] breaker_state state(std::int64_t now_ms) const;

  /// When an open breaker lets probes through; meaningful while open.
  [[nodiscard]] std::int64_t reopens_at() const noexcept;

 private:
  // Implementation's choice; see circuit_breaker.cpp.
  void open(std::int64_t now_ms);

  breaker_settings settings_;
  breaker_state state_ = breaker_state::closed;
  std::deque<bool> outcomes_;
  std::int64_t opened_at_ = 0;
  int probes_started_ = 0;
  int probes_succeeded_ = 0;
};

}  // namespace schedulerd::domain
