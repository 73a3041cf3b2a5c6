#include "actors/authenticator.hpp"

#include "actors/db_pool.hpp"
#include "actors/directory.hpp"
#include "actors/errc.hpp"
#include "domain/secrets.hpp"
#include "storage/token_store.hpp"

#include <caf/all.hpp>

#include <map>

namespace schedulerd::actors {

namespace {

using authenticator_impl =
    authenticator_actor::extend<caf::reacts_to<tick_atom>,
                                caf::replies_to<get_atom, mailbox_atom>::with<actor_probe>>;

// Real tokens are 46 characters; anything far longer is not worth hashing.
constexpr std::size_t max_token_length = 512;

// How long a stopping authenticator waits for its last batch to be written.
constexpr std::chrono::seconds final_flush_timeout{3};

struct authenticator_state {
  caf::actor db_pool;
  domain::clock_fn now;
  std::chrono::milliseconds flush_every{0};
  std::shared_ptr<log::logger> logger;
  std::map<std::int64_t, std::int64_t> last_used;
  bool stopping = false;
};

using authenticator_self = authenticator_impl::stateful_pointer<authenticator_state>;

// Writes the batch; `done(written)` runs once the database answered or the timeout passed.
template <class Done>
void flush_last_used(authenticator_self self, std::chrono::milliseconds timeout, Done done) {
  auto& state = self->state;
  if (state.last_used.empty()) {
    done(true);
    return;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> batch(state.last_used.begin(),
                                                           state.last_used.end());
  state.last_used.clear();
  const auto batch_size = batch.size();
  query(
      self, state.db_pool,
      [batch = std::move(batch)](storage::connection& db) {
        storage::touch_tokens(db, batch);
        return caf::expected<bool>{true};
      },
      timeout)
      .then([done](bool) mutable { done(true); },
            [self, done, count = static_cast<std::int64_t>(batch_size)](caf::error& err) mutable {
              // Losing a batch only makes last_used_at slightly stale, but an operator should
              // know the database refused it.
              self->state.logger->warn("token_last_used_flush_failed",
                                       {{"tokens", count}, {"reason", self->system().render(err)}});
              done(false);
            });
}

// A normal stop writes what is still held before quitting, so a restart or a shutdown loses no
// last use; the supervisor stops the database pool only after this actor is gone.
void stop_after_flush(authenticator_self self, caf::error reason) {
  if (self->state.stopping) {
    return;
  }
  self->state.stopping = true;
  flush_last_used(self, final_flush_timeout, [self, reason = std::move(reason)](bool) mutable {
    self->quit(std::move(reason));
  });
}

authenticator_impl::behavior_type authenticator(
    authenticator_impl::stateful_pointer<authenticator_state> self, caf::actor db_pool,
    domain::clock_fn now, std::chrono::milliseconds flush_every,
    std::shared_ptr<log::logger> logger) {
  self->state.db_pool = std::move(db_pool);
  self->state.logger = std::move(logger);
  self->state.now = std::move(now);
  self->state.flush_every = flush_every;
  self->delayed_send(self, flush_every, tick_atom::value);
  // No links: every exit message is a stop request (kill ends the actor without one).
  self->set_exit_handler(
      [self](caf::exit_msg& msg) { stop_after_flush(self, std::move(msg.reason)); });
  return introspected<authenticator_impl::behavior_type>(
      self,
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
        // Losing one batch to a database outage only makes last_used_at slightly stale.
        flush_last_used(self, db_timeout, [](bool) {});
        self->delayed_send(self, self->state.flush_every, tick_atom::value);
      });
}

}  // namespace

authenticator_actor spawn_authenticator(caf::actor_system& system, caf::actor db_pool,
                                        domain::clock_fn now, std::chrono::milliseconds flush_every,
                                        std::shared_ptr<log::logger> logger) {
  auto handle = system.spawn(authenticator, std::move(db_pool), std::move(now), flush_every,
                             std::move(logger));
  return caf::actor_cast<authenticator_actor>(handle);
}

}  // namespace schedulerd::actors
