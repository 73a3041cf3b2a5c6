#pragma once

#include "actors/db_pool.hpp"
#include "actors/session_registry.hpp"
#include "storage/connection.hpp"

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/result.hpp>
#include <caf/typed_response_promise.hpp>

#include <cstdint>
#include <type_traits>
#include <utility>

namespace schedulerd::services {

/// A value handler that settles `promise` with the value it receives.
template <class T>
auto fulfil(caf::typed_response_promise<T> promise) {
  return [promise](T& value) mutable { promise.deliver(std::move(value)); };
}

/// An error handler that settles `promise` with the error it receives.
template <class T>
auto fail(caf::typed_response_promise<T> promise) {
  return [promise](caf::error& err) mutable { promise.deliver(std::move(err)); };
}

/// The T of the `caf::expected<T>` that a unit of database work `F` returns.
template <class F>
using work_result_t = typename std::invoke_result_t<F&, storage::connection&>::value_type;

/// Runs `fn(storage::connection&) -> caf::expected<T>` on `pool` and answers the request `self`
/// is handling with its outcome.
template <class Self, class F>
caf::result<work_result_t<F>> reply_from_pool(Self* self, const caf::actor& pool, F fn) {
  auto promise = self->template make_response_promise<work_result_t<F>>();
  // cppcheck-suppress accessMoved ; false positive: the chained .then() is no later use
  actors::query(self, pool, std::move(fn)).then(fulfil(promise), fail(promise));
  return promise;
}

/// Runs `fn(storage::connection&) -> caf::expected<T>` in the session of `user_id`, after that
/// user's earlier writes, and answers the request `self` is handling with its outcome.
template <class Self, class F>
caf::result<work_result_t<F>> reply_from_session(Self* self,
                                                 const actors::session_registry_actor& sessions,
                                                 std::int64_t user_id, F fn) {
  auto promise = self->template make_response_promise<work_result_t<F>>();
  actors::in_session(self, sessions, user_id, std::move(fn), fulfil(promise), fail(promise));
  return promise;
}

}  // namespace schedulerd::services
