#include "services/accounts.hpp"

#include "actors/blocking_pool.hpp"
#include "actors/errc.hpp"
#include "domain/accounts.hpp"
#include "domain/password_policy.hpp"
#include "domain/request_timeouts.hpp"
#include "domain/secrets.hpp"
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

// How long a login waits for the shared failure budget (Redis answers in milliseconds, or fails
// fast and falls back to the node's own count).
constexpr std::chrono::seconds limiter_timeout{5};

using accounts_self = accounts_actor::stateful_pointer<service_context>;
using grant_promise = caf::typed_response_promise<domain::session_grant>;

caf::error email_taken() {
  return make_validation_error({{"email", {"has already been taken"}}});
}

// Stores the user and its first session token in one transaction.
void create_user(accounts_self self, grant_promise promise, const std::string& name,
                 const std::string& email, const std::string& hash) {
  auto& context = self->state;
  query(self, context.db_pool,
        [name, email, hash, now = context.now(),
         policy = context.sessions_policy()](storage::connection& db) {
          return storage::in_transaction(db, [&]() -> caf::expected<domain::session_grant> {
            if (storage::find_user_by_email(db, email)) {
              return email_taken();
            }
            auto user = storage::insert_user(db, name, email, hash, now);
            return issue_session_token(db, std::move(user), now, policy);
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

caf::result<domain::session_grant> register_user(accounts_self self,
                                                 domain::registration& request) {
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
void issue_for(accounts_self self, const grant_promise& promise, domain::user_record user) {
  auto& context = self->state;
  auto user_id = user.id;
  actors::in_session(
      self, context.sessions, user_id,
      [user = std::move(user), now = context.now(),
       policy = context.sessions_policy()](storage::connection& db) {
        return caf::expected<domain::session_grant>{issue_session_token(db, user, now, policy)};
      },
      fulfil(promise), fail(promise));
}

// One password login on its way through the checks.
struct login_attempt {
  /// The normalised email.
  std::string email;
  std::string password;
  /// Whether the attempt was counted against the email's failure budget (and is given back when
  /// it succeeds).
  bool counted = false;
};

// The key of an email's failed-login budget: hashed, so the shared store holds no addresses.
std::string failure_key(const std::string& email) {
  return "login:" + domain::sha256_hex(email);
}

// A login that succeeds was no failure: its count goes back to the email's budget.
void refund_attempt(accounts_self self, const login_attempt& attempt) {
  if (!attempt.counted) {
    return;
  }
  self->request(self->state.limiter, limiter_timeout, refund_atom::value,
                failure_key(attempt.email))
      .then([](bool) {},
            [self](caf::error& err) {
              self->state.logger->warn("login_refund_failed",
                                       {{"reason", self->system().render(err)}});
            });
}

// Checks the password off the cooperative threads; an unknown email still costs one
// verification, so the answer's timing does not reveal which emails have accounts.
void check_password(accounts_self self, grant_promise promise,
                    std::optional<domain::user_record> user, const login_attempt& attempt) {
  auto hash = user ? user->password_hash : std::string{};
  run_blocking(
      self, self->state.blocking,
      [hash, password = attempt.password, params = self->state.argon2] {
        if (hash.empty()) {
          domain::verify_against_dummy(password, params);
          return caf::expected<bool>{false};
        }
        return caf::expected<bool>{domain::verify_password(hash, password)};
      },
      domain::blocking_work_timeout)
      .then(
          [self, promise, user = std::move(user), attempt](bool valid) mutable {
            if (!valid) {
              promise.deliver(make_error(errc::unauthenticated, std::string{bad_credentials}));
              return;
            }
            refund_attempt(self, attempt);
            issue_for(self, promise, std::move(*user));
          },
          fail(promise));
}

void find_and_check(accounts_self self, const grant_promise& promise,
                    const login_attempt& attempt) {
  query(self, self->state.db_pool,
        [email = attempt.email](storage::connection& db) {
          return caf::expected<std::optional<domain::user_record>>{
              storage::find_user_by_email(db, email)};
        })
      .then(
          [self, promise = promise,
           attempt = attempt](std::optional<domain::user_record>& user) mutable {
            check_password(self, promise, std::move(user), attempt);
          },
          fail(promise));
}

// Counts the attempt against the email's failure budget before anything else, so concurrent
// guesses cannot overshoot it; once the budget is spent every login to the email answers 429 until
// the window ends, whether or not an account has that email.
void count_attempt(accounts_self self, const grant_promise& promise, const login_attempt& attempt) {
  auto& context = self->state;
  if (!context.limiter) {
    find_and_check(self, promise, attempt);
    return;
  }
  auto window_s = static_cast<int>(context.limits.login_failure_window.count());
  self->request(context.limiter, limiter_timeout, limit_atom::value, failure_key(attempt.email),
                context.limits.login_failures, window_s)
      .then(
          [self, promise = promise, attempt = attempt](actors::rate_decision& decision) mutable {
            if (!decision.allowed) {
              promise.deliver(make_rate_limited_error(decision.retry_after_s));
              return;
            }
            attempt.counted = true;
            find_and_check(self, promise, attempt);
          },
          // A limiter that cannot answer must not lock everyone out, but the operator must learn
          // that logins pass uncounted.
          [self, promise = promise, attempt](caf::error& err) {
            self->state.logger->warn("login_limit_unchecked",
                                     {{"reason", self->system().render(err)}});
            find_and_check(self, promise, attempt);
          });
}

caf::result<domain::session_grant> login(accounts_self self, domain::credentials& presented) {
  // No account has a password this long (registration refuses it), so the answer reveals
  // nothing, and hashing megabytes per attempt would be a cheap way to load the server.
  if (presented.password.size() > domain::max_password_bytes) {
    return make_error(errc::unauthenticated, std::string{bad_credentials});
  }
  auto promise = self->make_response_promise<domain::session_grant>();
  count_attempt(self, promise,
                {domain::normalize_email(presented.email), std::move(presented.password)});
  return promise;
}

caf::result<bool> logout(accounts_self self, std::int64_t user_id, std::int64_t token_id) {
  return reply_from_session(
      self, self->state.sessions, user_id,
      [user_id, token_id, now = self->state.now()](storage::connection& db) {
        return caf::expected<bool>{storage::revoke_token(db, user_id, token_id, now)};
      });
}

caf::result<domain::user_record> find_user(accounts_self self, std::int64_t user_id) {
  return reply_from_pool(self, self->state.db_pool,
                         [user_id](storage::connection& db) -> caf::expected<domain::user_record> {
                           auto found = storage::find_user_by_id(db, user_id);
                           if (!found) {
                             return make_error(errc::unauthenticated);
                           }
                           return std::move(*found);
                         });
}

accounts_actor::behavior_type accounts(accounts_self self, service_context context) {
  self->state = std::move(context);
  return actors::introspected<accounts_actor::behavior_type>(
      self,
      [self](register_atom, domain::registration& request) { return register_user(self, request); },
      [self](login_atom, domain::credentials& presented) { return login(self, presented); },
      [self](logout_atom, std::int64_t user_id, std::int64_t token_id) {
        return logout(self, user_id, token_id);
      },
      [self](get_atom, std::int64_t user_id) { return find_user(self, user_id); });
}

}  // namespace

accounts_actor spawn_accounts(caf::actor_system& system, service_context context) {
  return system.spawn(accounts, std::move(context));
}

}  // namespace schedulerd::services
