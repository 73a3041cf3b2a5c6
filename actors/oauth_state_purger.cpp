#include "actors/oauth_state_purger.hpp"

#include "actors/db_pool.hpp"
#include "storage/oauth_store.hpp"

#include <caf/all.hpp>

namespace schedulerd::actors {

namespace {

struct purger_state {
  caf::actor db_pool;
  domain::clock_fn now;
  std::chrono::milliseconds every{0};
  std::shared_ptr<log::logger> logger;
};

using purger_self = caf::stateful_actor<purger_state>;

void purge(purger_self* self) {
  auto& state = self->state;
  query(self, state.db_pool,
        [now = state.now()](storage::connection& db) {
          return caf::expected<std::int64_t>{storage::purge_oauth_states(db, now)};
        })
      .then(
          [self](std::int64_t purged) {
            if (purged > 0) {
              self->state.logger->info("oauth_states_purged", {{"count", purged}});
            }
          },
          // The next tick tries again; expired states are refused at the callback meanwhile.
          [self](caf::error& err) {
            self->state.logger->warn("oauth_state_purge_failed",
                                     {{"reason", self->system().render(err)}});
          });
}

caf::behavior oauth_state_purger(purger_self* self, caf::actor db_pool, domain::clock_fn now,
                                 std::chrono::milliseconds every,
                                 std::shared_ptr<log::logger> logger) {
  self->state = purger_state{std::move(db_pool), std::move(now), every, std::move(logger)};
  self->delayed_send(self, every, tick_atom::value);
  return {
      [self](tick_atom) {
        purge(self);
        self->delayed_send(self, self->state.every, tick_atom::value);
      },
  };
}

}  // namespace

caf::actor spawn_oauth_state_purger(caf::actor_system& system, caf::actor db_pool,
                                    domain::clock_fn now, std::chrono::milliseconds every,
                                    std::shared_ptr<log::logger> logger) {
  return system.spawn(oauth_state_purger, std::move(db_pool), std::move(now), every,
                      std::move(logger));
}

}  // namespace schedulerd::actors
