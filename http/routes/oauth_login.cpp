#include "http/routes/oauth_login.hpp"

#include "actors/blocking_pool.hpp"
#include "actors/errc.hpp"
#include "domain/request_timeouts.hpp"
#include "domain/secrets.hpp"
#include "http/json/accounts_json.hpp"
#include "http/reply.hpp"
#include "http/routes/reply_promise.hpp"
#include "http/routes/session_grant.hpp"
#include "http/status.hpp"
#include "providers/oauth/oauth_client.hpp"
#include "storage/oauth_store.hpp"
#include "storage/transaction.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::optional<schedulerd::storage::oauth_state_record>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(schedulerd::providers::oauth_identity)

namespace schedulerd::http {

namespace {

constexpr std::int64_t state_lifetime_ms = std::int64_t{10} * 60 * 1000;
constexpr std::string_view bad_state = "The login link is invalid, expired or already used.";

struct oauth_login_state {
  accounts_context context;
  oauth_login_settings settings;
};

using self_pointer = handler_actor::stateful_pointer<oauth_login_state>;
using promise_type = response_promise;

// The enabled provider named in the path, if any.
std::optional<std::pair<providers::oauth_provider_kind, config::oauth_provider>> provider_of(
    const oauth_login_settings& settings, const std::string& name) {
  if (name == "google" && settings.google.enabled()) {
    return std::pair{providers::oauth_provider_kind::google, settings.google};
  }
  if (name == "github" && settings.github.enabled()) {
    return std::pair{providers::oauth_provider_kind::github, settings.github};
  }
  return std::nullopt;
}

std::string callback_url(const oauth_login_settings& settings, const std::string& provider) {
  return settings.public_base_url + "/api/auth/oauth/" + provider + "/callback";
}

caf::result<response> start_login(self_pointer self, const request& req) {
  auto provider = req.param("provider");
  auto found = provider_of(self->state.settings, provider);
  if (!found) {
    return error_response(errc::not_found);
  }
  auto state = domain::random_urlsafe(32);
  auto verifier = domain::generate_pkce_verifier();
  auto url = providers::authorize_url(found->first, found->second,
                                      callback_url(self->state.settings, provider), state,
                                      domain::pkce_challenge(verifier));
  auto promise = self->make_response_promise<response>();
  auto now = self->state.context.now();
  actors::query(
      self, self->state.context.db_pool,
      [hash = domain::sha256_hex(state), provider, verifier, now](storage::connection& db) {
        storage::insert_oauth_state(db, hash, "login", provider, std::nullopt, verifier, now,
                                    now + state_lifetime_ms);
        return caf::expected<bool>{true};
      })
      .then(
          [promise, url, json_mode = req.query_param("mode") == "json"](bool) mutable {
            if (json_mode) {
              promise.deliver(json_response(200, {{"url", url}}));
            } else {
              promise.deliver(empty_response(302).set_header("location", url));
            }
          },
          fail_with(promise));
  return promise;
}

// Signs in the user the identity belongs to: by linked identity, else by the same verified
// email (linking it), else a new account.
caf::expected<session_grant> sign_in(storage::connection& db, const std::string& provider,
                                     const providers::oauth_identity& identity, std::int64_t now,
                                     std::chrono::milliseconds ttl) {
  return storage::in_transaction(db, [&]() -> caf::expected<session_grant> {
    auto user_id = storage::find_identity_user(db, provider, identity.subject);
    if (!user_id) {
      auto existing = storage::find_user_by_email(db, identity.email);
      auto name = identity.name.empty() ? identity.email.substr(0, identity.email.find('@'))
                                        : identity.name;
      user_id =
          existing ? existing->id : storage::insert_user(db, name, identity.email, "", now).id;
      storage::link_identity(db, *user_id, provider, identity.subject, identity.email, now);
    }
    auto user = storage::find_user_by_id(db, *user_id);
    if (!user) {
      return make_error(errc::internal);
    }
    return issue_session_token(db, std::move(*user), now, ttl);
  });
}

void finish_login(self_pointer self, promise_type promise, const std::string& provider,
                  const providers::oauth_identity& identity) {
  if (!identity.email_verified || identity.email.empty()) {
    promise.deliver(error_response(errc::forbidden,
                                   "The provider has not verified this account's email address."));
    return;
  }
  auto& context = self->state.context;
  actors::query(self, context.db_pool,
                [provider, identity, now = context.now(), ttl = context.session_token_ttl](
                    storage::connection& db) { return sign_in(db, provider, identity, now, ttl); })
      .then(
          [promise](session_grant& grant) mutable {
            promise.deliver(
                json_response(200, {{"user", user_json(grant.user)}, {"token", grant.token}}));
          },
          fail_with(promise));
}

caf::result<response> complete_login(self_pointer self, const request& req) {
  auto provider = req.param("provider");
  auto found = provider_of(self->state.settings, provider);
  if (!found) {
    return error_response(errc::not_found);
  }
  if (auto denied = req.query_param("error")) {
    return error_response(errc::bad_request, "The provider refused the login: " + *denied);
  }
  auto code = req.query_param("code").value_or("");
  auto state = req.query_param("state").value_or("");
  if (code.empty() || state.empty()) {
    return error_response(errc::bad_request, "The callback needs both code and state.");
  }
  auto promise = self->make_response_promise<response>();
  auto& context = self->state.context;
  actors::query(self, context.db_pool,
                [hash = domain::sha256_hex(state), now = context.now()](storage::connection& db) {
                  return caf::expected<std::optional<storage::oauth_state_record>>{
                      storage::consume_oauth_state(db, hash, now)};
                })
      .then(
          [self, promise, provider, kind = found->first, settings = found->second,
           code](std::optional<storage::oauth_state_record>& pending) mutable {
            if (!pending || pending->provider != provider || pending->purpose != "login") {
              promise.deliver(error_response(errc::bad_request, bad_state));
              return;
            }
            actors::run_blocking(
                self, self->state.context.outbound,
                [kind, settings, code, verifier = pending->code_verifier,
                 redirect = callback_url(self->state.settings, provider)] {
                  return to_expected(
                      providers::fetch_identity(kind, settings, code, verifier, redirect));
                },
                domain::outbound_work_timeout)
                .then(
                    [self, promise, provider](providers::oauth_identity& identity) mutable {
                      finish_login(self, promise, provider, identity);
                    },
                    fail_with(promise));
          },
          fail_with(promise));
  return promise;
}

handler_actor::behavior_type oauth_login_handler(self_pointer self, accounts_context context,
                                                 oauth_login_settings settings) {
  self->state.context = std::move(context);
  self->state.settings = std::move(settings);
  return {
      [self](request& req) -> caf::result<response> {
        if (req.route == "/api/auth/oauth/{provider}") {
          return start_login(self, req);
        }
        return complete_login(self, req);
      },
  };
}

}  // namespace

handler_actor spawn_oauth_login_handler(caf::actor_system& system, accounts_context context,
                                        oauth_login_settings settings) {
  return system.spawn(oauth_login_handler, std::move(context), std::move(settings));
}

void add_oauth_login_routes(router& routes, const handler_actor& handler) {
  routes.add("GET", "/api/auth/oauth/{provider}", handler, {access::auth_endpoint});
  routes.add("GET", "/api/auth/oauth/{provider}/callback", handler, {access::auth_endpoint});
}

}  // namespace schedulerd::http
