#pragma once

#include "actors/activity.hpp"
#include "actors/dispatch_metrics.hpp"
#include "actors/held_claims.hpp"
#include "actors/lease_renewals.hpp"
#include "actors/send_pacer.hpp"
#include "actors/type_ids.hpp"
#include "domain/circuit_breaker.hpp"
#include "domain/clock.hpp"
#include "domain/credential_cipher.hpp"
#include "domain/message_records.hpp"
#include "domain/provider_records.hpp"
#include "domain/retry_policy.hpp"
#include "log/logger.hpp"
#include "providers/registry.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace schedulerd::actors {

/// How one connector's deliveries go, as the admin console shows it.
struct connector_report {
  /// The connection it sends for.
  std::int64_t provider_id = 0;
  /// Claimed messages waiting for a send slot, the rate limit or their due time.
  std::int64_t queued = 0;
  /// Sends and route lookups under way.
  std::int64_t in_flight = 0;
  /// Queued messages whose route (Huggy: the chat) was looked up ahead of their due time.
  std::int64_t routes_ready = 0;
  /// Sent messages whose outcome waits in the sent journal for the fold (they read `processing`).
  std::int64_t to_fold = 0;
  /// Messages it sent since it started.
  std::int64_t sent = 0;
  /// Attempts that failed since it started (retried later or failed for good).
  std::int64_t failed = 0;
  /// Sends per second it may start (`CONNECTOR_RATE_PER_SECOND`).
  double rate_limit = 0;
  /// `closed`, `open` or `half_open`.
  std::string breaker;
  /// What the last failed attempt said; empty when none failed.
  std::string last_error;
  /// When that was, in ms since the epoch (0: never).
  std::int64_t last_error_at = 0;
  /// Whether an admin paused the connection's dispatch.
  bool paused = false;
  /// The connection's status: `active`, `inactive` or `error`.
  std::string status;
};

}  // namespace schedulerd::actors

// Reports never leave the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::connector_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<schedulerd::actors::connector_report>)

namespace schedulerd::actors {

/// The one actor through which every outbound call of a provider connection goes. It reads its
/// connection from storage when it starts (and on `reload_atom`), runs the connector's blocking
/// calls on the outbound pool one at a time, stores refreshed credentials sealed, and records in
/// storage what each call says about the connection (`error` when the platform rejects the
/// credentials). It accepts:
/// - `(test_atom)`: tests the connection and records the outcome;
/// - `(sync_atom, int64 started_at)`: runs the contact import the caller began in storage at
///   `started_at` (`begin_contact_sync`), page by page within the rate limit, in the background;
///   answers at once; it stops, writing nothing more, once storage shows a later import;
/// - `(sync_atom, int64 started_at, int32 page)`: internal, the import's next page;
/// - `(contacts_atom, query)`: asks the platform for matching contacts and stores them;
/// - `(reload_atom)`: reads the connection again (its credentials or settings changed);
/// - `(deliver_atom, claimed)`: sends claimed messages (at most `max_in_flight` at once, within
///   the rate limit and the breaker) and stores each attempt's outcome, fenced by its claim,
///   telling the sender `(settled_atom, count)` as outcomes are stored;
/// - `(pump_atom)`: internal, starts the sends that waited for the rate limit;
/// - `(drain_atom)`: gives back the claims not yet started and answers once the sends in
///   flight are stored;
/// - `(tick_atom)`: internal, stops the connector once it had no work for its idle timeout;
/// - `(get_atom, report_atom)`: how its deliveries go, for the admin console;
/// - `(get_atom, mailbox_atom)`: its mailbox size, for the directory.
using connector_actor = caf::typed_actor<
    caf::replies_to<test_atom>::with<domain::connection_test>,
    caf::replies_to<sync_atom, std::int64_t>::with<bool>,
    caf::reacts_to<sync_atom, std::int64_t, std::int32_t>,
    caf::replies_to<contacts_atom, std::string>::with<std::vector<domain::contact_record>>,
    caf::replies_to<reload_atom>::with<bool>,
    caf::reacts_to<deliver_atom, std::vector<domain::claimed_message>>, caf::reacts_to<pump_atom>,
    caf::replies_to<drain_atom>::with<bool>, caf::reacts_to<tick_atom>,
    caf::replies_to<get_atom, report_atom>::with<connector_report>,
    caf::replies_to<get_atom, mailbox_atom>::with<actor_probe>>;

/// What every connector actor shares.
struct connector_settings {
  /// The pooled database actor.
  caf::actor db_pool;
  /// The blocking pool the connector's calls run on.
  caf::actor outbound;
  /// The provider types and their server-wide environments.
  std::shared_ptr<const providers::registry> types;
  /// Opens and seals credentials.
  std::shared_ptr<const domain::credential_cipher> cipher;
  /// The injected clock.
  domain::clock_fn now = domain::system_now_ms;
  /// Outbound calls per second per connection (`CONNECTOR_RATE_PER_SECOND`).
  double rate_per_second = 20;
  /// Paces sends across the nodes sharing Redis; none paces them with this node's own bucket.
  send_pacer_actor pacer;
  /// A connector with nothing to do stops after this long.
  std::chrono::milliseconds idle_timeout{std::chrono::minutes{10}};
  /// Tries of one import page that fails retryably, before the import fails.
  int sync_page_attempts = 3;
  /// Wait before retrying such a page (doubled each time, unless the platform names a wait).
  std::chrono::milliseconds sync_retry_delay{std::chrono::seconds{1}};
  /// This node's lease owner name: outcomes are stored only for claims it still holds.
  std::string node_id;
  /// How failed sends are retried.
  domain::retry_policy retry;
  /// Sends in flight per connection (`CONNECTOR_MAX_IN_FLIGHT`).
  int max_in_flight = 8;
  /// When a failing connection pauses.
  domain::breaker_settings breaker;
  /// No send starts later than this before its claim's lease ends (the lease must outlive it).
  std::chrono::milliseconds lease_margin{std::chrono::seconds{30}};
  /// Counts the outcomes stored; none counts nothing.
  std::shared_ptr<dispatch_metrics> metrics;
  /// How far the scheduler renewed this node's leases; none means leases are never renewed.
  std::shared_ptr<const lease_renewals> renewals;
  /// Where failures that reach no client are logged.
  std::shared_ptr<log::logger> logger;
};

/// Spawns the connector of connection `provider_id`, which keeps its claims in `held` (see
/// held_claims.hpp).
connector_actor spawn_connector(caf::actor_system& system, std::int64_t provider_id,
                                connector_settings settings, std::shared_ptr<held_claims> held);

}  // namespace schedulerd::actors
