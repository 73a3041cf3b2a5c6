#pragma once

// The connector actor's state and the steps its files share (actors/connector*.cpp); nothing
// outside the connector includes this.

#include "actors/blocking_pool.hpp"
#include "actors/connector.hpp"
#include "actors/db_pool.hpp"
#include "actors/errc.hpp"
#include "actors/held_claims.hpp"
#include "domain/circuit_breaker.hpp"
#include "domain/message_records.hpp"
#include "domain/request_timeouts.hpp"
#include "domain/send_batching.hpp"
#include "domain/send_grants.hpp"
#include "domain/token_bucket.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace schedulerd::actors::connector_detail {

// What one blocking connector call produced, plus the credentials it refreshed on the way.
template <class T>
struct call_reply {
  providers::call_result<T> result;
  std::optional<domain::field_values> refreshed;
};

}  // namespace schedulerd::actors::connector_detail

// Replies of blocking calls never leave the process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(
    schedulerd::actors::connector_detail::call_reply<schedulerd::providers::connection_check>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(
    schedulerd::actors::connector_detail::call_reply<schedulerd::providers::contact_page>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::connector_detail::call_reply<
                              std::vector<schedulerd::domain::contact_fields>>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::actors::connector_detail::call_reply<bool>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::optional<schedulerd::domain::provider_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(
    std::vector<schedulerd::providers::call_result<schedulerd::providers::sent_text>>)

namespace schedulerd::actors::connector_detail {

// Imports are slow, so their progress is stored every page: that is also the heartbeat that tells
// other nodes the import is alive.
struct import_progress {
  bool running = false;
  std::int32_t next_page = 0;
  std::int64_t imported = 0;
  int failed_tries = 0;
  // When the import began in storage: it identifies the import and fences its writes.
  std::int64_t started_at = 0;
};

// A claimed message whose route (where its text will go) is not looked up yet.
struct route_wanted {
  std::int64_t message_id = 0;
  std::string contact_external_id;
  std::int64_t due_at = 0;
};

// Scheduled messages on their way out: a queue, a cap on calls in flight, the routes found ahead
// of the due times, a breaker, and the outcomes waiting to be stored (several at once, in one
// transaction).
struct delivery_state {
  std::deque<domain::claimed_message> queue;
  int in_flight = 0;
  // Claims held until due, in order, whose routes are still to look up; lookups in flight; the
  // routes found, by message id, taken by the message's send.
  std::deque<route_wanted> unrouted;
  int finding = 0;
  std::unordered_map<std::int64_t, std::string> routes;
  // Connectors for concurrent sends; those of an older credentials version are dropped.
  std::vector<std::shared_ptr<providers::connector>> idle_senders;
  int senders_version = 0;
  domain::circuit_breaker breaker;
  // How long the connection's recent batches took, and so how many messages the next one takes.
  domain::send_batching batching;
  std::vector<domain::attempt_result> outcomes;
  // A store of outcomes or a fold of the sent journal is under way (one at a time).
  bool flushing = false;
  // The sends in the sent journal, not yet folded into their messages (storage/sent_journal.hpp),
  // by message id and attempt, and since when; their claims stay held until the fold.
  std::vector<std::pair<std::int64_t, std::int32_t>> unfolded;
  std::chrono::steady_clock::time_point unfolded_since;
  // When the pump timer armed last fires (a rate-limit wait, a claim held until due, a retried
  // store); a sooner need arms another.
  std::optional<std::chrono::steady_clock::time_point> pump_at;
  bool refreshing = false;
  std::optional<std::chrono::steady_clock::time_point> last_refresh;
  std::optional<caf::typed_response_promise<bool>> drained;
  // Sends the shared pacer granted (unused when there is none); each lives a second.
  domain::send_grants grants{1000};
  // Who handed the claims over (the scheduler): told how many are settled as outcomes are stored.
  caf::strong_actor_ptr claims_owner;
  // What the console shows: sends and failed attempts since start, and the last failure.
  std::int64_t sent = 0;
  std::int64_t failed = 0;
  std::string last_error;
  std::int64_t last_error_at = 0;
  std::minstd_rand random{std::random_device{}()};
};

struct connector_state {
  std::int64_t provider_id = 0;
  connector_settings settings;
  domain::provider_record record;
  const providers::provider_type* type = nullptr;
  // Shared with the blocking call that uses it, which may outlive a timed-out wait for it.
  std::shared_ptr<providers::connector> connector;
  // Why the connection cannot be used (its credentials do not open, its type is unknown).
  std::string unusable;
  std::optional<domain::token_bucket> bucket;
  import_progress import;
  delivery_state delivery;
  // The claims held and the outcomes known, shared with the registry, which settles them if the
  // connector crashes.
  std::shared_ptr<held_claims> held;
  // The last request that was work (mailbox probes are not): idleness counts from it.
  std::chrono::steady_clock::time_point last_work = std::chrono::steady_clock::now();
};

using self_pointer = connector_actor::stateful_pointer<connector_state>;

inline std::int64_t now_ms(self_pointer self) {
  return self->state.settings.now();
}

// The rate limit paces calls in real time, whatever the injected wall clock says.
inline std::int64_t pacing_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Logs a write that failed; nobody waits for it.
inline auto log_store_failure(self_pointer self, const char* what) {
  return [self, what](caf::error& err) {
    self->state.settings.logger->error("connector_store_failed",
                                       {{"provider_id", self->state.provider_id},
                                        {"what", what},
                                        {"reason", describe(err).message}});
  };
}

// Runs `work(storage::connection&)` on the pool; `blocking` holds back the actor's other messages
// until it is done.
template <class F>
void store(self_pointer self, const char* what, F work, bool blocking = false) {
  auto request =
      query(self, self->state.settings.db_pool, [work = std::move(work)](storage::connection& db) {
        work(db);
        return caf::expected<bool>{true};
      });
  if (blocking) {
    std::move(request).await([](bool) {}, log_store_failure(self, what));
  } else {
    std::move(request).then([](bool) {}, log_store_failure(self, what));
  }
}

/// Builds the connector from the record; on failure, says why the connection is unusable.
void build_connector(self_pointer self);

/// Replaces the credentials in memory and in storage (sealed) before anything else runs.
void store_refreshed(self_pointer self, const domain::field_values& credentials);

/// Records what a call said about the connection (rejected credentials put it in `error`).
void record_health(self_pointer self, const providers::call_error* error);

// Runs `call(providers::connector&)` on the outbound pool, one call at a time (`await` holds
// back the actor's other messages), then `on_result(call_result<T>&)` in the actor; unless the
// caller records its own verdict, what the call says about the credentials is recorded.
template <class T, class Call, class OnResult>
void call_platform(self_pointer self, Call call, OnResult on_result, bool records_health = true) {
  auto connector = self->state.connector;
  const int version = connector->credentials_version();
  run_blocking(
      self, self->state.settings.outbound,
      [connector, version, call]() -> caf::expected<call_reply<T>> {
        call_reply<T> reply{call(*connector), std::nullopt};
        if (connector->credentials_version() != version) {
          reply.refreshed = connector->credentials();
        }
        return reply;
      },
      domain::outbound_work_timeout)
      .await(
          [self, on_result, records_health](call_reply<T>& reply) mutable {
            if (reply.refreshed) {
              store_refreshed(self, *reply.refreshed);
            }
            if (records_health) {
              record_health(self, std::get_if<providers::call_error>(&reply.result));
            }
            on_result(reply.result);
          },
          [self, on_result](caf::error&) mutable {
            // The call may still be running: never hand its connector to another call.
            build_connector(self);
            providers::call_result<T> result{providers::call_error{
                providers::failure_kind::retryable, 0, "the call did not finish in time", {}}};
            on_result(result);
          });
}

/// Takes claimed messages to send (or to give back at once when the connection cannot send).
void deliver(self_pointer self, std::vector<domain::claimed_message>& claimed);

/// Starts as many queued sends as the cap, the breaker and the rate limit allow.
void pump(self_pointer self);

/// Takes the rate limit's leave for one send: nothing when it may start now, else how long until
/// the pump should try again (zero: the pump runs when the shared pacer answers).
std::optional<std::chrono::milliseconds> take_send_token(self_pointer self);

/// Gives back every queued send, waits for those in flight, stores their outcomes; answers then.
caf::result<bool> drain_deliveries(self_pointer self);

/// Whether messages are queued, in flight or waiting to be stored.
bool delivering(const connector_state& state);

}  // namespace schedulerd::actors::connector_detail
