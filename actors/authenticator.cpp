#include "actors/authenticator.hpp"

#include "actors/db_pool.hpp"
#include "actors/errc.hpp"
#include "domain/secrets.hpp"
#include "storage/token_store.hpp"

#include <caf/all.hpp>

#include <map>

namespace schedulerd::actors {

namespace {

using authenticator_impl = authenticator_actor::extend<caf::reacts_to<tick_atom>>;

// Real tokens are 46 characters; anything far longer is not worth hashing.
constexpr std::size_t max_token_length = 512;

struct authenticator_state {
  caf::actor db_pool;
  domain::clock_fn now;
  std::chrono::milliseconds flush_every{0};
  std::map<std::int64_t, std::int64_t> last_used;
};

void flush_last_used(authenticator_impl::stateful_pointer<authenticator_state> self) {
  auto& state = self->state;
  if (state.last_used.empty()) {
    return;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> batch(state.last_used.begin(),
                                                           state.last_used.end());
  state.last_used.clear();
  // Losing one batch to a database outage only makes last_used_at slightly stale.
  query(self, state.db_pool, [batch = std::move(batch)](storage::connection& db) {
    storage::touch_tokens(db, batch);
    return caf::expected<bool>{true};
  }).then([](bool) {}, [](caf::error&) {});
}

authenticator_impl::behavior_type authenticator(
    authenticator_impl::stateful_pointer<authenticator_state> self, caf::actor db_pool,
    domain::clock_fn now, std::chrono::milliseconds flush_every) {
  self->state.db_pool = std::move(db_pool);
  self->state.now = std::move(now);
  self->state.flush_every = flush_every;
  self->delayed_send(self, flush_every, tick_atom::value);
  return {
      [self](authenticate_atom, std::string& token) -> caf::result<principal> {
        if (token.empty() || token.size() > max_token_length) {
          return make_error(errc::unauthenticated);
        }
        auto promise = self->make_response_promise<principal>();
        auto at = self->state.now();
        query(self, self->state.db_pool,
              [hash = domain::sha256_hex(token), at](storage::connection& db) {
                auto found = storage::find_live_token(db, hash, at);
                if (!found) {
                  return caf::expected<principal>{make_error(errc::unauthenticated)};
                }
                return caf::expected<principal>{principal{found->user_id, found->id}};
              })
            .then(
                [self, promise, at](principal& who) mutable {
                  self->state.last_used[who.token_id] = at;
                  promise.deliver(who);
                },
                [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
        return promise;
      },
      [self](tick_atom) {
        flush_last_used(self);
        self->delayed_send(self, self->state.flush_every, tick_atom::value);
      },
  };
}

}  // namespace

authenticator_actor spawn_authenticator(caf::actor_system& system, caf::actor db_pool,
                                        domain::clock_fn now,
                                        std::chrono::milliseconds flush_every) {
  auto handle = system.spawn(authenticator, std::move(db_pool), std::move(now), flush_every);
  return caf::actor_cast<authenticator_actor>(handle);
}

}  // namespace schedulerd::actors
