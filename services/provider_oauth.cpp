// Connecting a provider through its platform's OAuth (authorization code): `authorize` stores a
// single-use state naming the user and the connection (the state's `provider` column holds the
// connection's id) and answers the platform's URL; `connect` consumes the state, redeems the code
// on the outbound pool, seals the tokens it got, and tests the connection.

#include "actors/blocking_pool.hpp"
#include "actors/errc.hpp"
#include "domain/request_timeouts.hpp"
#include "domain/secrets.hpp"
#include "providers/credential_codec.hpp"
#include "services/promises.hpp"
#include "services/providers_state.hpp"
#include "storage/oauth_store.hpp"
#include "storage/provider_store.hpp"
#include "storage/transaction.hpp"

#include <caf/all.hpp>

namespace schedulerd::services::provider_use_cases {

namespace {

constexpr std::int64_t state_lifetime_ms = std::int64_t{10} * 60 * 1000;
constexpr std::string_view bad_state = "The connect link is invalid, expired or already used.";

std::string callback_url(self_pointer self, std::int64_t provider_id) {
  return self->state.settings.public_base_url + "/api/providers/" + std::to_string(provider_id) +
         "/oauth/callback";
}

// The type of a connection, when it supports OAuth.
const providers::provider_type* oauth_type(self_pointer self, const std::string& type_name) {
  const auto* type = self->state.settings.types->find(type_name);
  return type != nullptr && type->make_oauth_flow != nullptr ? type : nullptr;
}

// The OAuth app credentials of a connection, or why they cannot start a flow.
caf::expected<domain::field_values> app_credentials(self_pointer self,
                                                    const domain::provider_record& record) {
  if (oauth_type(self, record.type) == nullptr) {
    return make_error(errc::conflict, "This provider type cannot be connected through OAuth.");
  }
  auto credentials = providers::open_credentials(*self->state.settings.cipher, record.id,
                                                 record.credentials_ciphertext);
  if (!credentials || credentials->count("client_id") == 0 ||
      credentials->count("client_secret") == 0) {
    return make_error(errc::conflict,
                      "Give the connection an OAuth app's client_id and client_secret first.");
  }
  return std::move(*credentials);
}

// Seals the credentials the code exchange produced, then tests the connection with them.
void store_tokens(self_pointer self,
                  const caf::typed_response_promise<domain::provider_record>& promise,
                  const domain::provider_record& record, const domain::field_values& credentials) {
  const auto* type = oauth_type(self, record.type);
  auto sealed = providers::seal_credentials(*self->state.settings.cipher, record.id, credentials);
  auto hint = providers::mask_credentials(type->info, credentials);
  actors::in_session(
      self, self->state.context.sessions, record.user_id,
      [id = record.id, sealed = std::move(sealed), hint = std::move(hint),
       now = self->state.context.now()](storage::connection& db) -> caf::expected<bool> {
        if (!storage::store_provider_credentials(db, id, sealed, hint, now)) {
          return make_error(errc::not_found);
        }
        return true;
      },
      [self, promise, user_id = record.user_id, id = record.id](bool) mutable {
        self->request(self->state.settings.connectors, actors::db_timeout, reload_atom::value, id)
            .then([self, promise, user_id,
                   id](bool) mutable { test_and_answer(self, promise, user_id, id); },
                  fail(promise));
      },
      fail(promise));
}

}  // namespace

caf::result<std::string> authorize(self_pointer self, std::int64_t user_id,
                                   std::int64_t provider_id) {
  auto promise = self->make_response_promise<std::string>();
  with_owned(self, promise, user_id, provider_id,
             [self, promise, user_id](domain::provider_record& record) mutable {
               auto credentials = app_credentials(self, record);
               if (!credentials) {
                 promise.deliver(std::move(credentials.error()));
                 return;
               }
               const auto* type = oauth_type(self, record.type);
               auto flow =
                   type->make_oauth_flow(self->state.settings.types->environment(record.type));
               auto state = domain::random_urlsafe(32);
               auto url = flow->authorize_url(*credentials, callback_url(self, record.id), state);
               const auto now = self->state.context.now();
               actors::query(self, self->state.context.db_pool,
                             [hash = domain::sha256_hex(state), id = std::to_string(record.id),
                              user_id, now, url = std::move(url)](storage::connection& db) {
                               storage::insert_oauth_state(db, hash, "provider", id, user_id, "",
                                                           now, now + state_lifetime_ms);
                               return caf::expected<std::string>{url};
                             })
                   .then(fulfil(promise), fail(promise));
             });
  return promise;
}

caf::result<domain::provider_record> connect(self_pointer self, std::int64_t provider_id,
                                             const domain::oauth_callback& callback) {
  if (callback.error) {
    return make_error(errc::bad_request, "The provider refused the connection: " + *callback.error);
  }
  if (callback.code.empty() || callback.state.empty()) {
    return make_error(errc::bad_request, "The callback needs both code and state.");
  }
  auto promise = self->make_response_promise<domain::provider_record>();
  actors::query(self, self->state.context.db_pool,
                [hash = domain::sha256_hex(callback.state), provider_id,
                 now = self->state.context.now()](storage::connection& db) {
                  return storage::in_transaction(
                      db, [&]() -> caf::expected<domain::provider_record> {
                        auto pending = storage::consume_oauth_state(db, hash, now);
                        if (!pending || pending->purpose != "provider" || !pending->user_id ||
                            pending->provider != std::to_string(provider_id)) {
                          return make_error(errc::bad_request, std::string{bad_state});
                        }
                        auto record = storage::find_provider(db, *pending->user_id, provider_id);
                        if (!record) {
                          return make_error(errc::not_found);
                        }
                        return std::move(*record);
                      });
                })
      .then(
          [self, promise, code = callback.code](domain::provider_record& record) mutable {
            auto credentials = app_credentials(self, record);
            if (!credentials) {
              promise.deliver(std::move(credentials.error()));
              return;
            }
            std::shared_ptr<providers::oauth_flow> flow =
                oauth_type(self, record.type)
                    ->make_oauth_flow(self->state.settings.types->environment(record.type));
            actors::run_blocking(
                self, self->state.context.outbound,
                [flow, app = std::move(*credentials), code,
                 redirect =
                     callback_url(self, record.id)]() -> caf::expected<domain::field_values> {
                  auto result = flow->exchange_code(app, code, redirect);
                  if (auto* error = std::get_if<providers::call_error>(&result)) {
                    return make_error(errc::upstream_failed,
                                      "The provider did not accept the code: " + error->message);
                  }
                  return std::get<domain::field_values>(std::move(result));
                },
                domain::outbound_work_timeout)
                .then(
                    [self, promise, record](domain::field_values& tokens) mutable {
                      store_tokens(self, promise, record, tokens);
                    },
                    fail(promise));
          },
          fail(promise));
  return promise;
}

}  // namespace schedulerd::services::provider_use_cases
