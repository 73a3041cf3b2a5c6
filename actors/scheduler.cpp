#include "actors/scheduler.hpp"

#include "actors/db_pool.hpp"
#include "actors/directory.hpp"
#include "actors/errc.hpp"
#include "domain/claim_ledger.hpp"
#include "domain/sample_window.hpp"
#include "storage/dispatch_store.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

// The lease recovery's answer travels from the database pool to this actor only.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::storage::lease_recovery)

namespace schedulerd::actors {

namespace {

// Due times are loaded from storage in pages of this many.
constexpr std::int64_t window_page = 1000;
// A scheduler that has not ticked for this long (it ticks at least every sweep) is unwell.
constexpr std::chrono::seconds tick_overdue{3};

using steady = std::chrono::steady_clock;

// A live node renews its claims' leases four times a lease.
std::chrono::milliseconds renew_every(const scheduler_settings& settings) {
  return settings.lease / 4;
}

struct scheduler_state {
  scheduler_settings settings;
  std::optional<domain::timer_wheel> wheel;
  // Ticks cannot be cancelled: each carries the generation it was armed with, and only the
  // latest generation's tick counts.
  std::int64_t generation = 0;
  std::optional<std::int64_t> armed_for;
  bool claiming = false;
  bool claim_again = false;
  bool draining = false;
  // A drain asked for while a claim was running: it goes on once that claim's messages are back.
  std::optional<caf::typed_response_promise<bool>> drain_after_claim;
  bool refilling = false;
  std::int64_t loaded_until = 0;
  std::int64_t last_tick_at = 0;
  // Sweeps follow real time: an injected clock may stand still.
  steady::time_point next_sweep = steady::now();
  steady::time_point last_tick = steady::now();
  steady::time_point last_refill = steady::now();
  std::int64_t handed_off = 0;
  // Claims handed off and not settled yet, and whether claiming stopped at the cap.
  domain::claim_ledger claims;
  bool at_cap = false;
  domain::sample_window lateness;
};

using scheduler_self = scheduler_actor::stateful_pointer<scheduler_state>;

std::int64_t now_ms(scheduler_self self) {
  return self->state.settings.now();
}

auto log_failure(scheduler_self self, const char* what) {
  return [self, what](caf::error& err) {
    self->state.settings.logger->error("scheduler_failed",
                                       {{"what", what}, {"reason", describe(err).message}});
  };
}

// Wakes the scheduler one lead before the earliest due time it holds, and at least every sweep
// interval, so overdue work and wall-clock jumps are noticed within one sweep.
void arm(scheduler_self self) {
  auto& state = self->state;
  const auto now = now_ms(self);
  auto wake = now + state.settings.sweep_every.count();
  if (auto next = state.wheel->next_due()) {
    wake = std::min(wake, *next - state.settings.lead.count());
  }
  if (state.armed_for && *state.armed_for <= wake) {
    return;
  }
  state.armed_for = wake;
  self->delayed_send(self, std::chrono::milliseconds{std::max<std::int64_t>(0, wake - now)},
                     tick_atom::value, ++state.generation);
}

// Hands claimed messages to their connections' connectors, one message per connection.
void hand_off(scheduler_self self, std::vector<domain::claimed_message>& claimed,
              std::int64_t lease_until) {
  auto& state = self->state;
  const auto now = now_ms(self);
  std::map<std::int64_t, std::vector<domain::claimed_message>> by_connection;
  for (auto& message : claimed) {
    message.lease_until = lease_until;
    state.lateness.add(std::max<std::int64_t>(0, now - message.due_at));
    state.wheel->cancel(message.id);
    by_connection[message.provider_id].push_back(std::move(message));
  }
  state.handed_off += static_cast<std::int64_t>(claimed.size());
  const auto held_until = state.settings.renewals
                              ? lease_until + state.settings.renewals->max_hold().count()
                              : lease_until;
  state.claims.add(static_cast<std::int64_t>(claimed.size()), held_until);
  for (auto& [provider_id, messages] : by_connection) {
    self->send(state.settings.connectors, deliver_atom::value, provider_id, std::move(messages));
  }
}

// Asks the connectors to finish what they hold and answers `promise` once they did.
void drain_connectors(scheduler_self self, caf::typed_response_promise<bool> promise) {
  self->request(self->state.settings.connectors, self->state.settings.drain_timeout,
                drain_atom::value)
      .then([promise](bool drained) mutable { promise.deliver(drained); },
            [promise](caf::error&) mutable { promise.deliver(false); });
}

// Goes on with a drain that waited for the running claim.
void resume_drain(scheduler_self self) {
  auto& state = self->state;
  if (state.drain_after_claim) {
    drain_connectors(self, *state.drain_after_claim);
    state.drain_after_claim.reset();
  }
}

// Gives back the claims of a statement that ended after the drain began: no connector would
// send them before the node stops, and their leases would hold them for minutes. Their attempts
// are not used and they stay due when they were; the drain goes on once they are back.
void give_back(scheduler_self self, const std::vector<domain::claimed_message>& claimed) {
  std::vector<std::int64_t> ids;
  ids.reserve(claimed.size());
  for (const auto& message : claimed) ids.push_back(message.id);
  if (ids.empty()) {
    resume_drain(self);
    return;
  }
  query(self, self->state.settings.db_pool,
        [owner = self->state.settings.node_id, ids = std::move(ids),
         now = now_ms(self)](storage::connection& db) {
          return caf::expected<std::int64_t>{storage::release_claims(db, owner, ids, now)};
        })
      .then([self](std::int64_t) { resume_drain(self); },
            [self](caf::error& err) {
              log_failure(self, "give back claims")(err);  // their leases run out instead
              resume_drain(self);
            });
}

// Claims due messages one statement at a time, within the node's cap on claims held; a full
// batch, or a wake-up that came while the statement ran, claims again at once.
void claim(scheduler_self self) {
  auto& state = self->state;
  if (state.draining) {
    return;
  }
  if (state.claiming) {
    state.claim_again = true;
    return;
  }
  const auto limit = std::min(state.settings.claim_batch,
                              state.settings.max_claimed - state.claims.held(now_ms(self)));
  state.at_cap = limit <= 0;
  if (state.at_cap) {
    return;  // settled claims make room, and claiming goes on then
  }
  state.claiming = true;
  state.claim_again = false;
  const auto now = now_ms(self);
  const auto lease_until = now + state.settings.lease.count();
  query(self, state.settings.db_pool,
        [owner = state.settings.node_id, now, lease_until, limit,
         due_by = now + state.settings.lead.count()](storage::connection& db) {
          return caf::expected<std::vector<domain::claimed_message>>{
              storage::claim_due(db, owner, now, lease_until, limit, due_by)};
        })
      .then(
          [self, lease_until, limit](std::vector<domain::claimed_message>& claimed) {
            auto& state = self->state;
            state.claiming = false;
            if (state.draining) {
              give_back(self, claimed);
              return;
            }
            const bool full = static_cast<std::int64_t>(claimed.size()) >= limit;
            hand_off(self, claimed, lease_until);
            if (full || state.claim_again) {
              claim(self);
            }
          },
          [self](caf::error& err) {
            self->state.claiming = false;
            log_failure(self, "claim")(err);
            resume_drain(self);
          });
}

// Connectors stored the outcomes of `count` claims: once a batch's worth of room is free (not
// one statement per settled send), claiming that stopped at the cap goes on.
void settle(scheduler_self self, std::int64_t count) {
  auto& state = self->state;
  state.claims.settle(count);
  const auto room = state.settings.max_claimed - state.claims.held(now_ms(self));
  const auto worth_a_statement = std::min(
      state.settings.claim_batch, std::max<std::int64_t>(1, state.settings.max_claimed / 4));
  if (state.at_cap && room >= worth_a_statement) {
    claim(self);
  }
}

void on_tick(scheduler_self self, std::int64_t generation) {
  auto& state = self->state;
  if (generation != state.generation) {
    return;
  }
  state.armed_for.reset();
  const auto now = now_ms(self);
  state.last_tick_at = now;
  state.last_tick = steady::now();
  const auto due = state.wheel->advance(now + state.settings.lead.count());
  if (!due.empty() || state.last_tick >= state.next_sweep) {
    state.next_sweep = state.last_tick + state.settings.sweep_every;
    claim(self);
  }
  arm(self);
}

void schedule(scheduler_self self, const std::vector<domain::due_entry>& entries) {
  const auto until = now_ms(self) + self->state.settings.window.count();
  for (const auto& entry : entries) {
    if (entry.due_at < until) {
      self->state.wheel->schedule(entry.message_id, entry.due_at);
    }
  }
  arm(self);
}

// Loads the due window page by page (keyset on due time and id), then moves the watermark.
void load_window(scheduler_self self, std::int64_t from, std::int64_t to, std::int64_t after_id) {
  query(self, self->state.settings.db_pool,
        [from, to, after_id](storage::connection& db) {
          return caf::expected<std::vector<domain::due_entry>>{
              storage::due_window(db, from, to, after_id, window_page)};
        })
      .then(
          [self, to](std::vector<domain::due_entry>& entries) {
            schedule(self, entries);
            if (static_cast<std::int64_t>(entries.size()) >= window_page) {
              load_window(self, entries.back().due_at, to, entries.back().message_id);
              return;
            }
            auto& state = self->state;
            state.loaded_until = to;
            state.refilling = false;
            state.last_refill = steady::now();
          },
          [self](caf::error& err) {
            self->state.refilling = false;
            log_failure(self, "refill")(err);
          });
}

void refill(scheduler_self self) {
  auto& state = self->state;
  self->delayed_send(self, state.settings.refill_every, refill_atom::value);
  if (state.refilling || state.draining) {
    return;
  }
  state.refilling = true;
  load_window(self, state.loaded_until, now_ms(self) + state.settings.window.count(), 0);
}

// The claims this node renews at `now`: those made within its renewals' longest hold, to a
// lease from `now`; none when its leases are never renewed. A lease with more than seven eighths
// of a lease to run (a claim made or renewed within half a renewal period) is not written again:
// otherwise the first renewal to meet a burst would rewrite all its claims in the middle of their
// sends. Each kept claim then holds at least seven eighths of a lease, so between renewals its
// lease never has less than five eighths left, more than a send's margin.
std::optional<storage::kept_claims> own_claims(scheduler_self self, std::int64_t now) {
  const auto& settings = self->state.settings;
  if (!settings.renewals) return std::nullopt;
  const auto lease = settings.lease.count();
  return storage::kept_claims{settings.node_id, now - settings.renewals->max_hold().count(),
                              now + lease - renew_every(settings).count() / 2, now + lease};
}

// Keeps this node's claims its own while it lives: a send or a store slowed down past the lease
// must not let another node send the message too.
void renew(scheduler_self self) {
  const auto& settings = self->state.settings;
  self->delayed_send(self, renew_every(settings), renew_atom::value);
  auto keep = own_claims(self, now_ms(self));
  if (!keep) return;
  urgent_query(self, settings.db_pool,
               [keep = *keep](storage::connection& db) {
                 return caf::expected<std::int64_t>{storage::renew_leases(db, keep)};
               })
      .then([self, held = keep->ending_before](
                std::int64_t) { self->state.settings.renewals->renewed(held); },
            log_failure(self, "lease renewal"));
}

// Gives back the claims whose leases ran out, renewing this node's own first: after a stall
// longer than the lease (a paused VM, a starved process) this may run before the next renewal,
// and must not take back the claims this node is still sending.
void recover(scheduler_self self) {
  self->delayed_send(self, self->state.settings.recover_every, recover_atom::value);
  const auto now = now_ms(self);
  auto keep = own_claims(self, now);
  query(self, self->state.settings.db_pool,
        [now, keep](storage::connection& db) {
          return caf::expected<storage::lease_recovery>{
              storage::recover_expired_leases(db, now, keep)};
        })
      .then(
          [self, keep](storage::lease_recovery& done) {
            const auto& settings = self->state.settings;
            if (keep) settings.renewals->renewed(keep->ending_before);
            if (done.sends_folded > 0) {
              settings.logger->warn("journaled_sends_folded", {{"count", done.sends_folded}});
            }
            if (!done.recovered.empty()) {
              settings.logger->warn("leases_recovered",
                                    {{"count", static_cast<std::int64_t>(done.recovered.size())}});
              schedule(self, done.recovered);
            }
          },
          log_failure(self, "lease recovery"));
}

bool healthy(scheduler_self self) {
  const auto& state = self->state;
  const auto now = steady::now();
  return now - state.last_tick < tick_overdue &&
         now - state.last_refill < 2 * state.settings.refill_every + tick_overdue;
}

scheduler_stats stats(scheduler_self self) {
  auto& state = self->state;
  scheduler_stats out;
  out.healthy = healthy(self);
  out.wheel_levels = state.wheel->level_sizes();
  out.next_due = state.wheel->next_due();
  out.last_tick_at = state.last_tick_at;
  out.loaded_until = state.loaded_until;
  out.refill_age_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - state.last_refill)
          .count();
  out.refill_every_ms = state.settings.refill_every.count();
  out.handed_off = state.handed_off;
  out.held = state.claims.held(now_ms(self));
  for (double p : {50.0, 95.0, 99.0, 100.0}) {
    out.lateness_ms.push_back(state.lateness.percentile(p));
  }
  return out;
}

caf::result<bool> drain(scheduler_self self) {
  auto& state = self->state;
  state.draining = true;
  state.settings.logger->info("dispatch_draining", {{"claim_under_way", state.claiming}});
  auto promise = self->make_response_promise<bool>();
  if (state.claiming) {
    state.drain_after_claim = promise;  // the claim's messages go back first (give_back)
  } else {
    drain_connectors(self, promise);
  }
  return promise;
}

scheduler_actor::behavior_type scheduler(scheduler_self self, scheduler_settings settings) {
  auto& state = self->state;
  state.settings = std::move(settings);
  state.wheel.emplace(now_ms(self), state.settings.geometry);
  refill(self);
  recover(self);
  renew(self);
  arm(self);
  return introspected<scheduler_actor::behavior_type>(
      self,
      [self](schedule_atom, std::vector<domain::due_entry>& entries) { schedule(self, entries); },
      [self](unschedule_atom, std::vector<std::int64_t>& ids) {
        for (auto id : ids) {
          self->state.wheel->cancel(id);
        }
      },
      [self](settled_atom, std::int64_t count) { settle(self, count); },
      [self](tick_atom, std::int64_t generation) { on_tick(self, generation); },
      [self](refill_atom) { refill(self); }, [self](recover_atom) { recover(self); },
      [self](renew_atom) { renew(self); }, [self](get_atom) { return stats(self); },
      [self](ping_atom) -> caf::result<bool> {
        if (!healthy(self)) {
          return make_error(errc::unavailable, "the scheduler is late");
        }
        return true;
      },
      [self](drain_atom) { return drain(self); });
}

}  // namespace

scheduler_actor spawn_scheduler(caf::actor_system& system, scheduler_settings settings) {
  return system.spawn(scheduler, std::move(settings));
}

}  // namespace schedulerd::actors
