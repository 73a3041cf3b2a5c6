#include "services/providers.hpp"

#include "actors/errc.hpp"
#include "domain/accounts.hpp"
#include "providers/credential_codec.hpp"
#include "services/promises.hpp"
#include "services/providers_state.hpp"
#include "storage/provider_store.hpp"
#include "storage/transaction.hpp"

#include <caf/all.hpp>

namespace schedulerd::services {

namespace {

// A connection as an update left it, and whether it must be tested again.
struct patched_provider {
  domain::provider_record record;
  bool retest = false;
};

}  // namespace

}  // namespace schedulerd::services

// Travels from the database pool back to the service only.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::services::patched_provider)

namespace schedulerd::services {

// The use cases' own namespace (services/providers_state.hpp) keeps these names apart from the
// other services' in a unity batch.
namespace provider_use_cases {

namespace {

// What a patch needs to validate and seal credentials off the actor.
struct sealing_tools {
  std::shared_ptr<const providers::registry> types;
  std::shared_ptr<const domain::credential_cipher> cipher;
};

void check_name(const std::string& name, field_errors& problems) {
  if (auto problem = domain::name_problem(domain::normalize_name(name))) {
    problems["name"].push_back(*problem);
  }
}

// Merges the type's own findings on credentials and settings into `problems`.
void check_fields(const providers::provider_type& type, const domain::field_values& credentials,
                  const domain::field_values& settings, field_errors& problems) {
  for (auto& [field, messages] : type.validate(credentials, settings)) {
    auto& into = problems[field];
    into.insert(into.end(), messages.begin(), messages.end());
  }
}

caf::result<domain::page<domain::provider_record>> list(self_pointer self, std::int64_t user_id,
                                                        const domain::list_query& query) {
  return reply_from_pool(self, self->state.context.db_pool,
                         [user_id, sort = query.sort, limit = query.per_page,
                          offset = query.offset()](storage::connection& db) {
                           return caf::expected<domain::page<domain::provider_record>>{
                               storage::list_providers(db, user_id, sort, limit, offset)};
                         });
}

caf::result<domain::provider_record> get(self_pointer self, std::int64_t user_id,
                                         std::int64_t provider_id) {
  return reply_from_pool(self, self->state.context.db_pool,
                         [user_id, provider_id](storage::connection& db) {
                           return provider_use_cases::find_owned(db, user_id, provider_id);
                         });
}

caf::result<domain::provider_record> create(self_pointer self, std::int64_t user_id,
                                            domain::provider_draft& draft) {
  const auto& settings = self->state.settings;
  const auto* type = settings.types->find(draft.type);
  field_errors problems;
  if (type == nullptr) {
    problems["type"].push_back("must be one of the provider types the server offers");
  } else {
    check_fields(*type, draft.credentials, draft.settings, problems);
  }
  check_name(draft.name, problems);
  if (!problems.empty()) {
    return make_validation_error(std::move(problems));
  }
  domain::provider_record record;
  record.user_id = user_id;
  record.type = draft.type;
  record.name = domain::normalize_name(draft.name);
  record.settings = std::move(draft.settings);
  auto promise = self->make_response_promise<domain::provider_record>();
  const auto now = self->state.context.now();
  actors::in_session(
      self, self->state.context.sessions, user_id,
      [record = std::move(record), credentials = std::move(draft.credentials),
       cipher = settings.cipher, info = type->info, now](storage::connection& db) {
        return storage::in_transaction(db, [&]() -> caf::expected<domain::provider_record> {
          auto row = record;
          row.created_at = now;
          row.updated_at = now;
          auto stored = storage::insert_provider(db, row);
          // The ciphertext is bound to the row's id, which exists only now.
          stored.credentials_ciphertext =
              providers::seal_credentials(*cipher, stored.id, credentials);
          stored.credentials_hint = providers::mask_credentials(info, credentials);
          storage::store_provider_credentials(db, stored.id, stored.credentials_ciphertext,
                                              stored.credentials_hint, now);
          return stored;
        });
      },
      [self, promise, user_id](domain::provider_record& stored) {
        provider_use_cases::test_and_answer(self, promise, user_id, stored.id);
      },
      fail(promise));
  return promise;
}

// Applies `patch` to `record` (read in the same transaction); answers whether the connection
// must be tested again, or the validation error.
caf::expected<bool> apply_patch(domain::provider_record& record, domain::provider_patch patch,
                                const sealing_tools& view) {
  field_errors problems;
  if (patch.name) {
    check_name(*patch.name, problems);
  }
  const bool retest = patch.credentials.has_value() || patch.settings.has_value();
  domain::field_values credentials;
  if (retest) {
    if (patch.credentials) {
      credentials = *patch.credentials;
    } else if (auto stored = providers::open_credentials(*view.cipher, record.id,
                                                         record.credentials_ciphertext)) {
      credentials = std::move(*stored);
    } else {
      problems["credentials"].push_back(
          "must be given again: the stored ones cannot be decrypted with the current keys");
    }
    if (const auto* type = view.types->find(record.type)) {
      check_fields(*type, credentials, patch.settings.value_or(record.settings), problems);
    }
  }
  if (!problems.empty()) {
    return make_validation_error(std::move(problems));
  }
  if (patch.name) {
    record.name = domain::normalize_name(*patch.name);
  }
  if (patch.settings) {
    record.settings = std::move(*patch.settings);
  }
  if (patch.credentials) {
    record.credentials_ciphertext =
        providers::seal_credentials(*view.cipher, record.id, credentials);
    if (const auto* type = view.types->find(record.type)) {
      record.credentials_hint = providers::mask_credentials(type->info, credentials);
    }
    record.last_error.clear();
  }
  if (patch.enabled) {
    record.enabled = *patch.enabled;
  }
  // A test follows new credentials or settings; until then a working status is assumed.
  const bool failing = !retest && !record.last_error.empty();
  record.status = !record.enabled ? domain::provider_inactive
                  : failing       ? domain::provider_error
                                  : domain::provider_active;
  return retest;
}

caf::result<domain::provider_record> update(self_pointer self, std::int64_t user_id,
                                            std::int64_t provider_id,
                                            domain::provider_patch& patch) {
  auto promise = self->make_response_promise<domain::provider_record>();
  const sealing_tools view{self->state.settings.types, self->state.settings.cipher};
  actors::in_session(
      self, self->state.context.sessions, user_id,
      [user_id, provider_id, patch = std::move(patch), view,
       now = self->state.context.now()](storage::connection& db) {
        return storage::in_transaction(db, [&]() -> caf::expected<patched_provider> {
          auto record = provider_use_cases::find_owned(db, user_id, provider_id);
          if (!record) {
            return std::move(record.error());
          }
          auto retest = apply_patch(*record, domain::provider_patch{patch}, view);
          if (!retest) {
            return std::move(retest.error());
          }
          record->updated_at = now;
          storage::update_provider(db, *record, now);
          return patched_provider{std::move(*record), *retest};
        });
      },
      [self, promise, user_id, provider_id](patched_provider& result) mutable {
        // The running connector (if any) must see the new credentials before anything else.
        self->request(self->state.settings.connectors, actors::db_timeout, reload_atom::value,
                      provider_id)
            .then(
                [self, promise, user_id, provider_id, result](bool) mutable {
                  if (result.retest) {
                    provider_use_cases::test_and_answer(self, promise, user_id, provider_id);
                  } else {
                    promise.deliver(std::move(result.record));
                  }
                },
                fail(promise));
      },
      fail(promise));
  return promise;
}

caf::result<bool> remove(self_pointer self, std::int64_t user_id, std::int64_t provider_id,
                         bool force) {
  auto promise = self->make_response_promise<bool>();
  actors::in_session(
      self, self->state.context.sessions, user_id,
      [user_id, provider_id, force, now = self->state.context.now()](storage::connection& db) {
        return storage::in_transaction(db, [&]() -> caf::expected<bool> {
          if (!storage::find_provider(db, user_id, provider_id)) {
            return make_error(errc::not_found);
          }
          if (auto open = storage::count_open_messages(db, provider_id); open > 0 && !force) {
            return make_error(errc::conflict,
                              "The connection has " + std::to_string(open) +
                                  " messages waiting to be sent; delete it with force=true to "
                                  "cancel them too.");
          }
          storage::cancel_pending_messages(db, provider_id, now);
          return storage::delete_provider(db, user_id, provider_id);
        });
      },
      [self, promise, provider_id](bool deleted) mutable {
        caf::anon_send(self->state.settings.connectors, forget_atom::value, provider_id);
        promise.deliver(deleted);
      },
      fail(promise));
  return promise;
}

providers_actor::behavior_type providers_service(self_pointer self, service_context context,
                                                 providers_settings settings) {
  self->state.context = std::move(context);
  self->state.settings = std::move(settings);
  return actors::introspected<providers_actor::behavior_type>(
      self, [self](types_atom) { return self->state.settings.types->list(); },
      [self](list_atom, std::int64_t user_id, const domain::list_query& query) {
        return list(self, user_id, query);
      },
      [self](create_atom, std::int64_t user_id, domain::provider_draft& draft) {
        return create(self, user_id, draft);
      },
      [self](get_atom, std::int64_t user_id, std::int64_t id) { return get(self, user_id, id); },
      [self](update_atom, std::int64_t user_id, std::int64_t id, domain::provider_patch& patch) {
        return update(self, user_id, id, patch);
      },
      [self](delete_atom, std::int64_t user_id, std::int64_t id, bool force) {
        return remove(self, user_id, id, force);
      },
      [self](test_atom, std::int64_t user_id, std::int64_t id) { return test(self, user_id, id); },
      [self](sync_atom, std::int64_t user_id, std::int64_t id) { return sync(self, user_id, id); },
      [self](contacts_atom, std::int64_t user_id, std::int64_t id,
             const domain::contact_query& query) { return contacts(self, user_id, id, query); },
      [self](authorize_atom, std::int64_t user_id, std::int64_t id) {
        return authorize(self, user_id, id);
      },
      [self](connect_atom, std::int64_t id, const domain::oauth_callback& callback) {
        return connect(self, id, callback);
      });
}

}  // namespace

}  // namespace provider_use_cases

providers_actor spawn_providers(caf::actor_system& system, service_context context,
                                providers_settings settings) {
  return system.spawn(provider_use_cases::providers_service, std::move(context),
                      std::move(settings));
}

}  // namespace schedulerd::services
