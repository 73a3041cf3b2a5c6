#pragma once

#include "actors/type_ids.hpp"

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>

namespace schedulerd::actors {

/// The caller a bearer token stands for.
struct principal {
  std::int64_t user_id = 0;
  std::int64_t token_id = 0;
};

/// Resolves a bearer token; answers errc::unauthenticated when it is unknown, revoked or expired.
using authenticator_actor =
    caf::typed_actor<caf::replies_to<authenticate_atom, std::string>::with<principal>>;

/// The outcome of spending one request from a budget of `limit` requests per minute.
struct rate_decision {
  bool allowed = true;
  int limit = 0;
  int remaining = 0;
  /// Seconds until the budget refills enough to allow a request (when not allowed).
  int retry_after_s = 0;
};

/// Spends one request from the budget named by the key, given the budget's per-minute limit.
using rate_limiter_actor =
    caf::typed_actor<caf::replies_to<limit_atom, std::string, int>::with<rate_decision>>;

/// The rate limiter with budgets of any window: `(limit_atom, key, limit, window_s)` spends one
/// request of a budget of `limit` per `window_s` seconds, and `(refund_atom, key)` gives one back
/// to the key's open window (true when there was one to give).
using budget_actor = rate_limiter_actor::extend<
    caf::replies_to<limit_atom, std::string, int, int>::with<rate_decision>,
    caf::replies_to<refund_atom, std::string>::with<bool>>;

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, principal& x) {
  return f(caf::meta::type_name("principal"), x.user_id, x.token_id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, rate_decision& x) {
  return f(caf::meta::type_name("rate_decision"), x.allowed, x.limit, x.remaining, x.retry_after_s);
}

}  // namespace schedulerd::actors
