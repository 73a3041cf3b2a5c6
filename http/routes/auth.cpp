#include "http/routes/auth.hpp"

#include "actors/blocking_pool.hpp"
#include "actors/errc.hpp"
#include "domain/accounts.hpp"
#include "domain/request_timeouts.hpp"
#include "http/json/accounts_json.hpp"
#include "http/json/body_reader.hpp"
#include "http/reply.hpp"
#include "http/routes/reply_promise.hpp"
#include "http/routes/session_grant.hpp"
#include "http/status.hpp"
#include "storage/transaction.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

namespace schedulerd::http {

namespace {

using actors::query;
using actors::run_blocking;

constexpr std::string_view bad_credentials = "These credentials do not match our records.";

using self_pointer = handler_actor::stateful_pointer<accounts_context>;
using promise_type = response_promise;

response grant_response(int status, const session_grant& grant) {
  return json_response(status, {{"user", user_json(grant.user)}, {"token", grant.token}});
}

caf::result<response> register_user(self_pointer self, const request& req) {
  body_reader body{req.body};
  auto name = body.required_string("name");
  auto email = body.required_string("email");
  auto password = body.required_string("password");
  if (!body.errors().empty()) {
    return error_response(make_validation_error(body.errors()));
  }
  if (auto problems = domain::validate_registration(*name, *email, *password); !problems.empty()) {
    return error_response(make_validation_error(std::move(problems)));
  }
  auto promise = self->make_response_promise<response>();
  auto& context = self->state;
  auto normalized = domain::normalize_email(*email);
  run_blocking(
      self, context.blocking,
      [password = *password, params = context.argon2] {
        return caf::expected<std::string>{domain::hash_password(password, params)};
      },
      domain::blocking_work_timeout)
      .then(
          [self, promise, name = *name, normalized](std::string& hash) mutable {
            auto& context = self->state;
            auto now = context.now();
            query(self, context.db_pool,
                  [name, normalized, hash, now,
                   ttl = context.session_token_ttl](storage::connection& db) {
                    return storage::in_transaction(db, [&]() -> caf::expected<session_grant> {
                      if (storage::find_user_by_email(db, normalized)) {
                        return make_validation_error({{"email", {"has already been taken"}}});
                      }
                      auto user = storage::insert_user(db, name, normalized, hash, now);
                      return issue_session_token(db, std::move(user), now, ttl);
                    });
                  })
                .then(
                    [promise](session_grant& grant) mutable {
                      promise.deliver(grant_response(201, grant));
                    },
                    [promise](caf::error& err) mutable {
                      // Two registrations racing for one email: the loser hits the unique index.
                      if (describe(err).code == errc::conflict) {
                        err = make_validation_error({{"email", {"has already been taken"}}});
                      }
                      promise.deliver(error_response(err));
                    });
          },
          fail_with(promise));
  return promise;
}

// Checks the password off the cooperative threads; an unknown email still costs one
// verification, so the answer's timing does not reveal which emails have accounts.
void check_password(self_pointer self, promise_type promise,
                    std::optional<storage::user_record> user, std::string password) {
  auto& context = self->state;
  auto hash = user ? user->password_hash : std::string{};
  run_blocking(
      self, context.blocking,
      [hash, password = std::move(password), params = context.argon2] {
        if (hash.empty()) {
          domain::verify_against_dummy(password, params);
          return caf::expected<bool>{false};
        }
        return caf::expected<bool>{domain::verify_password(hash, password)};
      },
      domain::blocking_work_timeout)
      .then(
          [self, promise, user](bool valid) mutable {
            if (!valid) {
              promise.deliver(error_response(errc::unauthenticated, bad_credentials));
              return;
            }
            auto& context = self->state;
            query(self, context.db_pool,
                  [user = *user, now = context.now(),
                   ttl = context.session_token_ttl](storage::connection& db) {
                    return caf::expected<session_grant>{issue_session_token(db, user, now, ttl)};
                  })
                .then(
                    [promise](session_grant& grant) mutable {
                      promise.deliver(grant_response(200, grant));
                    },
                    fail_with(promise));
          },
          fail_with(promise));
}

caf::result<response> login(self_pointer self, const request& req) {
  body_reader body{req.body};
  auto email = body.required_string("email");
  auto password = body.required_string("password");
  if (!body.errors().empty()) {
    return error_response(make_validation_error(body.errors()));
  }
  auto promise = self->make_response_promise<response>();
  query(self, self->state.db_pool,
        [email = domain::normalize_email(*email)](storage::connection& db) {
          return caf::expected<std::optional<storage::user_record>>{
              storage::find_user_by_email(db, email)};
        })
      .then(
          [self, promise, password = *password](std::optional<storage::user_record>& user) {
            check_password(self, promise, std::move(user), password);
          },
          fail_with(promise));
  return promise;
}

caf::result<response> logout(self_pointer self, const request& req) {
  auto promise = self->make_response_promise<response>();
  actors::in_session(
      self, self->state.sessions, req.user_id,
      [user = req.user_id, token = req.token_id, now = self->state.now()](storage::connection& db) {
        return caf::expected<bool>{storage::revoke_token(db, user, token, now)};
      },
      [promise](bool) mutable { promise.deliver(empty_response(204)); }, fail_with(promise));
  return promise;
}

caf::result<response> me(self_pointer self, const request& req) {
  auto promise = self->make_response_promise<response>();
  query(self, self->state.db_pool,
        [user = req.user_id](storage::connection& db) -> caf::expected<storage::user_record> {
          auto found = storage::find_user_by_id(db, user);
          if (!found) {
            return make_error(errc::unauthenticated);
          }
          return std::move(*found);
        })
      .then(
          [promise](storage::user_record& user) mutable {
            promise.deliver(json_response(200, {{"user", user_json(user)}}));
          },
          fail_with(promise));
  return promise;
}

handler_actor::behavior_type auth_handler(self_pointer self, accounts_context context) {
  self->state = std::move(context);
  return {
      [self](request& req) -> caf::result<response> {
        if (req.route == "/api/auth/register") {
          return register_user(self, req);
        }
        if (req.route == "/api/auth/login") {
          return login(self, req);
        }
        if (req.route == "/api/auth/logout") {
          return logout(self, req);
        }
        if (req.route == "/api/auth/me") {
          return me(self, req);
        }
        return error_response(errc::not_found);
      },
  };
}

}  // namespace

handler_actor spawn_auth_handler(caf::actor_system& system, accounts_context context) {
  return system.spawn(auth_handler, std::move(context));
}

void add_auth_routes(router& routes, const handler_actor& handler) {
  routes.add("POST", "/api/auth/register", handler, {access::auth_endpoint});
  routes.add("POST", "/api/auth/login", handler, {access::auth_endpoint});
  routes.add("POST", "/api/auth/logout", handler, {access::authenticated});
  routes.add("GET", "/api/auth/me", handler, {access::authenticated});
}

}  // namespace schedulerd::http
