#include "actors/connector.hpp"

#include "actors/connector_state.hpp"
#include "actors/directory.hpp"
#include "providers/credential_codec.hpp"
#include "storage/contact_store.hpp"
#include "storage/provider_store.hpp"
#include "storage/transaction.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <optional>
#include <utility>

namespace schedulerd::actors::connector_detail {

// Builds the connector from the record; on failure, says why the connection is unusable.
void build_connector(self_pointer self) {
  auto& state = self->state;
  state.connector.reset();
  state.delivery.idle_senders.clear();
  ++state.delivery.senders_version;
  state.type = state.settings.types->find(state.record.type);
  if (state.type == nullptr) {
    state.unusable = "the provider type '" + state.record.type + "' is not available";
    return;
  }
  auto credentials = providers::open_credentials(*state.settings.cipher, state.provider_id,
                                                 state.record.credentials_ciphertext);
  if (!credentials) {
    state.unusable =
        "the stored credentials cannot be decrypted (APP_KEY changed without APP_PREVIOUS_KEYS?); "
        "enter them again";
    return;
  }
  state.unusable.clear();
  state.connector =
      state.type->make_connector(std::move(*credentials), state.record.settings,
                                 state.settings.types->environment(state.record.type));
}

// Reads the connection; a database failure stops the actor (the registry starts a fresh one on
// the next request), a deleted connection leaves it unusable.
template <class Then>
void load(self_pointer self, Then then) {
  query(self, self->state.settings.db_pool,
        [id = self->state.provider_id](storage::connection& db) {
          return caf::expected<std::optional<domain::provider_record>>{
              storage::find_provider_by_id(db, id)};
        })
      .await(
          [self, then](std::optional<domain::provider_record>& record) mutable {
            if (!record) {
              self->state.unusable = "the connection no longer exists";
              self->state.connector.reset();
            } else {
              self->state.record = std::move(*record);
              build_connector(self);
            }
            then();
          },
          [self](caf::error& err) { self->quit(std::move(err)); });
}

// Refreshed tokens replace the old ones at once, in memory and in storage: Huggy rotates refresh
// tokens, so a connector rebuilt from the old ciphertext would hold a dead one. Nothing else
// runs before the write is done (`await`), so a reload cannot read the old value.
void store_refreshed(self_pointer self, const domain::field_values& credentials) {
  auto& state = self->state;
  state.record.credentials_ciphertext =
      providers::seal_credentials(*state.settings.cipher, state.provider_id, credentials);
  state.record.credentials_hint = providers::mask_credentials(state.type->info, credentials);
  // Senders hold the old access token: new ones get the new token.
  state.delivery.idle_senders.clear();
  ++state.delivery.senders_version;
  store(
      self, "refreshed credentials",
      [id = state.provider_id, sealed = state.record.credentials_ciphertext,
       hint = state.record.credentials_hint, now = now_ms(self)](storage::connection& db) {
        storage::store_provider_credentials(db, id, sealed, hint, now);
      },
      true);
}

// Stores a verdict on the connection (a disabled one stays `inactive`) and keeps the record in
// step; `then(caf::error&)` runs once it is stored (the error empty) or could not be.
template <class Then>
void record_verdict(self_pointer self, const std::string& status, const std::string& message,
                    std::int64_t checked_at, Then then) {
  auto& record = self->state.record;
  record.status = record.enabled ? status : std::string{domain::provider_inactive};
  record.last_error = message;
  query(self, self->state.settings.db_pool,
        [id = self->state.provider_id, status, message, checked_at](storage::connection& db) {
          storage::record_provider_check(db, id, status, message, checked_at);
          return caf::expected<bool>{true};
        })
      .then(
          [then](bool) mutable {
            caf::error none;
            then(none);
          },
          then);
}

// Records what a call said about the connection: rejected credentials put it in `error`, and a
// success after an error puts it back.
void record_health(self_pointer self, const providers::call_error* error) {
  const bool rejected =
      error != nullptr && error->kind == providers::failure_kind::rejected_credentials;
  const bool recovered = error == nullptr && self->state.record.status == domain::provider_error;
  if (!rejected && !recovered) {
    return;
  }
  record_verdict(self, rejected ? domain::provider_error : domain::provider_active,
                 rejected ? error->message : std::string{}, now_ms(self), [self](caf::error& err) {
                   if (err) {
                     log_store_failure(self, "connection status")(err);
                   }
                 });
}

}  // namespace schedulerd::actors::connector_detail

namespace schedulerd::actors {

namespace {

using namespace connector_detail;

caf::error usable_error(const std::string& why) {
  return make_error(errc::conflict, "The connection cannot be used: " + why + ".");
}

caf::error platform_error(const providers::call_error& error) {
  if (error.kind == providers::failure_kind::rejected_credentials) {
    return make_error(errc::upstream_failed,
                      "The provider rejected the credentials: " + error.message);
  }
  return make_error(errc::upstream_failed, "The provider failed: " + error.message);
}

caf::result<domain::connection_test> test_connection(self_pointer self) {
  auto promise = self->make_response_promise<domain::connection_test>();
  auto answer = [self, promise](const std::string& status, std::int64_t latency_ms,
                                const std::string& error) mutable {
    const auto checked_at = now_ms(self);
    // Answered once stored, so whoever reads the connection next sees the verdict.
    record_verdict(self, status, error, checked_at,
                   [self, promise, latency_ms, error, checked_at](caf::error& err) mutable {
                     if (err) {
                       promise.deliver(std::move(err));
                       return;
                     }
                     promise.deliver(domain::connection_test{self->state.record.status, checked_at,
                                                             latency_ms, error});
                   });
  };
  if (!self->state.connector) {
    answer(domain::provider_error, 0, self->state.unusable);
    return promise;
  }
  static_cast<void>(self->state.bucket->take(pacing_ms()));
  const auto started = std::chrono::steady_clock::now();
  call_platform<providers::connection_check>(
      self, [](providers::connector& c) { return c.test_connection(); },
      [answer, started](providers::call_result<providers::connection_check>& result) mutable {
        if (const auto* check = std::get_if<providers::connection_check>(&result)) {
          answer(domain::provider_active, check->latency.count(), "");
          return;
        }
        const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        answer(domain::provider_error, elapsed.count(),
               std::get<providers::call_error>(result).message);
      },
      false);
  return promise;
}

void finish_import(self_pointer self, bool succeeded, const std::string& error) {
  auto& import = self->state.import;
  import.running = false;
  self->state.settings.logger->info(
      succeeded ? "contact_sync_succeeded" : "contact_sync_failed",
      {{"provider_id", self->state.provider_id}, {"imported", import.imported}, {"error", error}});
  store(
      self, "import end",
      [id = self->state.provider_id, started_at = import.started_at, succeeded, error,
       now = now_ms(self)](storage::connection& db) {
        static_cast<void>(storage::finish_contact_sync(db, id, started_at, succeeded, error, now));
      });
}

// Another import began in storage (this one was declared dead, or the user started a new one on
// another node): this one stops without writing anything more.
void stop_replaced_import(self_pointer self) {
  auto& import = self->state.import;
  import.running = false;
  self->state.settings.logger->warn("contact_sync_replaced",
                                    {{"provider_id", self->state.provider_id},
                                     {"imported", import.imported},
                                     {"started_at", import.started_at}});
}

void import_page(self_pointer self, std::int64_t started_at, std::int32_t page);

// Whether the import begun at `started_at` is the one this connector runs now.
bool is_current_import(self_pointer self, std::int64_t started_at) {
  return self->state.import.running && self->state.import.started_at == started_at;
}

// Stores one page and its progress in one transaction, then asks for the next page.
void store_page(self_pointer self, std::int32_t page, providers::contact_page& contacts) {
  auto& import = self->state.import;
  import.failed_tries = 0;
  import.imported += static_cast<std::int64_t>(contacts.contacts.size());
  query(self, self->state.settings.db_pool,
        [id = self->state.provider_id, started_at = import.started_at,
         rows = std::move(contacts.contacts), imported = import.imported,
         now = now_ms(self)](storage::connection& db) {
          return storage::in_transaction(db, [&] {
            if (!storage::record_sync_progress(db, id, started_at, imported, now)) {
              return caf::expected<bool>{false};
            }
            storage::upsert_contacts(db, id, rows, now);
            return caf::expected<bool>{true};
          });
        })
      .await(
          [self, page, started_at = import.started_at, more = contacts.more](bool current) {
            if (!is_current_import(self, started_at)) {
              return;  // this node started another import meanwhile
            }
            if (!current) {
              stop_replaced_import(self);
              return;
            }
            if (!more) {
              finish_import(self, true, "");
              return;
            }
            self->state.import.next_page = page + 1;
            self->send(self, sync_atom::value, started_at, page + 1);
          },
          [self, started_at = import.started_at](caf::error& err) {
            if (is_current_import(self, started_at)) {
              finish_import(self, false,
                            "the contacts could not be stored: " + describe(err).message);
            }
          });
}

// A page failed: try it again later when that may help, else end the import keeping what it
// stored.
void retry_or_fail(self_pointer self, std::int32_t page, const providers::call_error& error) {
  auto& import = self->state.import;
  const auto& settings = self->state.settings;
  if (error.kind != providers::failure_kind::retryable ||
      ++import.failed_tries >= settings.sync_page_attempts) {
    finish_import(self, false, "page " + std::to_string(page) + ": " + error.message);
    return;
  }
  auto delay = settings.sync_retry_delay * (1 << (import.failed_tries - 1));
  if (error.retry_after) {
    delay = std::max<std::chrono::milliseconds>(delay, *error.retry_after);
    self->state.bucket->pause_until(pacing_ms() + delay.count());
  }
  self->delayed_send(self, delay, sync_atom::value, import.started_at, page);
}

void import_page(self_pointer self, std::int64_t started_at, std::int32_t page) {
  auto& state = self->state;
  if (!is_current_import(self, started_at) || page != state.import.next_page) {
    return;  // a leftover of an import that ended
  }
  if (!state.connector) {
    finish_import(self, false, state.unusable);
    return;
  }
  if (auto wait = state.bucket->take(pacing_ms()); wait > 0) {
    self->delayed_send(self, std::chrono::milliseconds{wait}, sync_atom::value, started_at, page);
    return;
  }
  call_platform<providers::contact_page>(
      self, [page](providers::connector& c) { return c.list_contacts(page); },
      [self, started_at, page](providers::call_result<providers::contact_page>& result) {
        if (!is_current_import(self, started_at)) {
          return;  // replaced while the page was on its way
        }
        if (auto* contacts = std::get_if<providers::contact_page>(&result)) {
          store_page(self, page, *contacts);
        } else {
          retry_or_fail(self, page, std::get<providers::call_error>(result));
        }
      });
}

bool start_import(self_pointer self, std::int64_t started_at) {
  auto& import = self->state.import;
  if (import.running && import.started_at == started_at) {
    return true;
  }
  // A running import with another start was replaced in storage (it went stale): the new one
  // takes over from the first page, and the old one's pages still on their way are ignored.
  import = import_progress{true, 0, 0, 0, started_at};
  self->state.settings.logger->info(
      "contact_sync_started",
      {{"provider_id", self->state.provider_id}, {"started_at", started_at}});
  self->send(self, sync_atom::value, started_at, std::int32_t{0});
  return true;
}

caf::result<std::vector<domain::contact_record>> search_platform(self_pointer self,
                                                                 const std::string& query_text) {
  if (!self->state.connector) {
    return usable_error(self->state.unusable);
  }
  static_cast<void>(self->state.bucket->take(pacing_ms()));
  auto promise = self->make_response_promise<std::vector<domain::contact_record>>();
  call_platform<std::vector<domain::contact_fields>>(
      self, [query_text](providers::connector& c) { return c.search_contacts(query_text); },
      [self, promise](providers::call_result<std::vector<domain::contact_fields>>& result) mutable {
        if (const auto* error = std::get_if<providers::call_error>(&result)) {
          promise.deliver(platform_error(*error));
          return;
        }
        query(self, self->state.settings.db_pool,
              [id = self->state.provider_id,
               found = std::move(std::get<std::vector<domain::contact_fields>>(result)),
               now = now_ms(self)](storage::connection& db) {
                return storage::in_transaction(db, [&] {
                  return caf::expected<std::vector<domain::contact_record>>{
                      storage::upsert_contacts(db, id, found, now)};
                });
              })
            .then(
                [promise](std::vector<domain::contact_record>& stored) mutable {
                  promise.deliver(std::move(stored));
                },
                [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
      });
  return promise;
}

// Stops the connector once it has had no work for its idle timeout; an import, or claims it still
// holds, keep it alive.
void check_idle(self_pointer self) {
  const auto idle_for = std::chrono::steady_clock::now() - self->state.last_work;
  const auto timeout = self->state.settings.idle_timeout;
  // Claims still held (outcomes a failing database has not taken yet, say) keep it running.
  if (!self->state.import.running && !delivering(self->state) && idle_for >= timeout) {
    self->quit();
    return;
  }
  // Kept running by its claims past its timeout, it looks again one timeout later.
  const auto left = idle_for >= timeout ? timeout : timeout - idle_for;
  self->delayed_send(self,
                     std::max(std::chrono::duration_cast<std::chrono::milliseconds>(left),
                              std::chrono::milliseconds{1}),
                     tick_atom::value);
}

connector_report report(const connector_state& state) {
  const auto& delivery = state.delivery;
  return connector_report{state.provider_id,
                          static_cast<std::int64_t>(delivery.queue.size()),
                          delivery.in_flight + delivery.finding,
                          static_cast<std::int64_t>(delivery.routes.size()),
                          static_cast<std::int64_t>(delivery.unfolded.size()),
                          delivery.sent,
                          delivery.failed,
                          state.settings.rate_per_second,
                          std::string{to_string(delivery.breaker.state(state.settings.now()))},
                          delivery.last_error,
                          delivery.last_error_at,
                          state.record.dispatch_paused_at.has_value(),
                          state.record.status};
}

// Marks the current request as work (see check_idle).
void touch(self_pointer self) {
  self->state.last_work = std::chrono::steady_clock::now();
}

connector_actor::behavior_type connector(self_pointer self, std::int64_t provider_id,
                                         connector_settings settings,
                                         std::shared_ptr<held_claims> held) {
  auto& state = self->state;
  state.held = std::move(held);
  state.provider_id = provider_id;
  state.bucket.emplace(settings.rate_per_second, std::max(1.0, settings.rate_per_second));
  state.delivery.breaker = domain::circuit_breaker{settings.breaker};
  state.settings = std::move(settings);
  load(self, [] {});
  check_idle(self);
  return introspected<connector_actor::behavior_type>(
      self,
      [self](test_atom) {
        touch(self);
        return test_connection(self);
      },
      [self](sync_atom, std::int64_t started_at) {
        touch(self);
        return start_import(self, started_at);
      },
      [self](sync_atom, std::int64_t started_at, std::int32_t page) {
        touch(self);
        import_page(self, started_at, page);
      },
      [self](contacts_atom, std::string& query_text) {
        touch(self);
        return search_platform(self, query_text);
      },
      [self](reload_atom) -> caf::result<bool> {
        touch(self);
        auto promise = self->make_response_promise<bool>();
        load(self, [promise]() mutable { promise.deliver(true); });
        return promise;
      },
      [self](deliver_atom, std::vector<domain::claimed_message>& claimed) {
        touch(self);
        deliver(self, claimed);
      },
      [self](pump_atom) {
        self->state.delivery.pump_at.reset();
        pump(self);
      },
      [self](drain_atom) { return drain_deliveries(self); },
      [self](tick_atom) { check_idle(self); },
      unmetered([self](get_atom, report_atom) { return report(self->state); }));
}

}  // namespace

connector_actor spawn_connector(caf::actor_system& system, std::int64_t provider_id,
                                connector_settings settings, std::shared_ptr<held_claims> held) {
  return system.spawn(connector, provider_id, std::move(settings), std::move(held));
}

}  // namespace schedulerd::actors
