#pragma once

// How often and how soon a dead actor may be started again: OTP's restart intensity (at most N
// restarts within a period, one more escalates) and Akka's jittered exponential backoff. Pure
// functions of an injected time and jitter, so tests need no clock.

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>

namespace schedulerd::actors {

/// The time source of restart bookkeeping (steady: wall-clock jumps must not reset a window).
using steady_clock_fn = std::function<std::chrono::steady_clock::time_point()>;

/// Returns a number in [0, 1) that spreads restarts apart; tests inject a fixed sequence.
using jitter_fn = std::function<double()>;

/// A jitter source drawing uniformly from [0, 1).
jitter_fn random_jitter();

/// At most `max_restarts` restarts within `period`; one more means giving up (escalating).
struct restart_intensity {
  int max_restarts = 5;
  std::chrono::milliseconds period{30000};
};

/// The delay before restart n (0-based) is `min(max, base * 2^n) * (1 + jitter * random_factor)`
/// (Akka's formula: the jitter applies after the cap, so a delay may exceed `max` by the factor).
struct backoff_policy {
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds max{5000};
  double random_factor = 0.2;
};

/// The delay before restart `attempt` (0-based) for a `jitter` in [0, 1).
std::chrono::milliseconds backoff_delay(const backoff_policy& policy, std::size_t attempt,
                                        double jitter);

/// The restarts of the last period, to decide whether one more is allowed.
class restart_window {
 public:
  /// A window enforcing `limit`.
  explicit restart_window(restart_intensity limit = {}) : limit_(limit) {}

  /// Records a restart at `now`; false when it is one more than the intensity allows.
  bool admit(std::chrono::steady_clock::time_point now);

  /// The restarts recorded within the period before `now`.
  std::size_t count(std::chrono::steady_clock::time_point now);

 private:
  void forget_before(std::chrono::steady_clock::time_point now);

  restart_intensity limit_;
  std::deque<std::chrono::steady_clock::time_point> times_;
};

}  // namespace schedulerd::actors
