#include "actors/redis_probe.hpp"

#include "actors/activity.hpp"
#include "actors/type_ids.hpp"
#include "storage/redis_client.hpp"

#include <caf/all.hpp>

#include <memory>

namespace schedulerd::actors {

namespace {

struct probe_state {
  std::string redis_url;
  std::unique_ptr<storage::redis_client> redis;
};

caf::behavior redis_probe(caf::stateful_actor<probe_state>* self, std::string redis_url) {
  self->state.redis_url = std::move(redis_url);
  return introspected<caf::behavior>(self, [self](ping_atom) {
    auto& redis = self->state.redis;
    try {
      const bool fresh = !redis;
      if (fresh) {
        redis = std::make_unique<storage::redis_client>(self->state.redis_url);
      }
      if (redis->ping()) {
        return true;
      }
      // The old connection may predate a Redis restart: one fresh try before saying down.
      return !fresh && redis->reconnect() && redis->ping();
    } catch (const std::exception&) {
      // Health must say "down", not fail the probe.
      return false;
    }
  });
}

}  // namespace

caf::actor spawn_redis_probe(caf::actor_system& system, std::string redis_url) {
  return system.spawn<caf::detached>(redis_probe, std::move(redis_url));
}

}  // namespace schedulerd::actors
