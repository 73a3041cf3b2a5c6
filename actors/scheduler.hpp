#pragma once

#include "actors/activity.hpp"
#include "actors/connector_registry.hpp"
#include "actors/lease_renewals.hpp"
#include "actors/type_ids.hpp"
#include "domain/clock.hpp"
#include "domain/message_records.hpp"
#include "domain/timer_wheel.hpp"
#include "log/logger.hpp"

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace schedulerd::actors {

/// What the scheduler reports about itself (health, the console).
struct scheduler_stats {
  /// Whether it ticked and refilled on time.
  bool healthy = true;
  /// Due times held in the wheel, per level (level 0 first).
  std::vector<std::size_t> wheel_levels;
  /// The earliest due time held.
  std::optional<std::int64_t> next_due;
  /// When it last ticked (injected clock).
  std::int64_t last_tick_at = 0;
  /// The due window is loaded up to this time.
  std::int64_t loaded_until = 0;
  /// Milliseconds since the wheel was last refilled from storage (it lags when this passes
  /// `refill_every_ms`).
  std::int64_t refill_age_ms = 0;
  /// How often the wheel is refilled, in milliseconds.
  std::int64_t refill_every_ms = 0;
  /// Messages claimed and handed to connectors since start.
  std::int64_t handed_off = 0;
  /// Claims handed to connectors whose outcomes are not stored yet.
  std::int64_t held = 0;
  /// Lateness (due time to hand-off) of recent hand-offs, in ms: p50, p95, p99, max.
  std::vector<std::int64_t> lateness_ms;
};

}  // namespace schedulerd::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::scheduler_stats)

namespace schedulerd::actors {

/// The timer-wheel scheduler: holds the near future's due times in a hierarchical timer wheel
/// (refilled from storage, told about every create, edit and cancel), wakes at the next due
/// time (at least every second), claims due messages in storage with a lease in batches and
/// hands each to its connection's connector. It also claims whatever is overdue every sweep
/// (retries, edits made on other nodes), renews the leases of its own claims every quarter lease
/// and gives back expired leases of nodes that died. A node
/// holds at most `max_claimed` claims at once: connectors report `(settled_atom, count)` as their
/// outcomes are stored, and the scheduler claims again, so several nodes share a large batch. It
/// accepts `(schedule_atom, entries)`, `(unschedule_atom, ids)`, `(get_atom)` (its stats),
/// `(ping_atom)` (health), `(drain_atom)` (stop claiming, let the connectors finish; answers
/// when they did) and `(get_atom, mailbox_atom)`; the other atoms are its own timers.
using scheduler_actor = caf::typed_actor<
    caf::reacts_to<schedule_atom, std::vector<domain::due_entry>>,
    caf::reacts_to<unschedule_atom, std::vector<std::int64_t>>,
    caf::reacts_to<settled_atom, std::int64_t>, caf::reacts_to<tick_atom, std::int64_t>,
    caf::reacts_to<refill_atom>, caf::reacts_to<recover_atom>, caf::reacts_to<renew_atom>,
    caf::replies_to<get_atom>::with<scheduler_stats>, caf::replies_to<ping_atom>::with<bool>,
    caf::replies_to<drain_atom>::with<bool>,
    caf::replies_to<get_atom, mailbox_atom>::with<actor_probe>>;

/// How the scheduler works.
struct scheduler_settings {
  /// The pooled database actor.
  caf::actor db_pool;
  /// Where claimed messages go.
  connector_registry_actor connectors;
  /// The injected clock.
  domain::clock_fn now = domain::system_now_ms;
  /// This node's lease owner name (host, process and start time).
  std::string node_id;
  /// The wheel's shape (10 ms slots by default).
  domain::wheel_geometry geometry;
  /// How far ahead the wheel holds due times; the rest stays in storage.
  std::chrono::milliseconds window{std::chrono::hours{1}};
  /// How often the window is loaded again.
  std::chrono::milliseconds refill_every{std::chrono::minutes{1}};
  /// How often overdue messages are claimed whether or not the wheel knew them.
  std::chrono::milliseconds sweep_every{std::chrono::seconds{1}};
  /// How often expired leases are given back.
  std::chrono::milliseconds recover_every{std::chrono::seconds{10}};
  /// How long before its due time a message is claimed and handed to its connector, which holds
  /// it until then: a burst's claims are made ahead, so claiming never delays a send.
  std::chrono::milliseconds lead{std::chrono::seconds{1}};
  /// How long a claim is held before another node may take it over, unless renewed.
  std::chrono::milliseconds lease{std::chrono::minutes{2}};
  /// Where lease renewals are recorded for the connectors; renewed every quarter lease.
  std::shared_ptr<lease_renewals> renewals;
  /// Messages claimed per statement.
  std::int64_t claim_batch = 500;
  /// Claims this node holds at most, handed off but not settled (`DISPATCH_MAX_CLAIMED`).
  std::int64_t max_claimed = 5000;
  /// How long a drain waits for the connectors.
  std::chrono::milliseconds drain_timeout{std::chrono::seconds{20}};
  /// Where failures are logged.
  std::shared_ptr<log::logger> logger;
};

/// Spawns the scheduler; it loads its window and recovers expired leases at once.
scheduler_actor spawn_scheduler(caf::actor_system& system, scheduler_settings settings);

}  // namespace schedulerd::actors
