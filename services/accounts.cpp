#include "services/accounts.hpp"

#include "actors/blocking_pool.hpp"
#include "actors/errc.hpp"
#include "domain/accounts.hpp"
#include "domain/password_policy.hpp"
#include "domain/request_timeouts.hpp"
#include "services/promises.hpp"
#include "services/session_tokens.hpp"
#include "storage/token_store.hpp"
#include "storage/transaction.hpp"
#include "storage/user_store.hpp"

#include <caf/all.hpp>

namespace schedulerd::services {

namespace {

using actors::query;
using actors::run_blocking;

constexpr std::string_view bad_credentials = "These credentials do not match our records.";

using self_pointer = accounts_actor::stateful_pointer<service_context>;
using grant_promise = caf::typed_response_promise<domain::session_grant>;

caf::error email_taken() {
  return make_validation_error({{"email", {"has already been taken"}}});
}

// Stores the user and its first session token in one transaction.
void create_user(self_pointer self, grant_promise promise, const std::string& name,
                 const std::string& email, const std::string& hash) {
  auto& context = self->state;
  query(self, context.db_pool,
        [name, email, hash, now = context.now(),
         ttl = context.session_token_ttl](storage::connection& db) {
          return storage::in_transaction(db, [&]() -> caf::expected<domain::session_grant> {
            if (storage::find_user_by_email(db, email)) {
              return email_taken();
            }
            auto user = storage::insert_user(db, name, email, hash, now);
            return issue_session_token(db, std::move(user), now, ttl);
          });
        })
      .then(fulfil(promise), [promise](caf::error& err) mutable {
        // Two registrations racing for one email: the loser hits the unique index.
        if (describe(err).code == errc::conflict) {
          err = email_taken();
        }
        promise.deliver(std::move(err));
      });
}

caf::result<domain::session_grant> register_user(self_pointer self, domain::registration& request) {
  if (auto problems = domain::validate_registration(request.name, request.email, request.password);
      !problems.empty()) {
    return make_validation_error(std::move(problems));
  }
  auto promise = self->make_response_promise<domain::session_grant>();
  run_blocking(
      self, self->state.blocking,
      [password = std::move(request.password), params = self->state.argon2] {
        return caf::expected<std::string>{domain::hash_password(password, params)};
      },
      domain::blocking_work_timeout)
      .then([self, promise, name = domain::normalize_name(request.name),
             email = domain::normalize_email(request.email)](
                std::string& hash) { create_user(self, promise, name, email, hash); },
            fail(promise));
  return promise;
}

// Issues a session token through the user's session actor: it is a write of that user.
void issue_for(self_pointer self, const grant_promise& promise, domain::user_record user) {
  auto& context = self->state;
  auto user_id = user.id;
  actors::in_session(
      self, context.sessions, user_id,
      [user = std::move(user), now = context.now(),
       ttl = context.session_token_ttl](storage::connection& db) {
        return caf::expected<domain::session_grant>{issue_session_token(db, user, now, ttl)};
      },
      fulfil(promise), fail(promise));
}

// Checks the password off the cooperative threads; an unknown email still costs one
// verification, so the answer's timing does not reveal which emails have accounts.
void check_password(self_pointer self, grant_promise promise,
                    std::optional<domain::user_record> user, std::string password) {
  auto hash = user ? user->password_hash : std::string{};
  run_blocking(
      self, self->state.blocking,
      [hash, password = std::move(password), params = self->state.argon2] {
        if (hash.empty()) {
          domain::verify_against_dummy(password, params);
          return caf::expected<bool>{false};
        }
        return caf::expected<bool>{domain::verify_password(hash, password)};
      },
      domain::blocking_work_timeout)
      .then(
          [self, promise, user = std::move(user)](bool valid) mutable {
            if (!valid) {
              promise.deliver(make_error(errc::unauthenticated, std::string{bad_credentials}));
              return;
            }
            issue_for(self, promise, std::move(*user));
          },
          fail(promise));
}

caf::result<domain::session_grant> login(self_pointer self, domain::credentials& presented) {
  // No account has a password this long (registration refuses it), so the answer reveals
  // nothing, and hashing megabytes per attempt would be a cheap way to load the server.
  if (presented.password.size() > domain::max_password_bytes) {
    return make_error(errc::unauthenticated, std::string{bad_credentials});
  }
  auto promise = self->make_response_promise<domain::session_grant>();
  query(self, self->state.db_pool,
        [email = domain::normalize_email(presented.email)](storage::connection& db) {
          return caf::expected<std::optional<domain::user_record>>{
              storage::find_user_by_email(db, email)};
        })
      .then(
          [self, promise,
           password = std::move(presented.password)](std::optional<domain::user_record>& user) {
            check_password(self, promise, std::move(user), password);
          },
          fail(promise));
  return promise;
}

caf::result<bool> logout(self_pointer self, std::int64_t user_id, std::int64_t token_id) {
  auto promise = self->make_response_promise<bool>();
  actors::in_session(
      self, self->state.sessions, user_id,
      [user_id, token_id, now = self->state.now()](storage::connection& db) {
        return caf::expected<bool>{storage::revoke_token(db, user_id, token_id, now)};
      },
      fulfil(promise), fail(promise));
  return promise;
}

caf::result<domain::user_record> find_user(self_pointer self, std::int64_t user_id) {
  auto promise = self->make_response_promise<domain::user_record>();
  query(self, self->state.db_pool,
        [user_id](storage::connection& db) -> caf::expected<domain::user_record> {
          auto found = storage::find_user_by_id(db, user_id);
          if (!found) {
            return make_error(errc::unauthenticated);
          }
          return std::move(*found);
        })
      .then(fulfil(promise), fail(promise));
  return promise;
}

accounts_actor::behavior_type accounts(self_pointer self, service_context context) {
  self->state = std::move(context);
  return {
      [self](register_atom, domain::registration& request) { return register_user(self, request); },
      [self](login_atom, domain::credentials& presented) { return login(self, presented); },
      [self](logout_atom, std::int64_t user_id, std::int64_t token_id) {
        return logout(self, user_id, token_id);
      },
      [self](get_atom, std::int64_t user_id) { return find_user(self, user_id); },
  };
}

}  // namespace

accounts_actor spawn_accounts(caf::actor_system& system, service_context context) {
  return system.spawn(accounts, std::move(context));
}

}  // namespace schedulerd::services
