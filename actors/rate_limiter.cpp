#include "actors/rate_limiter.hpp"

#include "actors/activity.hpp"
#include "actors/errc.hpp"
#include "actors/redis_link.hpp"
#include "domain/rate_window.hpp"
#include "storage/redis_client.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <iterator>
#include <optional>
#include <vector>

namespace schedulerd::actors {

namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr auto prune_interval = 10s;
constexpr int minute_s = static_cast<int>(domain::rate_window_ms / 1000);
// The most requests one round trip to Redis counts.
constexpr std::size_t max_round_trip = 256;

// Steady time, so a wall-clock jump neither stretches nor ends a window.
std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now().time_since_epoch())
      .count();
}

rate_decision to_actor_decision(const domain::rate_decision_value& value) {
  return rate_decision{value.allowed, value.limit, value.remaining, value.retry_after_s};
}

// A request waiting for the next round trip to Redis.
struct waiting_spend {
  storage::window_increment increment;
  int limit = 0;
  caf::typed_response_promise<rate_decision> promise;
};

// Counts in Redis when it is configured and answers, otherwise in this process's windows.
struct limiter_state {
  std::shared_ptr<log::logger> logger;
  std::optional<redis_link> redis;
  domain::rate_windows windows;
  // Requests that arrived while Redis was busy with the last round trip; they go together.
  std::vector<waiting_spend> waiting;
  bool pump_queued = false;

  // Counts `spends` in one round trip (or in process while Redis is away); one decision each.
  std::vector<rate_decision> spend_all(const std::vector<waiting_spend>& spends) {
    std::vector<storage::window_increment> increments;
    increments.reserve(spends.size());
    for (const auto& spend : spends) {
      increments.push_back(spend.increment);
    }
    auto counted = redis->run(
        [&](storage::redis_client& client) { return client.increment_windows(increments); });
    std::vector<rate_decision> decisions;
    decisions.reserve(spends.size());
    for (std::size_t i = 0; i < spends.size(); ++i) {
      const auto& [key, window_s] = spends[i].increment;
      const std::int64_t window_ms = std::int64_t{window_s} * 1000;
      decisions.push_back(
          to_actor_decision(counted ? domain::decide_rate((*counted)[i].first, spends[i].limit,
                                                          (*counted)[i].second * 1000, window_ms)
                                    : windows.spend(key, spends[i].limit, now_ms(), window_ms)));
    }
    return decisions;
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

// The limiter's own interface: the public one plus the housekeeping tick and the round trip.
using limiter_impl =
    budget_actor::extend<caf::reacts_to<tick_atom>, caf::reacts_to<pump_atom>,
                         caf::replies_to<get_atom, mailbox_atom>::with<actor_probe>>;

using limiter_self = limiter_impl::stateful_pointer<limiter_state>;

// Answers at once without Redis. With it, the request waits for the next round trip, which
// leaves after every request already in the mailbox: one round trip per mailbox, not per request.
caf::result<rate_decision> spend(limiter_self self, std::string key, int limit, int window_s) {
  auto& state = self->state;
  if (!state.redis->configured()) {
    return guarded(self, [&] {
      const std::int64_t window_ms = std::int64_t{window_s} * 1000;
      return to_actor_decision(state.windows.spend(key, limit, now_ms(), window_ms));
    });
  }
  auto promise = self->make_response_promise<rate_decision>();
  state.waiting.push_back({{std::move(key), window_s}, limit, promise});
  if (!state.pump_queued) {
    state.pump_queued = true;
    self->send(self, pump_atom::value);
  }
  return promise;
}

// One round trip for the requests that wait (at most max_round_trip of them).
void spend_waiting(limiter_self self) {
  auto& state = self->state;
  state.pump_queued = false;
  const auto end = state.waiting.begin() +
                   static_cast<std::ptrdiff_t>(std::min(state.waiting.size(), max_round_trip));
  std::vector<waiting_spend> spends(std::make_move_iterator(state.waiting.begin()),
                                    std::make_move_iterator(end));
  state.waiting.erase(state.waiting.begin(), end);
  if (!state.waiting.empty()) {
    state.pump_queued = true;
    self->send(self, pump_atom::value);
  }
  try {
    auto decisions = state.spend_all(spends);
    for (std::size_t i = 0; i < spends.size(); ++i) {
      spends[i].promise.deliver(decisions[i]);
    }
  } catch (const std::exception& ex) {
    state.logger->error("rate_limit_failed", {{"reason", std::string_view{ex.what()}}});
    for (auto& waiting : spends) {
      waiting.promise.deliver(make_error(errc::internal));
    }
  }
}

limiter_impl::behavior_type limiter(limiter_self self, std::string redis_url,
                                    std::shared_ptr<log::logger> logger) {
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
      [self](limit_atom, std::string& key, int limit) {
        return spend(self, std::move(key), limit, minute_s);
      },
      [self](limit_atom, std::string& key, int limit, int window_s) {
        return spend(self, std::move(key), limit, window_s);
      },
      [self](refund_atom, const std::string& key) {
        return guarded(self, [&] { return self->state.refund(key); });
      },
      [self](pump_atom) { spend_waiting(self); },
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
