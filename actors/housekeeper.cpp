#include "actors/housekeeper.hpp"

#include "actors/activity.hpp"
#include "actors/db_pool.hpp"
#include "storage/contact_store.hpp"
#include "storage/idempotency_store.hpp"
#include "storage/message_counts.hpp"
#include "storage/oauth_store.hpp"
#include "storage/transaction.hpp"

#include <caf/all.hpp>

namespace schedulerd::actors {

namespace {

// Contacts folded again per transaction: short enough not to hold up an import for long.
constexpr std::int64_t refold_batch = 500;

struct housekeeper_state {
  caf::actor db_pool;
  domain::clock_fn now;
  housekeeping_intervals every;
  std::shared_ptr<log::logger> logger;
};

using housekeeper_self = caf::stateful_actor<housekeeper_state>;

// Runs one chore, `remove`, on a pooled connection. When it removed (or changed) rows and `event`
// is set, logs their count under that name, then hands the count to `after`; a failure is logged as
// a warning and the next tick tries again.
template <class Chore, class After = void (*)(std::int64_t)>
void run_chore(
    housekeeper_self* self, const char* event, Chore remove, After after = [](std::int64_t) {}) {
  query(self, self->state.db_pool,
        [remove](storage::connection& db) { return caf::expected<std::int64_t>{remove(db)}; })
      .then(
          [self, event, after](std::int64_t removed) {
            if (removed > 0 && event != nullptr) {
              self->state.logger->info(event, {{"count", removed}});
            }
            after(removed);
          },
          [self](caf::error& err) {
            self->state.logger->warn("housekeeping_failed",
                                     {{"reason", self->system().render(err)}});
          });
}

// Expired rows are refused wherever they are read, so purging late only costs space.
void purge(housekeeper_self* self) {
  const auto now = self->state.now();
  run_chore(self, "oauth_states_purged",
            [now](storage::connection& db) { return storage::purge_oauth_states(db, now); });
  run_chore(self, "idempotent_answers_purged",
            [now](storage::connection& db) { return storage::purge_idempotent_answers(db, now); });
}

// Unfolded changes still count (readers add them up); folding keeps what they add up small.
void fold(housekeeper_self* self) {
  run_chore(self, nullptr,
            [](storage::connection& db) { return storage::fold_message_counts(db); });
}

// A full batch means more may be left: the next follows at once rather than at the next tick.
void refold(housekeeper_self* self) {
  run_chore(
      self, "contacts_refolded",
      [](storage::connection& db) {
        return storage::in_committed_transaction(
            db, [&db] { return storage::refold_contacts(db, refold_batch); });
      },
      [self](std::int64_t folded) {
        if (folded == refold_batch) {
          self->send(self, refold_atom::value);
        }
      });
}

caf::behavior housekeeper(housekeeper_self* self, caf::actor db_pool, domain::clock_fn now,
                          housekeeping_intervals every, std::shared_ptr<log::logger> logger) {
  self->state = housekeeper_state{std::move(db_pool), std::move(now), every, std::move(logger)};
  self->delayed_send(self, every.purge, tick_atom::value);
  self->delayed_send(self, every.fold, fold_atom::value);
  self->send(self, tick_atom::value, refold_atom::value);
  return introspected<caf::behavior>(
      self,
      [self](tick_atom) {
        purge(self);
        self->delayed_send(self, self->state.every.purge, tick_atom::value);
      },
      [self](fold_atom) {
        fold(self);
        self->delayed_send(self, self->state.every.fold, fold_atom::value);
      },
      [self](refold_atom) { refold(self); },
      [self](tick_atom, refold_atom) {
        refold(self);
        self->delayed_send(self, self->state.every.refold, tick_atom::value, refold_atom::value);
      });
}

}  // namespace

caf::actor spawn_housekeeper(caf::actor_system& system, caf::actor db_pool, domain::clock_fn now,
                             housekeeping_intervals every, std::shared_ptr<log::logger> logger) {
  return system.spawn(housekeeper, std::move(db_pool), std::move(now), every, std::move(logger));
}

}  // namespace schedulerd::actors
