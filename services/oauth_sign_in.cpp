#include "services/oauth_sign_in.hpp"

#include "actors/blocking_pool.hpp"
#include "actors/errc.hpp"
#include "domain/accounts.hpp"
#include "domain/request_timeouts.hpp"
#include "domain/secrets.hpp"
#include "providers/oauth/oauth_client.hpp"
#include "services/promises.hpp"
#include "services/session_tokens.hpp"
#include "storage/oauth_store.hpp"
#include "storage/transaction.hpp"
#include "storage/user_store.hpp"

#include <caf/all.hpp>

namespace schedulerd::services {

namespace {

constexpr std::int64_t state_lifetime_ms = std::int64_t{10} * 60 * 1000;
constexpr std::string_view bad_state = "The login link is invalid, expired or already used.";

struct oauth_sign_in_state {
  service_context context;
  oauth_sign_in_settings settings;
};

using sign_in_self = oauth_sign_in_actor::stateful_pointer<oauth_sign_in_state>;
using grant_promise = caf::typed_response_promise<domain::session_grant>;

// A configured login provider: which one, and its client.
using enabled_provider = std::pair<providers::oauth_provider_kind, config::oauth_provider>;

// The enabled provider of this name, if any.
std::optional<enabled_provider> provider_of(const oauth_sign_in_settings& settings,
                                            const std::string& name) {
  if (name == "google" && settings.google.enabled()) {
    return std::pair{providers::oauth_provider_kind::google, settings.google};
  }
  if (name == "github" && settings.github.enabled()) {
    return std::pair{providers::oauth_provider_kind::github, settings.github};
  }
  return std::nullopt;
}

std::string callback_url(const oauth_sign_in_settings& settings, const std::string& provider) {
  return settings.public_base_url + "/api/auth/oauth/" + provider + "/callback";
}

caf::result<std::string> authorize(sign_in_self self, const std::string& provider) {
  auto found = provider_of(self->state.settings, provider);
  if (!found) {
    return make_error(errc::not_found);
  }
  auto state = domain::random_urlsafe(32);
  auto verifier = domain::generate_pkce_verifier();
  auto url = providers::authorize_url(found->first, found->second,
                                      callback_url(self->state.settings, provider), state,
                                      domain::pkce_challenge(verifier));
  auto now = self->state.context.now();
  return reply_from_pool(self, self->state.context.db_pool,
                         [hash = domain::sha256_hex(state), provider, verifier, now,
                          url = std::move(url)](storage::connection& db) {
                           storage::insert_oauth_state(db, hash, "login", provider, std::nullopt,
                                                       verifier, now, now + state_lifetime_ms);
                           return caf::expected<std::string>{url};
                         });
}

// The name a new account gets: the provider's, when it passes the rules a registered name must
// (it comes from a third party), else the email's local part.
std::string display_name(const providers::oauth_identity& identity) {
  if (!domain::name_problem(identity.name)) {
    return domain::normalize_name(identity.name);
  }
  return identity.email.substr(0, identity.email.find('@'));
}

// Signs in the user the identity belongs to, in one transaction.
caf::expected<domain::session_grant> sign_in_identity(storage::connection& db,
                                                      const std::string& provider,
                                                      const providers::oauth_identity& identity,
                                                      std::int64_t now,
                                                      const session_policy& policy) {
  return storage::in_transaction(db, [&]() -> caf::expected<domain::session_grant> {
    auto user_id = storage::find_identity_user(db, provider, identity.subject);
    if (!user_id) {
      auto existing = storage::find_user_by_email(db, identity.email);
      auto name = display_name(identity);
      user_id =
          existing ? existing->id : storage::insert_user(db, name, identity.email, "", now).id;
      storage::link_identity(db, *user_id, provider, identity.subject, identity.email, now);
    }
    auto user = storage::find_user_by_id(db, *user_id);
    if (!user) {
      return make_error(errc::internal);
    }
    return issue_session_token(db, std::move(*user), now, policy);
  });
}

// Two first sign-ins of one identity (a double-clicked consent, two tabs) race to create its
// user: the loser's transaction hits a unique index and rolls back, and its second attempt finds
// what the winner stored, so both sign in as the same user.
void store_sign_in(sign_in_self self, const grant_promise& promise, const std::string& provider,
                   const providers::oauth_identity& identity, bool may_retry) {
  auto& context = self->state.context;
  actors::query(self, context.db_pool,
                [provider, identity, now = context.now(),
                 policy = context.sessions_policy()](storage::connection& db) {
                  return sign_in_identity(db, provider, identity, now, policy);
                })
      .then(fulfil(promise),
            [self, promise = promise, provider, identity, may_retry](caf::error& err) mutable {
              if (may_retry && describe(err).code == errc::conflict) {
                store_sign_in(self, promise, provider, identity, false);
                return;
              }
              promise.deliver(std::move(err));
            });
}

void finish_sign_in(sign_in_self self, grant_promise promise, const std::string& provider,
                    const providers::oauth_identity& identity) {
  if (!identity.email_verified || identity.email.empty()) {
    promise.deliver(
        make_error(errc::forbidden, "The provider has not verified this account's email address."));
    return;
  }
  store_sign_in(self, promise, provider, identity, true);
}

// Exchanges the code for the identity on the outbound pool (it waits on the provider).
void fetch_identity(sign_in_self self, const grant_promise& promise,
                    const enabled_provider& provider, const domain::oauth_callback& callback,
                    const std::string& verifier) {
  actors::run_blocking(
      self, self->state.context.outbound,
      [kind = provider.first, settings = provider.second, code = callback.code, verifier,
       redirect = callback_url(self->state.settings, callback.provider)] {
        return to_expected(providers::fetch_identity(kind, settings, code, verifier, redirect));
      },
      domain::outbound_work_timeout)
      .then(
          [self, promise, provider = callback.provider](providers::oauth_identity& identity) {
            finish_sign_in(self, promise, provider, identity);
          },
          fail(promise));
}

caf::result<domain::session_grant> sign_in(sign_in_self self, domain::oauth_callback& callback) {
  auto provider = provider_of(self->state.settings, callback.provider);
  if (!provider) {
    return make_error(errc::not_found);
  }
  if (callback.error) {
    return make_error(errc::bad_request, "The provider refused the login: " + *callback.error);
  }
  if (callback.code.empty() || callback.state.empty()) {
    return make_error(errc::bad_request, "The callback needs both code and state.");
  }
  auto promise = self->make_response_promise<domain::session_grant>();
  auto& context = self->state.context;
  actors::query(
      self, context.db_pool,
      [hash = domain::sha256_hex(callback.state), now = context.now()](storage::connection& db) {
        return caf::expected<std::optional<storage::oauth_state_record>>{
            storage::consume_oauth_state(db, hash, now)};
      })
      .then(
          [self, promise, provider = *provider,
           callback](std::optional<storage::oauth_state_record>& pending) mutable {
            if (!pending || pending->provider != callback.provider || pending->purpose != "login") {
              promise.deliver(make_error(errc::bad_request, std::string{bad_state}));
              return;
            }
            fetch_identity(self, promise, provider, callback, pending->code_verifier);
          },
          fail(promise));
  return promise;
}

oauth_sign_in_actor::behavior_type oauth_sign_in(sign_in_self self, service_context context,
                                                 oauth_sign_in_settings settings) {
  self->state.context = std::move(context);
  self->state.settings = std::move(settings);
  return actors::introspected<oauth_sign_in_actor::behavior_type>(
      self,
      [self](authorize_atom, const std::string& provider) { return authorize(self, provider); },
      [self](sign_in_atom, domain::oauth_callback& callback) { return sign_in(self, callback); });
}

}  // namespace

oauth_sign_in_actor spawn_oauth_sign_in(caf::actor_system& system, service_context context,
                                        oauth_sign_in_settings settings) {
  return system.spawn(oauth_sign_in, std::move(context), std::move(settings));
}

}  // namespace schedulerd::services
