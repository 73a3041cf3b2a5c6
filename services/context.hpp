#pragma once

#include "actors/gatekeeping.hpp"
#include "actors/session_registry.hpp"
#include "domain/clock.hpp"
#include "domain/passwords.hpp"
#include "log/logger.hpp"
#include "services/session_tokens.hpp"

#include <caf/actor.hpp>

#include <chrono>
#include <memory>

namespace schedulerd::services {

/// The limits that keep one account from being guessed at or from multiplying its budgets.
struct account_limits {
  /// Failed password logins one email may see per window before every login to it answers 429.
  int login_failures = 20;
  /// The length of that window.
  std::chrono::seconds login_failure_window{std::chrono::minutes{15}};
  /// Live personal tokens a user may hold, and live sessions kept per user.
  int live_tokens = 100;
};

/// The infrastructure actors and settings the use-case actors are built on.
struct service_context {
  /// The pooled database actor (reads, and writes that belong to no user yet).
  caf::actor db_pool;
  /// The blocking pool that runs argon2, kept free of slow outbound calls.
  caf::actor blocking;
  /// The blocking pool that runs outbound HTTP calls (OAuth), which may wait seconds each.
  caf::actor outbound;
  /// Per-user session actors that serialise each user's writes.
  actors::session_registry_actor sessions;
  /// The injected clock.
  domain::clock_fn now;
  /// argon2id cost.
  domain::argon2_params argon2;
  /// Lifetime of the session token that register, login and OAuth sign-in hand out.
  std::chrono::milliseconds session_token_ttl{std::chrono::hours{24 * 30}};
  /// Budgets shared by every node (failed logins per account); unset means no such limit.
  actors::budget_actor limiter;
  /// The account limits.
  account_limits limits;
  /// Where failures that reach no client are logged.
  std::shared_ptr<log::logger> logger;

  /// The sessions that register, login and OAuth sign-in hand out.
  [[nodiscard]] session_policy sessions_policy() const {
    return {session_token_ttl, limits.live_tokens};
  }
};

}  // namespace schedulerd::services
