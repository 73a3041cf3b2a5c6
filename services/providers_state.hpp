#pragma once

// The providers service's state and the use cases its files share (services/providers*.cpp);
// nothing outside the service includes this.

#include "actors/db_pool.hpp"
#include "services/promises.hpp"
#include "services/providers.hpp"
#include "storage/connection.hpp"

#include <caf/typed_event_based_actor.hpp>

namespace schedulerd::services::provider_use_cases {

/// What the providers service holds.
struct providers_state {
  /// The shared context.
  service_context context;
  /// The service's own settings.
  providers_settings settings;
};

/// The service's self pointer.
using self_pointer = providers_actor::stateful_pointer<providers_state>;

/// The user's connection `provider_id`; `not_found` when absent or another user's.
caf::expected<domain::provider_record> find_owned(storage::connection& db, std::int64_t user_id,
                                                  std::int64_t provider_id);

/// Reads the user's connection on the pool and hands it to `then(domain::provider_record&)`;
/// answers `promise` with the error (`not_found`) otherwise.
template <class T, class Then>
void with_owned(self_pointer self, caf::typed_response_promise<T> promise, std::int64_t user_id,
                std::int64_t provider_id, Then then) {
  actors::query(self, self->state.context.db_pool, [user_id, provider_id](storage::connection& db) {
    return find_owned(db, user_id, provider_id);
  }).then(then, fail(promise));
}

/// Tests a connection and answers its record as it is afterwards.
void test_and_answer(self_pointer self,
                     caf::typed_response_promise<domain::provider_record> promise,
                     std::int64_t user_id, std::int64_t provider_id);

/// Tests a connection (`test-connection`).
caf::result<domain::connection_test> test(self_pointer self, std::int64_t user_id,
                                          std::int64_t provider_id);

/// Starts a contact import.
caf::result<domain::sync_state> sync(self_pointer self, std::int64_t user_id,
                                     std::int64_t provider_id);

/// Lists or searches contacts.
caf::result<domain::page<domain::contact_record>> contacts(self_pointer self, std::int64_t user_id,
                                                           std::int64_t provider_id,
                                                           const domain::contact_query& query);

/// Starts connecting through the platform's OAuth: answers the authorize URL.
caf::result<std::string> authorize(self_pointer self, std::int64_t user_id,
                                   std::int64_t provider_id);

/// Finishes connecting through the platform's OAuth callback.
caf::result<domain::provider_record> connect(self_pointer self, std::int64_t provider_id,
                                             const domain::oauth_callback& callback);

}  // namespace schedulerd::services::provider_use_cases
