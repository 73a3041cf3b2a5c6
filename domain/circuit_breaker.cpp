#include "domain/circuit_breaker.hpp"

#include <algorithm>
#include <limits>

namespace schedulerd::domain {

namespace {

// Settings that keep the breaker meaningful: a window that can reach its minimum, and at least
// one probe, or a half-open breaker could never close.
breaker_settings usable(breaker_settings settings) {
  settings.window = std::max(settings.window, 1);
  settings.minimum_calls = std::clamp(settings.minimum_calls, 1, settings.window);
  settings.open_ms = std::max<std::int64_t>(settings.open_ms, 0);
  settings.half_open_probes = std::max(settings.half_open_probes, 1);
  return settings;
}

}  // namespace

std::string_view to_string(breaker_state state) {
  switch (state) {
    case breaker_state::closed:
      return "closed";
    case breaker_state::open:
      return "open";
    case breaker_state::half_open:
      return "half_open";
  }
  return "closed";
}

// cppcheck-suppress passedByValue ; the header's signature, and the settings are read once
circuit_breaker::circuit_breaker(breaker_settings settings) : settings_(usable(settings)) {}

bool circuit_breaker::allow(std::int64_t now_ms) {
  if (state(now_ms) == breaker_state::closed) return true;
  if (state(now_ms) == breaker_state::open) return false;
  if (state_ == breaker_state::open) {
    state_ = breaker_state::half_open;
    probes_started_ = 0;
    probes_succeeded_ = 0;
  }
  if (probes_started_ >= settings_.half_open_probes) return false;
  ++probes_started_;
  return true;
}

void circuit_breaker::record(bool succeeded, std::int64_t now_ms) {
  if (state_ == breaker_state::half_open) {
    if (!succeeded) {
      open(now_ms);
    } else if (++probes_succeeded_ >= settings_.half_open_probes) {
      state_ = breaker_state::closed;
      outcomes_.clear();
    }
    return;
  }
  // While open, an outcome can only be from a call that began before the breaker opened: stale.
  if (state_ == breaker_state::open) return;
  outcomes_.push_back(succeeded);
  if (outcomes_.size() > static_cast<std::size_t>(settings_.window)) outcomes_.pop_front();
  const auto calls = static_cast<double>(outcomes_.size());
  const auto failures = static_cast<double>(std::count(outcomes_.begin(), outcomes_.end(), false));
  // A ratio, not a product: 3 / 10 equals the setting 0.3 where 0.3 * 10 overshoots 3.
  if (outcomes_.size() >= static_cast<std::size_t>(settings_.minimum_calls) && failures > 0 &&
      failures / calls >= settings_.failure_ratio) {
    open(now_ms);
  }
}

breaker_state circuit_breaker::state(std::int64_t now_ms) const {
  if (state_ == breaker_state::open && now_ms >= reopens_at()) return breaker_state::half_open;
  return state_;
}

std::int64_t circuit_breaker::reopens_at() const noexcept {
  if (opened_at_ > std::numeric_limits<std::int64_t>::max() - settings_.open_ms) {
    return std::numeric_limits<std::int64_t>::max();
  }
  return opened_at_ + settings_.open_ms;
}

void circuit_breaker::open(std::int64_t now_ms) {
  state_ = breaker_state::open;
  opened_at_ = now_ms;
  outcomes_.clear();
  probes_started_ = 0;
  probes_succeeded_ = 0;
}

}  // namespace schedulerd::domain
