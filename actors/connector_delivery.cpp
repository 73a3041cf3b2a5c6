// The connector's delivery of scheduled messages: claimed messages queue in the actor (not the
// mailbox, so the queue is visible and bounded by the claims), their routes are looked up while
// they wait for their due time, at most `max_in_flight` calls run at once on the outbound pool,
// in batches that each share one sender, and each attempt's outcome is stored fenced by its
// claim, several at once: sends to the sent journal, folded into their messages once the
// connection is quiet.

#include "actors/connector_state.hpp"
#include "domain/provider_records.hpp"
#include "domain/rfc3339.hpp"
#include "storage/dispatch_store.hpp"
#include "storage/sent_journal.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <string>
#include <utility>

namespace schedulerd::actors::connector_detail {

namespace {

// A rejection right after a successful refresh means the new token is refused too.
constexpr std::chrono::seconds refresh_cooldown{10};

// Sends journaled this long ago are folded into their messages even if the connection still has
// messages to send, so that under a steady load a message reads `sent` soon after it was.
constexpr std::chrono::seconds fold_at_the_latest{2};

// A route is looked up ahead only for a message due later than this: a lookup would race a send
// due sooner, which finds its route itself.
constexpr std::int64_t route_lookup_margin_ms = 100;

// How many due messages one sender takes at once (domain::send_batching: half the connection's
// sends in flight while its batches come back quickly, a quarter once they are slow).
std::size_t batch_limit(const connector_state& state) {
  return state.delivery.batching.batch_size(state.settings.max_in_flight);
}

// The time since `started`.
std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started);
}

void settle_drain(self_pointer self) {
  auto& delivery = self->state.delivery;
  if (delivery.drained && !delivering(self->state)) {
    delivery.drained->deliver(true);
    delivery.drained.reset();
  }
}

void flush(self_pointer self);

// Pumps again after `delay`, unless a pump is already due by then.
void pump_after(self_pointer self, std::chrono::milliseconds delay) {
  auto& pump_at = self->state.delivery.pump_at;
  const auto at = std::chrono::steady_clock::now() + delay;
  if (!pump_at || at < *pump_at) {
    pump_at = at;
    self->delayed_send(self, delay, pump_atom::value);
  }
}

// A store that failed is tried again (the claims' leases still hold): losing a `sent` outcome
// would let lease recovery send the message a second time.
void retry_flush_later(self_pointer self, const std::vector<domain::attempt_result>& batch) {
  auto& outcomes = self->state.delivery.outcomes;
  outcomes.insert(outcomes.begin(), batch.begin(), batch.end());
  pump_after(self, std::chrono::seconds{1});
}

// Tells whoever handed the claims over (the scheduler) that `count` of them are settled.
void report_settled(self_pointer self, std::int64_t count) {
  const auto& owner = self->state.delivery.claims_owner;
  if (owner && count > 0) {
    caf::anon_send(caf::actor_cast<caf::actor>(owner), settled_atom::value, count);
  }
}

// Whether the connection has nothing to send now: no call in flight, and no claim due yet.
bool quiet(self_pointer self) {
  const auto& delivery = self->state.delivery;
  return delivery.in_flight == 0 &&
         (delivery.queue.empty() || delivery.queue.front().due_at > now_ms(self));
}

// Folds the sends this connection journaled into their messages once it is quiet, draining, or
// the oldest was journaled fold_at_the_latest ago; answers whether a fold started.
bool fold_if_due(self_pointer self) {
  auto& delivery = self->state.delivery;
  if (delivery.unfolded.empty()) return false;
  const auto waited = std::chrono::steady_clock::now() - delivery.unfolded_since;
  if (!quiet(self) && !delivery.drained && waited < fold_at_the_latest) {
    pump_after(self, std::chrono::ceil<std::chrono::milliseconds>(fold_at_the_latest - waited));
    return false;
  }
  delivery.flushing = true;
  query(self, self->state.settings.db_pool,
        [owner = self->state.settings.node_id,
         provider_id = self->state.provider_id](storage::connection& db) {
          const auto done = storage::fold_sends(db, owner, provider_id);
          return caf::expected<std::int64_t>{done.taken - done.folded};
        })
      .then(
          [self](std::int64_t lost) {
            auto& delivery = self->state.delivery;
            delivery.flushing = false;
            for (const auto& [id, attempt] : delivery.unfolded) {
              self->state.held->settle(id, attempt);
            }
            report_settled(self, static_cast<std::int64_t>(delivery.unfolded.size()));
            delivery.unfolded.clear();
            if (lost > 0) {
              self->state.settings.logger->warn(
                  "claims_lost", {{"provider_id", self->state.provider_id}, {"count", lost}});
            }
            flush(self);
          },
          [self](caf::error& err) {
            self->state.delivery.flushing = false;
            log_store_failure(self, "the sent journal's fold")(err);
            pump_after(self, std::chrono::seconds{1});
          });
  return true;
}

void flush(self_pointer self) {
  auto& delivery = self->state.delivery;
  if (delivery.flushing) {
    settle_drain(self);
    return;
  }
  if (delivery.outcomes.empty()) {
    if (!fold_if_due(self)) settle_drain(self);
    return;
  }
  delivery.flushing = true;
  // One copy of the batch, read by the store and then by whichever handler answers.
  auto batch =
      std::make_shared<const std::vector<domain::attempt_result>>(std::move(delivery.outcomes));
  delivery.outcomes.clear();
  query(self, self->state.settings.db_pool,
        [owner = self->state.settings.node_id, batch](storage::connection& db) {
          return caf::expected<std::int64_t>{storage::journal_attempts(db, owner, *batch)};
        })
      .then(
          [self, batch](std::int64_t kept) {
            const auto stored = static_cast<std::int64_t>(batch->size());
            auto& delivery = self->state.delivery;
            delivery.flushing = false;
            // The sends went to the journal: their claims stay held (a crash stores them from
            // there) and count as settled once folded.
            std::int64_t journaled = 0;
            for (const auto& result : *batch) {
              if (result.outcome != domain::attempt_outcome::sent) {
                self->state.held->settle(result.claim.id, result.claim.attempt);
                continue;
              }
              if (delivery.unfolded.empty()) {
                delivery.unfolded_since = std::chrono::steady_clock::now();
              }
              delivery.unfolded.emplace_back(result.claim.id, result.claim.attempt);
              ++journaled;
            }
            if (self->state.settings.metrics) {
              self->state.settings.metrics->record(*batch);
            }
            report_settled(self, stored - journaled);
            if (kept < stored) {
              self->state.settings.logger->warn(
                  "claims_lost",
                  {{"provider_id", self->state.provider_id}, {"count", stored - kept}});
            }
            flush(self);
          },
          [self, batch](caf::error& err) {
            self->state.delivery.flushing = false;
            log_store_failure(self, "delivery outcomes")(err);
            retry_flush_later(self, *batch);
          });
}

// Keeps an attempt's outcome for the next store; the holder learns it too, so that a crash
// stores it rather than sending the message again.
void keep(self_pointer self, domain::attempt_result result) {
  self->state.held->know(result);
  self->state.delivery.outcomes.push_back(std::move(result));
}

domain::attempt_result outcome(const domain::claimed_message& claim, domain::attempt_outcome kind,
                               std::int64_t now) {
  domain::attempt_result result;
  result.claim = claim;
  result.outcome = kind;
  result.finished_at = now;
  result.retry_at = now;
  return result;
}

// Gives a claim back unstarted: the message waits in storage, its attempt not used, and its
// history says why. It is due at `retry_at`, never before its own due time: a claim taken a lead
// ahead and given back must not leave early from another claim.
void release(self_pointer self, const domain::claimed_message& claim, std::int64_t retry_at,
             const std::string& why) {
  self->state.delivery.routes.erase(claim.id);
  auto result = outcome(claim, domain::attempt_outcome::released, now_ms(self));
  result.retry_at = std::max(retry_at, claim.due_at);
  result.error = why;
  keep(self, std::move(result));
}

void release_queue(self_pointer self, std::int64_t retry_at, const std::string& why) {
  auto& queue = self->state.delivery.queue;
  for (const auto& claim : queue) {
    release(self, claim, retry_at, why);
  }
  queue.clear();
}

std::string held_because(const connector_state& state) {
  std::string why{"not sent: the connection cannot send ("};
  if (!state.connector) {
    why += state.unusable;
  } else {
    why += state.record.dispatch_paused_at ? "dispatch paused by an admin" : state.record.status;
  }
  why += "); it waits without using an attempt";
  return why;
}

constexpr const char* stopping =
    "not sent: the node is stopping; another node or its restart sends it";

bool can_send(const connector_state& state) {
  return state.connector && state.record.status == domain::provider_active &&
         !state.record.dispatch_paused_at;
}

void record_failure(self_pointer self, const domain::claimed_message& claim,
                    const providers::call_error& error, std::int64_t latency_ms) {
  auto& state = self->state;
  const auto now = now_ms(self);
  const bool retry = error.kind == providers::failure_kind::retryable &&
                     !domain::is_last_attempt(state.settings.retry, claim.attempt);
  auto result =
      outcome(claim, retry ? domain::attempt_outcome::retry : domain::attempt_outcome::failed, now);
  result.http_status = error.http_status;
  result.latency_ms = latency_ms;
  result.error = error.message;
  ++state.delivery.failed;
  state.delivery.last_error = error.message;
  state.delivery.last_error_at = now;
  if (retry) {
    std::optional<std::int64_t> retry_after;
    if (error.retry_after) {
      retry_after =
          std::chrono::duration_cast<std::chrono::milliseconds>(*error.retry_after).count();
      state.bucket->pause_until(pacing_ms() + *retry_after);
    }
    std::uniform_real_distribution<double> unit{0.0, 1.0};
    result.retry_at = now + domain::retry_delay_ms(state.settings.retry, claim.attempt,
                                                   unit(state.delivery.random), retry_after);
  }
  keep(self, std::move(result));
}

// The platform refused the token: refresh once (the sender cannot), then send again with the
// same attempt; when that is impossible the connection is in `error` and holds its messages.
void on_rejected(self_pointer self, const domain::claimed_message& claim,
                 const providers::call_error& error) {
  auto& delivery = self->state.delivery;
  delivery.queue.push_front(claim);
  if (delivery.refreshing) {
    return;
  }
  const bool fresh = delivery.last_refresh &&
                     std::chrono::steady_clock::now() - *delivery.last_refresh < refresh_cooldown;
  if (fresh || !self->state.connector) {
    record_health(self, &error);
    self->state.record.status = domain::provider_error;
    release_queue(self, now_ms(self), held_because(self->state));
    return;
  }
  delivery.refreshing = true;
  call_platform<bool>(
      self, [](providers::connector& c) { return c.refresh_credentials(); },
      [self, error](providers::call_result<bool>& refreshed) {
        auto& state = self->state;
        state.delivery.refreshing = false;
        const auto* done = std::get_if<bool>(&refreshed);
        if (done != nullptr && *done) {
          state.delivery.last_refresh = std::chrono::steady_clock::now();
        } else {
          if (done != nullptr) {
            record_health(self, &error);  // no refresh token: the send's rejection stands
          }
          state.record.status = domain::provider_error;
        }
        pump(self);
      });
}

void on_sent(self_pointer self, const domain::claimed_message& claim,
             providers::call_result<providers::sent_text>& result, std::int64_t latency_ms) {
  auto& state = self->state;
  if (const auto* sent = std::get_if<providers::sent_text>(&result)) {
    state.delivery.breaker.record(true, now_ms(self));
    auto done = outcome(claim, domain::attempt_outcome::sent, now_ms(self));
    done.http_status = sent->http_status;
    done.latency_ms = sent->latency.count();
    done.provider_message_id = sent->provider_message_id;
    keep(self, std::move(done));
    ++state.delivery.sent;
    if (state.record.status == domain::provider_error) {
      record_health(self, nullptr);
    }
    return;
  }
  const auto& error = std::get<providers::call_error>(result);
  if (error.kind == providers::failure_kind::rejected_credentials) {
    state.delivery.breaker.record(true, now_ms(self));  // the platform is up; the token is not
    on_rejected(self, claim, error);
    return;
  }
  // Only failures that say the platform is unwell count against it, never a refused message.
  state.delivery.breaker.record(error.kind != providers::failure_kind::retryable, now_ms(self));
  record_failure(self, claim, error, latency_ms);
}

std::shared_ptr<providers::connector> take_sender(self_pointer self) {
  auto& idle = self->state.delivery.idle_senders;
  if (idle.empty()) {
    return std::shared_ptr<providers::connector>{self->state.connector->make_sender()};
  }
  auto sender = std::move(idle.back());
  idle.pop_back();
  return sender;
}

// Keeps `sender` for the next batch unless the credentials changed since it was made.
void give_back(self_pointer self, std::shared_ptr<providers::connector> sender, int version) {
  auto& delivery = self->state.delivery;
  if (version == delivery.senders_version) delivery.idle_senders.push_back(std::move(sender));
}

// The route the lead found for message `id`, if any, taken for its send.
std::string take_route(self_pointer self, std::int64_t id) {
  auto& routes = self->state.delivery.routes;
  const auto found = routes.find(id);
  if (found == routes.end()) return {};
  auto route = std::move(found->second);
  routes.erase(found);
  return route;
}

// Looks up, with the calls the sends leave unused, where the texts of claims held until due will
// go, so that their sends make fewer calls at the due time. A failed lookup costs nothing: the
// send looks its route up itself.
void find_routes_ahead(self_pointer self) {
  auto& state = self->state;
  auto& delivery = state.delivery;
  const auto room = state.settings.max_in_flight - delivery.in_flight - delivery.finding;
  if (delivery.unrouted.empty() || room <= 0 || !can_send(state) || delivery.refreshing ||
      delivery.drained) {
    return;
  }
  const auto soonest = now_ms(self) + route_lookup_margin_ms;
  std::vector<std::int64_t> ids;
  std::vector<std::string> contacts;
  const auto limit = std::min<std::size_t>(static_cast<std::size_t>(room), batch_limit(state));
  while (!delivery.unrouted.empty() && ids.size() < limit) {
    auto& wanted = delivery.unrouted.front();
    if (wanted.due_at > soonest) {
      ids.push_back(wanted.message_id);
      contacts.push_back(std::move(wanted.contact_external_id));
    }
    delivery.unrouted.pop_front();
  }
  if (ids.empty()) return;
  delivery.finding += static_cast<int>(ids.size());
  auto sender = take_sender(self);
  const auto started = std::chrono::steady_clock::now();
  run_blocking(
      self, state.settings.outbound,
      [sender, contacts = std::move(contacts)]() -> caf::expected<std::vector<std::string>> {
        return sender->find_routes(contacts);
      },
      domain::outbound_work_timeout)
      .then(
          [self, sender, ids, started,
           version = delivery.senders_version](std::vector<std::string>& found) {
            auto& delivery = self->state.delivery;
            delivery.finding -= static_cast<int>(ids.size());
            delivery.batching.record(elapsed_since(started));
            give_back(self, sender, version);
            for (std::size_t i = 0; i < ids.size() && i < found.size(); ++i) {
              if (!found[i].empty()) delivery.routes[ids[i]] = std::move(found[i]);
            }
            pump(self);
          },
          [self, count = ids.size(), started](caf::error&) {
            auto& delivery = self->state.delivery;
            delivery.finding -= static_cast<int>(count);  // the sends look them up
            delivery.batching.record(elapsed_since(started));
            pump(self);
          });
}

// Sends the claims together on one sender: their calls overlap on one outbound thread, so a
// burst costs a few thread hand-offs per batch instead of several per message.
void start_batch(self_pointer self, std::vector<domain::claimed_message> claims) {
  auto& delivery = self->state.delivery;
  delivery.in_flight += static_cast<int>(claims.size());
  auto sender = take_sender(self);
  std::vector<providers::text_to_send> texts;
  texts.reserve(claims.size());
  for (const auto& claim : claims) {
    texts.push_back({claim.contact_external_id, claim.content, take_route(self, claim.id)});
    self->state.held->start(claim.id);
  }
  const auto started = std::chrono::steady_clock::now();
  auto batch = std::make_shared<const std::vector<domain::claimed_message>>(std::move(claims));
  using outcomes = std::vector<providers::call_result<providers::sent_text>>;
  run_blocking(
      self, self->state.settings.outbound,
      [sender, texts = std::move(texts)]() -> caf::expected<outcomes> {
        return sender->send_texts(texts);
      },
      domain::outbound_work_timeout)
      .then(
          [self, sender, batch, started, version = delivery.senders_version](outcomes& results) {
            auto& state = self->state;
            state.delivery.in_flight -= static_cast<int>(batch->size());
            give_back(self, sender, version);
            const auto elapsed = elapsed_since(started);
            state.delivery.batching.record(elapsed);
            const auto latency = elapsed.count();
            results.resize(batch->size(),
                           providers::call_error{providers::failure_kind::retryable, 0,
                                                 "the connector gave no outcome", std::nullopt});
            for (std::size_t i = 0; i < batch->size(); ++i) {
              on_sent(self, (*batch)[i], results[i], latency);
            }
            pump(self);
          },
          [self, batch, started](caf::error&) {
            // The sender may still be running: it is not reused, and whether the platform got
            // the messages is unknown, so the attempts count as failed.
            auto& delivery = self->state.delivery;
            delivery.in_flight -= static_cast<int>(batch->size());
            const auto elapsed = elapsed_since(started);
            delivery.batching.record(elapsed);
            const auto latency = elapsed.count();
            for (const auto& claim : *batch) {
              delivery.breaker.record(false, now_ms(self));
              record_failure(self, claim,
                             {providers::failure_kind::retryable, 0,
                              "the send did not finish in time; whether the provider received "
                              "it is unknown",
                              std::nullopt},
                             latency);
            }
            pump(self);
          });
}

}  // namespace

bool delivering(const connector_state& state) {
  const auto& delivery = state.delivery;
  return !delivery.queue.empty() || delivery.in_flight > 0 || delivery.flushing ||
         !delivery.outcomes.empty() || !delivery.unfolded.empty() || delivery.refreshing;
}

void deliver(self_pointer self, std::vector<domain::claimed_message>& claimed) {
  auto& delivery = self->state.delivery;
  delivery.claims_owner = self->current_sender();
  self->state.held->hold(claimed);
  const auto soonest = now_ms(self) + route_lookup_margin_ms;
  for (auto& claim : claimed) {
    if (claim.due_at > soonest) {
      delivery.unrouted.push_back({claim.id, claim.contact_external_id, claim.due_at});
    }
    delivery.queue.push_back(std::move(claim));
  }
  if (delivery.drained) {
    release_queue(self, now_ms(self), stopping);
  }
  pump(self);
}

void pump(self_pointer self) {
  auto& state = self->state;
  auto& delivery = state.delivery;
  std::vector<domain::claimed_message> batch;
  const auto send_batch = [self, &batch] {
    if (!batch.empty()) start_batch(self, std::exchange(batch, {}));
  };
  while (!delivery.queue.empty() &&
         delivery.in_flight + delivery.finding + static_cast<int>(batch.size()) <
             state.settings.max_in_flight &&
         !delivery.refreshing) {
    const auto now = now_ms(self);
    if (!can_send(state)) {
      release_queue(self, now, held_because(state));  // claims skip connections that cannot send
      break;
    }
    const auto& claim = delivery.queue.front();
    const auto lease_end = state.settings.renewals
                               ? state.settings.renewals->lease_end(claim.lease_until)
                               : claim.lease_until;
    if (lease_end - state.settings.lease_margin.count() < now) {
      release(self, claim, now,
              "not sent: its claim was about to expire before the send could start");
      delivery.queue.pop_front();
      continue;
    }
    if (claim.due_at > now) {
      // Claimed ahead of time (the scheduler's lead): it leaves when due, not before.
      pump_after(self, std::chrono::milliseconds{claim.due_at - now});
      break;
    }
    if (!delivery.breaker.allow(now)) {
      std::string why{"not sent: the provider keeps failing, so the connection pauses until "};
      why += domain::format_rfc3339(delivery.breaker.reopens_at());
      release_queue(self, delivery.breaker.reopens_at(), why);
      break;
    }
    if (auto wait = take_send_token(self)) {
      if (wait->count() > 0) {
        pump_after(self, *wait);
      }
      break;
    }
    batch.push_back(std::move(delivery.queue.front()));
    delivery.queue.pop_front();
    if (batch.size() == batch_limit(state)) send_batch();
  }
  send_batch();
  if (delivery.queue.empty()) {
    // Every claim left: what was looked up for those released belongs to nobody now.
    delivery.unrouted.clear();
    delivery.routes.clear();
  }
  find_routes_ahead(self);
  flush(self);
}

caf::result<bool> drain_deliveries(self_pointer self) {
  release_queue(self, now_ms(self), stopping);
  auto promise = self->make_response_promise<bool>();
  self->state.delivery.drained = promise;
  flush(self);
  return promise;
}

}  // namespace schedulerd::actors::connector_detail
