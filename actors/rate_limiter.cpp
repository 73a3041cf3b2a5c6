#include "actors/rate_limiter.hpp"

#include "actors/activity.hpp"
#include "actors/errc.hpp"
#include "actors/redis_link.hpp"
#include "domain/rate_window.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <optional>

namespace schedulerd::actors {

namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr auto prune_interval = 10s;
constexpr int minute_s = static_cast<int>(domain::rate_window_ms / 1000);

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
  std::shared_ptr<log::logger> logger;
  std::optional<redis_link> redis;
  domain::rate_windows windows;

  rate_decision spend(const std::string& key, int limit, int window_s) {
    auto counted = redis->run(
        [&](storage::redis_client& client) { return client.increment_window(key, window_s); });
    std::int64_t window_ms = std::int64_t{window_s} * 1000;
    if (counted) {
      return to_actor_decision(
          domain::decide_rate(counted->first, limit, counted->second * 1000, window_ms));
    }
    return to_actor_decision(windows.spend(key, limit, now_ms(), window_ms));
  }

  bool refund(const std::string& key) {
    auto given =
        redis->run([&](storage::redis_client& client) { return client.decrement_window(key); });
    return given ? *given : windows.refund(key, now_ms());
  }
};

// Runs `work`, turning an exception into a logged internal error.
template <class Self, class Work>
auto guarded(Self* self, Work work) -> caf::result<decltype(work())> {
  try {
    return work();
  } catch (const std::exception& ex) {
    self->state.logger->error("rate_limit_failed", {{"reason", std::string_view{ex.what()}}});
    return make_error(errc::internal);
  }
}

// The limiter's own interface: the public one plus the housekeeping tick.
using limiter_impl =
    budget_actor::extend<caf::reacts_to<tick_atom>,
                         caf::replies_to<get_atom, mailbox_atom>::with<actor_probe>>;

limiter_impl::behavior_type limiter(limiter_impl::stateful_pointer<limiter_state> self,
                                    std::string redis_url, std::shared_ptr<log::logger> logger) {
  auto& state = self->state;
  state.logger = std::move(logger);
  state.redis.emplace(std::move(redis_url), state.logger, "rate_limits", "in-process");
  // Connect now, so the first request does not wait for it and an outage shows at start-up.
  state.redis->connect_now();
  // spend() drops expired windows as traffic flows; the tick releases them when traffic stops
  // (and, with Redis back, the windows an outage left behind).
  self->delayed_send(self, prune_interval, tick_atom::value);
  return introspected<limiter_impl::behavior_type>(
      self,
      [self](limit_atom, const std::string& key, int limit) {
        return guarded(self, [&] { return self->state.spend(key, limit, minute_s); });
      },
      [self](limit_atom, const std::string& key, int limit, int window_s) {
        return guarded(self, [&] { return self->state.spend(key, limit, window_s); });
      },
      [self](refund_atom, const std::string& key) {
        return guarded(self, [&] { return self->state.refund(key); });
      },
      [self](tick_atom) {
        self->state.windows.prune(now_ms());
        self->delayed_send(self, prune_interval, tick_atom::value);
      });
}

}  // namespace

budget_actor spawn_rate_limiter(caf::actor_system& system, std::string redis_url,
                                std::shared_ptr<log::logger> logger) {
  if (redis_url.empty()) {
    return system.spawn(limiter, std::move(redis_url), std::move(logger));
  }
  // hiredis blocks, so the Redis variant gets a thread of its own.
  return system.spawn<caf::detached>(limiter, std::move(redis_url), std::move(logger));
}

}  // namespace schedulerd::actors
