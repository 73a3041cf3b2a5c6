#include "actors/send_pacer.hpp"

#include "actors/activity.hpp"
#include "actors/redis_link.hpp"
#include "domain/token_bucket.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

namespace schedulerd::actors {

namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct pacer_state {
  std::optional<redis_link> redis;
  double rate = 20;
  // One second's worth, as the connector's own bucket allows.
  double burst = 20;
  // Used while Redis cannot answer, one per connection.
  std::map<std::int64_t, domain::token_bucket> alone;

  std::tuple<std::int64_t, std::int64_t> take(std::int64_t provider_id, std::int64_t want) {
    auto shared = redis->run([&](storage::redis_client& client) {
      return client.take_tokens(std::to_string(provider_id), rate, burst, want);
    });
    if (shared) {
      return {shared->granted, shared->wait_ms};
    }
    auto& bucket = alone.try_emplace(provider_id, rate, burst).first->second;
    std::int64_t granted = 0;
    std::int64_t wait = 0;
    while (granted < want && (wait = bucket.take(steady_ms())) == 0) {
      ++granted;
    }
    return {granted, granted > 0 ? 0 : wait};
  }
};

// The pacer's own interface: the public one plus the directory's probe.
using pacer_impl =
    send_pacer_actor::extend<caf::replies_to<get_atom, mailbox_atom>::with<actor_probe>>;

pacer_impl::behavior_type pacer(pacer_impl::stateful_pointer<pacer_state> self,
                                std::string redis_url, double rate_per_second,
                                std::shared_ptr<log::logger> logger) {
  auto& state = self->state;
  state.rate = rate_per_second;
  state.burst = std::max(1.0, rate_per_second);
  state.redis.emplace(std::move(redis_url), std::move(logger), "send_rates", "per-node");
  state.redis->connect_now();
  return introspected<pacer_impl::behavior_type>(
      self,
      [self](limit_atom, std::int64_t provider_id,
             std::int64_t want) -> caf::result<std::int64_t, std::int64_t> {
        auto [granted, wait] = self->state.take(provider_id, std::max<std::int64_t>(1, want));
        return {granted, wait};
      });
}

}  // namespace

send_pacer_actor spawn_send_pacer(caf::actor_system& system, std::string redis_url,
                                  double rate_per_second, std::shared_ptr<log::logger> logger) {
  return system.spawn<caf::detached>(pacer, std::move(redis_url), rate_per_second,
                                     std::move(logger));
}

}  // namespace schedulerd::actors
