#include "actors/authenticator.hpp"

#include "actors/db_pool.hpp"
#include "actors/directory.hpp"
#include "actors/errc.hpp"
#include "domain/secrets.hpp"
#include "storage/token_store.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace schedulerd::actors {

namespace {

using authenticator_impl =
    authenticator_actor::extend<caf::reacts_to<tick_atom>,
                                caf::replies_to<get_atom, mailbox_atom>::with<actor_probe>>;

// Real tokens are 46 characters; anything far longer is not worth hashing.
constexpr std::size_t max_token_length = 512;

// How long a stopping authenticator waits for its last batch to be written.
constexpr std::chrono::seconds final_flush_timeout{3};

// Lookups running at once; the requests that arrive meanwhile wait and go in the next lookup
// together, so under load one query answers many requests.
constexpr int max_lookups_in_flight = 2;

// The most tokens one lookup carries.
constexpr std::size_t max_tokens_per_lookup = 256;

// A request waiting for its token's lookup.
struct waiting_token {
  std::string hash;
  caf::typed_response_promise<principal> caller;
};

struct authenticator_state {
  caf::actor db_pool;
  std::vector<waiting_token> waiting;
  int lookups_in_flight = 0;
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

// Looks up the tokens that wait, if a lookup may start: one query for all of them.
void look_up_waiting(authenticator_self self) {
  auto& state = self->state;
  if (state.waiting.empty() || state.lookups_in_flight >= max_lookups_in_flight) {
    return;
  }
  const auto end = state.waiting.begin() + static_cast<std::ptrdiff_t>(std::min(
                                               state.waiting.size(), max_tokens_per_lookup));
  auto callers = std::make_shared<std::vector<waiting_token>>(
      std::make_move_iterator(state.waiting.begin()), std::make_move_iterator(end));
  state.waiting.erase(state.waiting.begin(), end);
  std::vector<std::string> hashes;
  hashes.reserve(callers->size());
  for (const auto& waiting : *callers) {
    hashes.push_back(waiting.hash);
  }
  auto found = std::make_shared<std::vector<std::optional<principal>>>();
  const auto at = state.now();
  ++state.lookups_in_flight;
  query(self, state.db_pool,
        [hashes = std::move(hashes), at, found](storage::connection& db) {
          for (const auto& token : storage::find_live_tokens(db, hashes, at)) {
            found->push_back(token ? std::optional<principal>{principal{token->user_id, token->id}}
                                   : std::nullopt);
          }
          return caf::expected<bool>{true};
        })
      .then(
          [self, callers, found, at](bool) {
            --self->state.lookups_in_flight;
            for (std::size_t i = 0; i < callers->size(); ++i) {
              auto& caller = (*callers)[i].caller;
              if (const auto& who = (*found)[i]) {
                self->state.last_used[who->token_id] = at;
                caller.deliver(*who);
              } else {
                caller.deliver(make_error(errc::unauthenticated));
              }
            }
            look_up_waiting(self);
          },
          [self, callers](caf::error& err) {
            --self->state.lookups_in_flight;
            for (auto& waiting : *callers) {
              waiting.caller.deliver(err);
            }
            look_up_waiting(self);
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
        auto caller = self->make_response_promise<principal>();
        self->state.waiting.push_back({domain::sha256_hex(token), caller});
        look_up_waiting(self);
        return caller;
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
