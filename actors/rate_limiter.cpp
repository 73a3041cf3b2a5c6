#include "actors/rate_limiter.hpp"

#include "actors/errc.hpp"
#include "domain/rate_window.hpp"
#include "storage/redis_client.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <optional>

namespace schedulerd::actors {

namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr auto prune_interval = 10s;
constexpr auto reconnect_interval = 1s;
constexpr int window_s = static_cast<int>(domain::rate_window_ms / 1000);

// Steady time, so a wall-clock jump neither stretches nor ends a window.
std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now().time_since_epoch())
      .count();
}

rate_decision to_actor_decision(const domain::rate_decision_value& value) {
  return rate_decision{value.allowed, value.limit, value.remaining, value.retry_after_s};
}

// Counts in Redis when it is configured and answers, otherwise in this process's windows.
struct limiter_state {
  std::string redis_url;
  std::shared_ptr<log::logger> logger;
  std::unique_ptr<storage::redis_client> redis;
  steady::time_point next_attempt = steady::time_point::min();
  bool reported_down = false;
  domain::rate_windows windows;

  // Reconnects at most once per reconnect_interval, so a dead Redis costs one connect timeout per
  // second instead of one per request.
  bool redis_usable() {
    if (redis && !redis->broken()) {
      return true;
    }
    auto now = steady::now();
    if (now < next_attempt) {
      return false;
    }
    next_attempt = now + reconnect_interval;
    if (redis) {
      return redis->reconnect();
    }
    redis = std::make_unique<storage::redis_client>(redis_url);
    return !redis->broken();
  }

  void report(bool up) {
    if (up == !reported_down) {
      return;
    }
    reported_down = !up;
    if (up) {
      logger->warn("redis_restored", {{"rate_limits", std::string_view{"shared"}}});
    } else {
      logger->warn("redis_unavailable", {{"rate_limits", std::string_view{"in-process"}}});
    }
  }

  std::optional<std::pair<std::int64_t, std::int64_t>> count_in_redis(const std::string& key) {
    // A second try absorbs a connection the server closed while idle, without a log line.
    for (int attempt = 0; attempt < 2 && redis_usable(); ++attempt) {
      if (auto counted = redis->increment_window(key, window_s)) {
        report(true);
        return counted;
      }
    }
    report(false);
    return std::nullopt;
  }

  rate_decision spend(const std::string& key, int limit) {
    if (!redis_url.empty()) {
      if (auto counted = count_in_redis(key)) {
        return to_actor_decision(
            domain::decide_rate(counted->first, limit, counted->second * 1000));
      }
    }
    return to_actor_decision(windows.spend(key, limit, now_ms()));
  }
};

// The limiter's own interface: the public one plus the housekeeping tick.
using limiter_impl = rate_limiter_actor::extend<caf::reacts_to<tick_atom>>;

limiter_impl::behavior_type limiter(limiter_impl::stateful_pointer<limiter_state> self,
                                    std::string redis_url, std::shared_ptr<log::logger> logger) {
  auto& state = self->state;
  state.redis_url = std::move(redis_url);
  state.logger = std::move(logger);
  if (!state.redis_url.empty()) {
    // Connect now, so the first request does not wait for it and an outage shows at start-up.
    state.report(state.redis_usable());
  }
  // spend() drops expired windows as traffic flows; the tick releases them when traffic stops
  // (and, with Redis back, the windows an outage left behind).
  self->delayed_send(self, prune_interval, tick_atom::value);
  return {
      [self](limit_atom, const std::string& key, int limit) -> caf::result<rate_decision> {
        try {
          return self->state.spend(key, limit);
        } catch (const std::exception& ex) {
          self->state.logger->error("rate_limit_failed", {{"reason", std::string_view{ex.what()}}});
          return make_error(errc::internal);
        }
      },
      [self](tick_atom) {
        self->state.windows.prune(now_ms());
        self->delayed_send(self, prune_interval, tick_atom::value);
      },
  };
}

}  // namespace

rate_limiter_actor spawn_rate_limiter(caf::actor_system& system, std::string redis_url,
                                      std::shared_ptr<log::logger> logger) {
  if (redis_url.empty()) {
    return system.spawn(limiter, std::move(redis_url), std::move(logger));
  }
  // hiredis blocks, so the Redis variant gets a thread of its own.
  return system.spawn<caf::detached>(limiter, std::move(redis_url), std::move(logger));
}

}  // namespace schedulerd::actors
