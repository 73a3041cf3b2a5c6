#include "services/admin.hpp"

#include "actors/db_pool.hpp"
#include "actors/errc.hpp"
#include "domain/message_status.hpp"
#include "services/promises.hpp"
#include "storage/admin_store.hpp"
#include "storage/message_store.hpp"
#include "storage/transaction.hpp"
#include "storage/user_store.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>

// Admin actions change other users' messages without their session actors: each is one
// conditional update (failed -> pending, pending -> cancelled) or a column of the connection, so
// a race with the owner or the dispatcher still ends with one winner.

namespace schedulerd::services {

namespace {

struct admin_state {
  service_context context;
  admin_settings settings;
};

using admin_self = admin_actor::stateful_pointer<admin_state>;

// How long a connector may take to read its connection again after a pause or resume.
constexpr std::chrono::seconds reload_timeout{10};

// The caller as an admin, or `forbidden` (also for a user who no longer exists).
caf::expected<domain::admin_identity> authorize(storage::connection& db, std::int64_t user_id,
                                                const std::vector<std::string>& admins) {
  auto user = storage::find_user_by_id(db, user_id);
  if (!user || std::find(admins.begin(), admins.end(), user->email) == admins.end()) {
    return make_error(errc::forbidden, "Only the admins named in ADMIN_EMAILS may do this.");
  }
  return domain::admin_identity{user->id, user->email};
}

// Database work `work(db, admin)` for the caller, who must be an admin, in one transaction that
// rolls back when the work fails.
template <class Work>
auto as_admin(admin_self self, std::int64_t caller, Work work) {
  return [caller, admins = self->state.settings.admin_emails,
          work = std::move(work)](storage::connection& db) {
    return storage::in_transaction(db, [&] {
      auto admin = authorize(db, caller, admins);
      using result = decltype(work(db, *admin));
      if (!admin) {
        return result{admin.error()};
      }
      return work(db, *admin);
    });
  };
}

std::string by(const domain::admin_identity& admin, const char* what) {
  std::string detail{what};
  detail += " by admin ";
  detail += admin.email;
  return detail;
}

std::string target(const std::string& kind, std::int64_t id) {
  auto named = kind;
  named += ':';
  named += std::to_string(id);
  return named;
}

void audit(storage::connection& db, const domain::admin_identity& admin, std::int64_t now,
           std::string action, std::string on, std::int64_t affected, std::string detail) {
  storage::insert_audit(db, {0, now, admin.user_id, admin.email, std::move(action), std::move(on),
                             affected, std::move(detail)});
}

// Retrying one message asks that it failed; retrying a connection's or a batch's asks only that
// it exists (none failed retries nothing).
std::optional<caf::error> check_retry_target(storage::connection& db,
                                             const domain::retry_scope& scope) {
  if (scope.kind != "message") {
    if (!storage::target_exists(db, scope.kind, scope.id)) {
      return make_error(errc::not_found);
    }
    return std::nullopt;
  }
  auto status = storage::message_status(db, scope.id);
  if (!status) {
    return make_error(errc::not_found);
  }
  if (*status != domain::message_failed) {
    std::string message{"The message is "};
    message += *status;
    message += "; only failed messages can be retried.";
    return make_error(errc::conflict, std::move(message));
  }
  return std::nullopt;
}

caf::result<std::int64_t> retry(admin_self self, std::int64_t caller,
                                const domain::retry_scope& scope) {
  auto promise = self->make_response_promise<std::int64_t>();
  actors::query(self, self->state.context.db_pool,
                as_admin(self, caller,
                         [scope, now = self->state.context.now()](
                             storage::connection& db, const domain::admin_identity& admin)
                             -> caf::expected<std::vector<domain::due_entry>> {
                           if (auto refused = check_retry_target(db, scope)) {
                             return std::move(*refused);
                           }
                           const auto detail = by(admin, "retried");
                           auto due = storage::retry_failed(db, scope, now, detail);
                           audit(db, admin, now, scope.kind == "message" ? "retry" : "retry_all",
                                 target(scope.kind, scope.id),
                                 static_cast<std::int64_t>(due.size()), detail);
                           return due;
                         }))
      .then(
          [self, promise](std::vector<domain::due_entry>& due) mutable {
            const auto retried = static_cast<std::int64_t>(due.size());
            if (!due.empty()) {
              self->send(self->state.settings.scheduler, schedule_atom::value, std::move(due));
            }
            promise.deliver(retried);
          },
          fail(promise));
  return promise;
}

caf::result<domain::admin_connection> pause(admin_self self, std::int64_t caller,
                                            std::int64_t provider_id, bool paused) {
  auto promise = self->make_response_promise<domain::admin_connection>();
  actors::query(
      self, self->state.context.db_pool,
      as_admin(self, caller,
               [provider_id, paused, now = self->state.context.now()](
                   storage::connection& db,
                   const domain::admin_identity& admin) -> caf::expected<domain::admin_connection> {
                 auto changed = storage::set_dispatch_paused(
                     db, provider_id, paused ? std::optional(now) : std::nullopt);
                 if (!changed) {
                   return make_error(errc::not_found);
                 }
                 audit(db, admin, now, paused ? "pause" : "resume", target("provider", provider_id),
                       1, by(admin, paused ? "dispatch paused" : "dispatch resumed"));
                 return std::move(*changed);
               }))
      .then(
          [self, promise, provider_id](domain::admin_connection& changed) mutable {
            // A running connector gives its queued claims back on a pause and sends on a resume.
            self->request(self->state.settings.connectors, reload_timeout, reload_atom::value,
                          provider_id)
                .then([](bool) {}, [](caf::error&) {});
            promise.deliver(std::move(changed));
          },
          fail(promise));
  return promise;
}

caf::result<domain::batch_record> cancel_batch(admin_self self, std::int64_t caller,
                                               std::int64_t batch_id) {
  return reply_from_pool(
      self, self->state.context.db_pool,
      as_admin(self, caller,
               [batch_id, now = self->state.context.now()](
                   storage::connection& db,
                   const domain::admin_identity& admin) -> caf::expected<domain::batch_record> {
                 auto owner = storage::batch_owner(db, batch_id);
                 if (!owner) {
                   return make_error(errc::not_found);
                 }
                 auto cancelled = storage::cancel_pending_batch(db, *owner, batch_id, now);
                 auto batch = storage::find_batch(db, *owner, batch_id);
                 if (!cancelled || !batch) {
                   return make_error(errc::not_found);
                 }
                 audit(db, admin, now, "cancel_batch", target("batch", batch_id),
                       static_cast<std::int64_t>(cancelled->size()),
                       by(admin, "pending rest cancelled"));
                 return std::move(*batch);
               }));
}

// Each source of a snapshot answers within two seconds or is left out (metrics_collector.hpp).
constexpr std::chrono::seconds snapshot_timeout{5};

caf::result<actors::engine_snapshot> snapshot(admin_self self, std::int64_t caller) {
  auto promise = self->make_response_promise<actors::engine_snapshot>();
  actors::query(self, self->state.context.db_pool,
                as_admin(self, caller,
                         [](storage::connection&, const domain::admin_identity&) {
                           return caf::expected<bool>{true};
                         }))
      .then(
          [self, promise](bool) mutable {
            self->request(self->state.settings.introspection, snapshot_timeout, get_atom::value,
                          report_atom::value)
                .then(
                    [promise](actors::engine_snapshot& taken) mutable {
                      promise.deliver(std::move(taken));
                    },
                    fail(promise));
          },
          fail(promise));
  return promise;
}

admin_actor::behavior_type admin(admin_self self, service_context context,
                                 admin_settings settings) {
  self->state.context = std::move(context);
  self->state.settings = std::move(settings);
  return actors::introspected<admin_actor::behavior_type>(
      self,
      [self](list_atom, std::int64_t caller, const domain::failed_filter& filter) {
        return reply_from_pool(
            self, self->state.context.db_pool,
            as_admin(self, caller,
                     [filter](storage::connection& db, const domain::admin_identity&) {
                       return caf::expected<domain::page<domain::message_record>>{
                           storage::list_failed_messages(db, filter)};
                     }));
      },
      [self](retry_atom, std::int64_t caller, const domain::retry_scope& scope) {
        return retry(self, caller, scope);
      },
      [self](pause_atom, std::int64_t caller, std::int64_t provider_id, bool paused) {
        return pause(self, caller, provider_id, paused);
      },
      [self](connections_atom, std::int64_t caller, const domain::list_query& query) {
        return reply_from_pool(
            self, self->state.context.db_pool,
            as_admin(self, caller, [query](storage::connection& db, const domain::admin_identity&) {
              return caf::expected<domain::page<domain::admin_connection>>{
                  storage::list_connections(db, query.page, query.per_page)};
            }));
      },
      [self](batch_atom, cancel_atom, std::int64_t caller, std::int64_t batch_id) {
        return cancel_batch(self, caller, batch_id);
      },
      [self](audit_atom, std::int64_t caller, const domain::list_query& query) {
        return reply_from_pool(
            self, self->state.context.db_pool,
            as_admin(self, caller, [query](storage::connection& db, const domain::admin_identity&) {
              return caf::expected<domain::page<domain::audit_entry>>{
                  storage::list_audit(db, query.page, query.per_page)};
            }));
      },
      [self](get_atom, report_atom, std::int64_t caller) { return snapshot(self, caller); });
}

}  // namespace

admin_actor spawn_admin(caf::actor_system& system, service_context context,
                        admin_settings settings) {
  return system.spawn(admin, std::move(context), std::move(settings));
}

}  // namespace schedulerd::services
