#include "services/messages.hpp"

#include "actors/errc.hpp"
#include "actors/session_registry.hpp"
#include "domain/message_status.hpp"
#include "services/messages_state.hpp"
#include "services/promises.hpp"
#include "storage/message_store.hpp"
#include "storage/transaction.hpp"

#include <caf/all.hpp>

#include <optional>
#include <string>
#include <utility>

namespace schedulerd::services {

// The use cases' own namespace (services/messages_state.hpp) keeps these names apart from the
// other services' in a unity batch.
namespace message_use_cases {

namespace {

caf::error not_pending(const std::string& status, const char* change) {
  std::string message{"The message is "};
  message += status;
  message += "; only pending messages can be ";
  message += change;
  message += '.';
  return make_error(errc::conflict, std::move(message));
}

// Why a conditional change found nothing to change: the message is gone (or another user's),
// or it left `pending` first.
caf::error lost_race(storage::connection& db, std::int64_t user_id, std::int64_t message_id,
                     const char* change) {
  auto current = storage::find_message(db, user_id, message_id);
  if (!current) {
    return make_error(errc::not_found);
  }
  return not_pending(current->status, change);
}

// What a read found, or `not_found` (absent, or another user's).
template <class T>
caf::expected<T> or_not_found(std::optional<T> found) {
  if (!found) {
    return make_error(errc::not_found);
  }
  return std::move(*found);
}

caf::result<domain::message_record> get(self_pointer self, std::int64_t user_id,
                                        std::int64_t message_id) {
  return reply_from_pool(self, self->state.context.db_pool,
                         [user_id, message_id](storage::connection& db) {
                           return or_not_found(storage::find_message(db, user_id, message_id));
                         });
}

caf::result<domain::message_record> update(self_pointer self, std::int64_t user_id,
                                           std::int64_t message_id, domain::message_patch& patch) {
  const auto now = self->state.context.now();
  if (patch.content) {
    patch.content = domain::normalize_content(*patch.content);
  }
  if (auto problems = domain::validate_patch(patch, now, self->state.settings.limits);
      !problems.empty()) {
    return make_validation_error(std::move(problems));
  }
  auto promise = self->make_response_promise<domain::message_record>();
  actors::in_session(
      self, self->state.context.sessions, user_id,
      [user_id, message_id, patch, now](storage::connection& db) {
        return storage::in_transaction(db, [&]() -> caf::expected<domain::message_record> {
          auto current = storage::find_message(db, user_id, message_id);
          if (!current) {
            return make_error(errc::not_found);
          }
          if (current->status != domain::message_pending) {
            return not_pending(current->status, "edited");
          }
          if (patch.contact_id && *patch.contact_id != current->contact.id) {
            auto problems = message_use_cases::check_recipients(
                db, user_id, current->provider_id, {*patch.contact_id}, "contact_id", false);
            if (!problems.empty()) {
              return make_validation_error(std::move(problems));
            }
          }
          auto updated = storage::update_pending_message(db, user_id, message_id, patch, now);
          if (!updated) {
            return lost_race(db, user_id, message_id, "edited");
          }
          return std::move(*updated);
        });
      },
      [self, promise](domain::message_record& updated) mutable {
        message_use_cases::notify_due(self, {{updated.id, updated.next_attempt_at}});
        promise.deliver(std::move(updated));
      },
      fail(promise));
  return promise;
}

caf::result<domain::message_record> cancel(self_pointer self, std::int64_t user_id,
                                           std::int64_t message_id) {
  auto promise = self->make_response_promise<domain::message_record>();
  actors::in_session(
      self, self->state.context.sessions, user_id,
      [user_id, message_id, now = self->state.context.now()](storage::connection& db) {
        return storage::in_transaction(db, [&]() -> caf::expected<domain::message_record> {
          auto cancelled = storage::cancel_pending_message(db, user_id, message_id, now);
          if (cancelled) {
            return std::move(*cancelled);
          }
          // Cancelling twice is no conflict: the message is as the caller wants it.
          auto current = storage::find_message(db, user_id, message_id);
          if (current && current->status == domain::message_cancelled) {
            return std::move(*current);
          }
          return lost_race(db, user_id, message_id, "cancelled");
        });
      },
      [self, promise](domain::message_record& cancelled) mutable {
        self->send(self->state.settings.scheduler, unschedule_atom::value,
                   std::vector<std::int64_t>{cancelled.id});
        promise.deliver(std::move(cancelled));
      },
      fail(promise));
  return promise;
}

caf::result<std::vector<domain::message_event>> logs(self_pointer self, std::int64_t user_id,
                                                     std::int64_t message_id) {
  return reply_from_pool(self, self->state.context.db_pool,
                         [user_id, message_id](storage::connection& db) {
                           return or_not_found(storage::message_events(db, user_id, message_id));
                         });
}

caf::result<domain::batch_record> get_batch(self_pointer self, std::int64_t user_id,
                                            std::int64_t batch_id) {
  return reply_from_pool(self, self->state.context.db_pool,
                         [user_id, batch_id](storage::connection& db) {
                           return or_not_found(storage::find_batch(db, user_id, batch_id));
                         });
}

// Cancels what is still pending; what is sent or being sent is left as it is.
caf::result<domain::batch_record> cancel_batch(self_pointer self, std::int64_t user_id,
                                               std::int64_t batch_id) {
  auto promise = self->make_response_promise<domain::batch_record>();
  actors::in_session(
      self, self->state.context.sessions, user_id,
      [user_id, batch_id, now = self->state.context.now()](storage::connection& db) {
        return storage::in_transaction(db, [&]() -> caf::expected<domain::batch_record> {
          auto cancelled = storage::cancel_pending_batch(db, user_id, batch_id, now);
          auto batch = storage::find_batch(db, user_id, batch_id);
          if (!cancelled || !batch) {
            return make_error(errc::not_found);
          }
          return std::move(*batch);
        });
      },
      [promise](domain::batch_record& batch) mutable { promise.deliver(std::move(batch)); },
      fail(promise));
  return promise;
}

messages_actor::behavior_type messages(self_pointer self, service_context context,
                                       messages_settings settings) {
  self->state.context = std::move(context);
  self->state.settings = std::move(settings);
  return actors::introspected<messages_actor::behavior_type>(
      self,
      [self](list_atom, std::int64_t user_id, domain::message_filter& filter) {
        return reply_from_pool(self, self->state.context.db_pool,
                               [user_id, filter](storage::connection& db) {
                                 return caf::expected<domain::page<domain::message_record>>{
                                     storage::list_messages(db, user_id, filter)};
                               });
      },
      [self](create_atom, std::int64_t user_id, domain::message_draft& draft, std::string& key) {
        return message_use_cases::create(self, user_id, draft, key);
      },
      [self](bulk_atom, std::int64_t user_id, domain::bulk_draft& draft, std::string& key) {
        return message_use_cases::bulk(self, user_id, draft, key);
      },
      [self](get_atom, std::int64_t user_id, std::int64_t message_id) {
        return get(self, user_id, message_id);
      },
      [self](update_atom, std::int64_t user_id, std::int64_t message_id,
             domain::message_patch& patch) { return update(self, user_id, message_id, patch); },
      [self](cancel_atom, std::int64_t user_id, std::int64_t message_id) {
        return cancel(self, user_id, message_id);
      },
      [self](logs_atom, std::int64_t user_id, std::int64_t message_id) {
        return logs(self, user_id, message_id);
      },
      [self](batch_atom, std::int64_t user_id, std::int64_t batch_id) {
        return get_batch(self, user_id, batch_id);
      },
      [self](batch_atom, cancel_atom, std::int64_t user_id, std::int64_t batch_id) {
        return cancel_batch(self, user_id, batch_id);
      });
}

}  // namespace

}  // namespace message_use_cases

messages_actor spawn_messages(caf::actor_system& system, service_context context,
                              messages_settings settings) {
  return system.spawn(message_use_cases::messages, std::move(context), std::move(settings));
}

}  // namespace schedulerd::services
